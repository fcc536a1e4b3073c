package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"anwei/internal/app"
	"anwei/internal/audit"
	"anwei/internal/auth"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// runBackup writes a consistent copy of the database. The audit key is
// not in the database and not in the copy: it is backed up (and restored)
// on its own, so a stolen backup does not carry what rewriting the audit
// chain needs.
func runBackup(ctx context.Context, args []string, out io.Writer) error {
	db, fs, err := readDBCommand(ctx, "backup", args, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "用法: anwei backup [--data DIR] [--db DSN] FILE")
		return errUsage
	}
	file := fs.Arg(0)
	if err := db.Backup(ctx, file); errors.Is(err, store.ErrPostgresBackup) {
		fmt.Fprintln(out, "PostgreSQL 数据库请用 pg_dump 备份:")
		fmt.Fprintln(out, "  "+db.PgDumpCommand(file))
		if strings.Contains(db.Where, ":***@") {
			fmt.Fprintln(out, "口令不在命令中: 请以环境变量 PGPASSWORD 或 ~/.pgpass 提供")
		}
		fmt.Fprintln(out, "运行后再用 anwei backup-files 复制附件；审计密钥文件不在数据库中，请另行备份")
		return nil
	} else if err != nil {
		return err
	}
	fmt.Fprintf(out, "已备份到 %s；请接着用 anwei backup-files 复制附件 (审计密钥文件不在其中，请另行备份)\n", file)
	return nil
}

// runBackupFiles copies the stored attachments into a backup folder, the
// server running; run after runBackup's copy of the database, so the folder
// holds every file that copy names (files.Store.CopyTo).
func runBackupFiles(_ context.Context, args []string, out io.Writer) error {
	cfg, fs, err := parseDBFlags("backup-files", args, nil)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "用法: anwei backup-files [--data DIR] DIR  (在 anwei backup 之后运行)")
		return errUsage
	}
	c, err := app.BackupFiles(cfg, fs.Arg(0))
	if err != nil {
		return fmt.Errorf("复制附件: %w", err)
	}
	fmt.Fprintf(out, "已复制附件 %d 个 (%.1f MB) 到 %s", c.Files, float64(c.Bytes)/(1<<20), fs.Arg(0))
	if c.Kept > 0 {
		fmt.Fprintf(out, "；%d 个已在其中，未重复复制", c.Kept)
	}
	fmt.Fprintln(out)
	return nil
}

func runAudit(ctx context.Context, args []string, out io.Writer) error {
	usage := "用法: anwei audit verify [--head 哈希] | head   [--data DIR] [--db DSN] [--audit-key-file FILE]"
	if len(args) == 0 || (args[0] != "verify" && args[0] != "head") {
		fmt.Fprintln(os.Stderr, usage)
		return errUsage
	}
	var saved string
	db, fs, err := readDBCommand(ctx, "audit "+args[0], args[1:], func(fs *flag.FlagSet, _ *app.Config) {
		if args[0] == "verify" {
			fs.StringVar(&saved, "head", "", "此前保存的链头哈希 (anwei audit head 或审计日志页面所给): 证明它及其之前的事件未被改动")
		}
	})
	if err != nil {
		return err
	}
	defer db.Close()
	if fs.NArg() != 0 {
		fmt.Fprintln(os.Stderr, usage)
		return errUsage
	}
	if args[0] == "head" {
		seq, hash, err := audit.Head(ctx, db)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%d %s\n", seq, hash)
		return nil
	}
	failed := false
	if saved != "" {
		n, err := audit.VerifyTo(ctx, db, saved)
		switch {
		case err == nil:
			fmt.Fprintf(out, "保存的链头完好: 它及其之前的 %d 条事件 (#1–#%d) 自保存以来未被改动\n", n, n)
		case reportFailure(out, n, err):
			failed = true
		default:
			return err
		}
	}
	n, err := audit.Verify(ctx, db)
	if err != nil {
		if !reportFailure(out, n, err) {
			return err
		}
		return errFailed
	}
	if failed {
		return errFailed
	}
	seq, hash, _ := audit.Head(ctx, db)
	fmt.Fprintf(out, "审计链完好: %d 条事件，链头 #%d %s%s\n", n, seq, hash, keyNote(ctx, db))
	return nil
}

// reportFailure prints why verification failed and reports whether err was
// such a finding (not an error of the database itself).
func reportFailure(out io.Writer, n int64, err error) bool {
	var broken *audit.Broken
	var gone *audit.HeadGone
	var nokey *audit.KeyMissing
	switch {
	case errors.As(err, &broken):
		fmt.Fprintf(out, "审计链已损坏: %s (此前 %d 条事件完好)\n", broken.Error(), n)
	case errors.As(err, &gone):
		fmt.Fprintf(out, "审计链已损坏: %s\n", gone.Error())
	case errors.As(err, &nokey):
		checked := fmt.Sprintf("%d 条事件的顺序和链接完好", n)
		if nokey.KeyedFrom > 1 {
			checked = fmt.Sprintf("启用密钥前的 %d 条事件完好，共 %s", nokey.KeyedFrom-1, checked)
		}
		fmt.Fprintf(out, "审计链未能完整核验: %s。%s；请用 --audit-key-file (或 ANWEI_AUDIT_KEY_FILE) 指定密钥文件\n", nokey.Error(), checked)
	case errors.Is(err, audit.ErrNotKeyed):
		fmt.Fprintf(out, "审计链未通过核验: %s\n", err.Error())
	default:
		return false
	}
	return true
}

