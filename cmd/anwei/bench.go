package main

import (
	"context"
	"flag"
	"io"

	"anwei/internal/bench"
)

func runBench(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var o bench.Options
	fs.DurationVar(&o.Duration, "duration", bench.Default.Duration, "每项 HTTP 测量时长")
	fs.DurationVar(&o.Warmup, "warmup", bench.Default.Warmup, "预热时长")
	fs.IntVar(&o.Clients, "clients", bench.Default.Clients, "并发客户端数")
	fs.StringVar(&o.DSN, "db", "", "在此数据库上测量 (默认临时目录中的新 SQLite)")
	if err := parse(fs, args); err != nil {
		return err
	}
	return bench.Run(ctx, out, o, fs.Args())
}
