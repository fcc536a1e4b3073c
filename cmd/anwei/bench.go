package main

import (
	"context"
	"flag"
	"io"
	"os"
	"runtime/pprof"

	"anwei/internal/bench"
)

func runBench(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var o bench.Options
	fs.DurationVar(&o.Duration, "duration", bench.Default.Duration, "每项 HTTP 测量时长 (soak: 全程时长，默认 10 分钟)")
	fs.DurationVar(&o.Warmup, "warmup", bench.Default.Warmup, "预热时长")
	fs.IntVar(&o.Clients, "clients", bench.Default.Clients, "并发客户端数")
	fs.StringVar(&o.DSN, "db", "", "在此数据库上测量 (默认临时目录中的新 SQLite)")
	fs.StringVar(&o.SQLiteSync, "sqlite-sync", "", "SQLite 的落盘方式 full 或 normal (默认同 serve: full)")
	fs.IntVar(&o.Rounds, "rounds", 20, "crash: kill -9 的轮数")
	cpuprofile := fs.String("cpuprofile", "", "把 CPU 剖析写入此文件 (go tool pprof 可读)")
	err := parse(fs, args)
	if err != nil {
		return err
	}
	if o.Exe, err = os.Executable(); err != nil {
		return err
	}
	fs.Visit(func(f *flag.Flag) { // the soak runs 10 minutes unless --duration is given
		if f.Name == "duration" {
			o.Soak = o.Duration
		}
	})
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	return bench.Run(ctx, out, o, fs.Args())
}