// keyNote says which part of a verified chain is keyed.
func keyNote(ctx context.Context, db *store.DB) string {
	from, err := audit.KeyedFrom(ctx, db)
	switch {
	case err != nil || from == 1:
		return ""
	case from == 0:
		return " (尚未启用审计密钥)"
	}
	return fmt.Sprintf(" (#1–#%d 为启用审计密钥前的事件，以 SHA-256 链核验)", from-1)
}

func runUser(ctx context.Context, args []string, out io.Writer) error {
	help := "用法:\n  anwei user list\n  anwei user add --username U --name 姓名 --unit 单位名称或编号 --roles office,member --password P\n" +
		"  anwei user passwd --username U --password P\n  anwei user unlock --username U\n  anwei user token --username U --name 用途 --area 范围 [--write] [--days 天数]\n(均可加 --data DIR --db DSN)"
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, help)
		return errUsage
	}
	var username, name, unit, roles, password, area string
	var write bool
	var days int
	a, _, err := appCommand(ctx, "user", args[1:], func(fs *flag.FlagSet, _ *app.Config) {
		fs.StringVar(&username, "username", "", "用户名")
		fs.StringVar(&name, "name", "", "姓名 (add) 或令牌用途 (token)")
		fs.StringVar(&unit, "unit", "", "所属单位的全称、简称、别名或编号")
		fs.StringVar(&roles, "roles", "", "角色，逗号分隔: "+roleList())
		fs.StringVar(&password, "password", "", "密码")
		fs.StringVar(&area, "area", "", "令牌可访问的范围 (token): "+tokenAreaList())
		fs.BoolVar(&write, "write", false, "令牌可写 (token)；不加为只读")
		fs.IntVar(&days, "days", 0, fmt.Sprintf("令牌有效天数 (token)，默认 %d，最长 %d", auth.DefaultTokenDays, auth.MaxTokenDays))
	})
	if err != nil {
		return err
	}
	defer a.Close()
	orgs := a.Org
	switch args[0] {
	case "list":
		us, total, err := orgs.ListUsers(ctx, org.System, org.UserFilter{Page: paging.Page{Limit: 500}})
		if err != nil {
			return err
		}
		for _, u := range us {
			var rn []string
			for _, r := range u.Roles {
				rn = append(rn, r.Name())
			}
			fmt.Fprintf(out, "%-12s %-8s %-24s %s\n", u.Username, u.DisplayName, strings.Join(rn, ","), u.UnitName)
		}
		fmt.Fprintf(out, "共 %d 个账号\n", total)
		return nil
	case "add":
		unitID, err := findUnit(ctx, orgs, unit)
		if err != nil {
			return err
		}
		in := org.UserInput{Username: username, DisplayName: name, UnitID: unitID, Password: password}
		for _, r := range strings.Split(roles, ",") {
			if r = strings.TrimSpace(r); r != "" {
				in.Roles = append(in.Roles, org.Role(r))
			}
		}
		u, err := orgs.CreateUser(ctx, org.System, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "已创建账号 %s (%s，%s)\n", u.Username, u.DisplayName, u.UnitName)
		return nil
	case "passwd":
		uid, err := orgs.UserIDByName(ctx, username)
		if err != nil {
			return err
		}
		if err := orgs.SetPassword(ctx, org.System, uid, password); err != nil {
			return err
		}
		fmt.Fprintf(out, "已重置 %s 的密码，解除了登录锁定，结束了其会话，吊销了其接口令牌，解除了其验证器绑定 (如有)\n", username)
		return nil
	case "unlock":
		uid, err := orgs.UserIDByName(ctx, username)
		if err != nil {
			return err
		}
		unlocked, err := orgs.UnlockUser(ctx, org.System, uid)
		if err != nil {
			return err
		}
		if unlocked {
			fmt.Fprintf(out, "已解除 %s 的登录锁定\n", username)
		} else {
			fmt.Fprintf(out, "%s 未被锁定\n", username)
		}
		return nil
	case "token":
		uid, err := orgs.UserIDByName(ctx, username)
		if err != nil {
			return err
		}
		holder, err := orgs.ActorByID(ctx, uid)
		if err != nil {
			return err
		}
		plain, _, err := a.Auth.IssueToken(ctx, holder, auth.TokenInput{Name: name, Area: area, Write: write, Days: days})
		if err != nil {
			return err
		}
		fmt.Fprintln(out, plain)
		return nil
	}
	fmt.Fprintln(os.Stderr, help)
	return errUsage
}

func tokenAreaList() string {
	var s []string
	for _, c := range auth.TokenAreas {
		s = append(s, c.Key+"="+c.Name)
	}
	return strings.Join(s, " ")
}

func roleList() string {
	var s []string
	for _, r := range org.Roles {
		s = append(s, string(r)+"="+r.Name())
	}
	return strings.Join(s, " ")
}

// findUnit resolves a unit by id, full name, short name or alias.
func findUnit(ctx context.Context, orgs *org.Service, q string) (int64, error) {
	if q == "" {
		return 0, errors.New("请用 --unit 指定所属单位")
	}
	var id int64
	if _, err := fmt.Sscanf(q, "%d", &id); err == nil && fmt.Sprint(id) == q {
		return id, nil
	}
	us, _, err := orgs.ListUnits(ctx, org.System, org.UnitFilter{Q: q, Page: paging.Page{Limit: 50}})
	if err != nil {
		return 0, err
	}
	var exact []org.Unit
	for _, u := range us {
		if u.Name == q || u.ShortName == q || contains(u.Aliases, q) {
			exact = append(exact, u)
		}
	}
	if len(exact) == 1 {
		return exact[0].ID, nil
	}
	if len(exact) == 0 && len(us) == 1 {
		return us[0].ID, nil
	}
	return 0, fmt.Errorf("单位「%s」不唯一或不存在 (匹配 %d 个)，请用编号", q, max(len(exact), len(us)))
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
