package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"

	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/org"
)

// runImport is `anwei import KIND FILE`: it imports in bulk, prints
// "imported N, rejected M" last and writes every rejected row with its
// reason next to FILE as FILE.rejects.csv. Without --user it acts as the
// system (the whole deployment, audited as 系统); with --user as that
// account, within its jurisdiction.
func runImport(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "enterprises" {
		fmt.Fprintln(os.Stderr, "用法: anwei import enterprises [--user 账号] FILE   (FILE: .xlsx 或 .csv，UTF-8 或 GBK)")
		return errUsage
	}
	var user string
	db, fs, _, err := dbCommand(ctx, "import enterprises", args[1:], func(fs *flag.FlagSet) {
		fs.StringVar(&user, "user", "", "以该账号的身份和管辖范围导入 (默认: 系统)")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "用法: anwei import enterprises [--user 账号] FILE")
		return errUsage
	}
	file := fs.Arg(0)
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	clock := calendar.System{}
	orgs := org.NewService(db, clock)
	a := systemImporter()
	if user != "" {
		c, err := orgs.CredentialsFor(ctx, user)
		if err != nil {
			return fmt.Errorf("账号 %s: %w", user, err)
		}
		if a, err = orgs.ActorByID(ctx, c.UserID); err != nil {
			return err
		}
	}
	ents := enterprise.NewService(db, clock, orgs)
	res, err := ents.Import(ctx, a, file, data)
	if err != nil {
		return err
	}
	rejects := file + ".rejects.csv"
	if len(res.Rejected) > 0 {
		f, err := os.Create(rejects)
		if err != nil {
			return err
		}
		_, _ = f.Write([]byte("\xef\xbb\xbf")) // BOM, so Excel reads the UTF-8
		w := csv.NewWriter(f)
		if err := w.WriteAll(enterprise.RejectsCSV(enterprise.SheetHeader, res.Rejected)); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		for _, r := range res.Rejected {
			fmt.Fprintln(out, r.Reason)
		}
		fmt.Fprintf(out, "被退回的行已写入 %s\n", rejects)
	} else {
		_ = os.Remove(rejects)
	}
	fmt.Fprintf(out, "新增 %d，更新 %d，未变化 %d\n", res.Imported, res.Updated, res.Unchanged)
	fmt.Fprintf(out, "imported %d, rejected %d\n", res.Imported+res.Updated, len(res.Rejected))
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
