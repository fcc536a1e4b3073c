// Command anwei is the work-safety supervision platform of a 安全生产委员会:
// one binary that serves the web UI and JSON API and runs the operator's
// tasks. `anwei help` lists the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"anwei/internal/app"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, out io.Writer) error
}

var commands []command

func init() {
	commands = []command{
		{"serve", "启动服务 (网页和 JSON 接口): serve [--addr 127.0.0.1:8080] [--data ./data] [--db DSN] [--region CODE] [--demo]", runServe},
		{"migrate", "把数据库结构升级到最新", runMigrate},
		{"demo", "向空库载入演示辖区 (济南市天桥区) 并打印演示账号", runDemo},
		{"plan", "工作要点: plan parse [--year N] FILE 输出 anwei.plan/v1 JSON", runPlan},
		{"import", "批量导入: import enterprises [--user 账号] FILE (.xlsx/.csv)，退回的行写入 FILE.rejects.csv", runImport},
		{"draw", "双随机抽取记录: draw verify --commitment 公布的承诺值 FILE 重算 anwei.draw/v1 记录，一致时退出码 0，否则逐项说明并退出 1", runDraw},
		{"rules", "法规计算器: rules credit-code CODE | major-source --people N 名称=吨 … | lec L E C | ls L S，输出带依据的 JSON", runRules},
		{"user", "账号管理: user list | add | passwd | token", runUser},
		{"calendar", "节假日表: calendar import FILE 载入国务院办公厅一年的节假日安排通知 (CSV: date,kind,name) | calendar list", runCalendar},
		{"backup", "在服务运行时写出一致的数据库副本: backup FILE", runBackup},
		{"backup-files", "在服务运行时把附件复制到备份目录 (在 backup 之后运行): backup-files DIR", runBackupFiles},
		{"audit", "审计链: audit verify [--head 哈希] (校验；--head 证明此前保存的链头及其之前未被改动) | audit head (打印链头)", runAudit},
		{"bench", "性能测量: bench [http_me sqlite_commit …]，每项输出一行 bench <名称> <数值> <单位>", runBench},
		{"version", "打印版本", func(_ context.Context, _ []string, out io.Writer) error {
			fmt.Fprintln(out, "anwei", version)
			return nil
		}},
		{"help", "列出子命令", func(_ context.Context, _ []string, out io.Writer) error {
			usage(out)
			return nil
		}},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "anwei — 安全生产委员会监管平台\n\n用法: anwei <子命令> [参数]\n\n子命令:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
}

// errUsage marks a usage error (exit 2).
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, out, errOut io.Writer) int {
	if len(args) == 0 {
		usage(errOut)
		return 2
	}
	for _, c := range commands {
		if c.name == args[0] {
			err := c.run(ctx, args[1:], out)
			switch {
			case err == nil:
				return 0
			case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
				return 2
			case errors.Is(err, errFailed):
				return 1
			}
			fmt.Fprintln(errOut, "anwei "+c.name+": "+err.Error())
			return 1
		}
	}
	fmt.Fprintf(errOut, "未知子命令 %q\n\n", args[0])
	usage(errOut)
	return 2
}

// errFailed is returned by a command that already printed why it failed.
var errFailed = errors.New("failed")

// dbFlags adds the flags every database command shares.
func dbFlags(fs *flag.FlagSet, cfg *app.Config) {
	fs.StringVar(&cfg.DataDir, "data", "data", "数据目录 (SQLite 数据库文件 anwei.db 所在)")
	fs.StringVar(&cfg.DSN, "db", os.Getenv("ANWEI_DB"), "数据库: 空为数据目录中的 SQLite；postgres://user:pass@host/db 为 PostgreSQL")
	fs.StringVar(&cfg.SQLiteSync, "sqlite-sync", os.Getenv("ANWEI_SQLITE_SYNC"),
		"SQLite 的落盘方式: full (默认，每次提交 (成组提交时每组) 写入磁盘后才确认，断电也不丢已确认的写入) 或 normal (只在检查点写入磁盘：进程崩溃不丢，断电可能丢失最后几次写入，写入更快)；PostgreSQL 不用此项")
	fs.StringVar(&cfg.AuditKeyFile, "audit-key-file", os.Getenv("ANWEI_AUDIT_KEY_FILE"),
		"审计密钥文件 (32 字节，不在数据库中): 空为数据目录中的 audit.key，首次启动时生成；同一 PostgreSQL 上的多台服务器须指向同一个文件")
	fs.StringVar(&cfg.FactorKeyFile, "factor-key-file", os.Getenv("ANWEI_FACTOR_KEY_FILE"),
		"双因素密钥文件 (32 字节，加密各账号的动态验证码密钥，不在数据库中): 空为数据目录中的 factor.key，首次启动时生成；多台服务器须指向同一个文件")
}

func parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(os.Stderr)
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	return nil
}
