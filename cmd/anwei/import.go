package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"anwei/internal/app"
	"anwei/internal/docs"
	"anwei/internal/org"
)

// runImport is `anwei import KIND FILE`: it imports in bulk, prints
// "imported N, rejected M" last and writes every rejected row with its
// reason next to FILE as FILE.rejects.csv. Without --user it acts as the
// system (the whole deployment, audited as 系统); with --user as that
// account, within its jurisdiction. The file is read as a stream; more
// data rows than --max-rows refuse it.
func runImport(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "enterprises" {
		fmt.Fprintln(os.Stderr, "用法: anwei import enterprises [--user 账号] [--max-rows N] FILE   (FILE: .xlsx 或 .csv，UTF-8 或 GBK)")
		return errUsage
	}
	var user string
	a, fs, err := appCommand(ctx, "import enterprises", args[1:], func(fs *flag.FlagSet, cfg *app.Config) {
		fs.StringVar(&user, "user", "", "以该账号的身份和管辖范围导入 (默认: 系统)")
		fs.IntVar(&cfg.ImportMaxRows, "max-rows", docs.DefaultMaxRows, "文件最多的数据行数，超过则整个文件不导入")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "用法: anwei import enterprises [--user 账号] [--max-rows N] FILE")
		return errUsage
	}
	file := fs.Arg(0)
	if _, err := os.Stat(file); err != nil {
		return err
	}
	actor := systemImporter()
	if user != "" {
		c, err := a.Org.CredentialsFor(ctx, user)
		if err != nil {
			return fmt.Errorf("账号 %s: %w", user, err)
		}
		if actor, err = a.Org.ActorByID(ctx, c.UserID); err != nil {
			return err
		}
	}
	rejects := file + ".rejects.csv"
	rf, err := os.Create(rejects)
	if err != nil {
		return err
	}
	res, err := a.Ents.Import(ctx, actor, docs.File{Name: file, Path: file}, rf)
	if cerr := rf.Close(); err == nil {
		err = cerr
	}
	if err != nil || res.RejectedTotal == 0 {
		_ = os.Remove(rejects)
	}
	if err != nil {
		return err
	}
	if res.RejectedTotal > 0 {
		for _, r := range res.Rejected {
			fmt.Fprintln(out, r.Reason)
		}
		if res.RejectedOmitted > 0 {
			fmt.Fprintf(out, "…另有 %d 行被退回，未在此列出\n", res.RejectedOmitted)
		}
		fmt.Fprintf(out, "被退回的 %d 行已全部写入 %s\n", res.RejectedTotal, rejects)
	}
	fmt.Fprintf(out, "新增 %d，更新 %d，未变化 %d\n", res.Imported, res.Updated, res.Unchanged)
	fmt.Fprintf(out, "imported %d, rejected %d\n", res.Imported+res.Updated, res.RejectedTotal)
	return nil
}

// systemImporter is the system acting for the whole deployment with the
// import permission.
func systemImporter() *org.Actor {
	a := *org.System
	a.Name = "命令行导入"
	a.Perms = append(append([]org.Perm{}, a.Perms...), org.PermEntImport)
	return &a
}
