package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	"anwei/internal/app"
	"anwei/internal/calendar"
	"anwei/internal/docs"
)

func runServe(ctx context.Context, args []string, out io.Writer) error {
	var cfg app.Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dbFlags(fs, &cfg)
	addr := fs.String("addr", "127.0.0.1:8080", "监听地址")
	fs.StringVar(&cfg.Region, "region", "", "首次启动时的根行政区划代码 (如 370105)；空为全国")
	fs.BoolVar(&cfg.Demo, "demo", false, "数据库为空时先载入演示辖区 (济南市天桥区)")
	debug := fs.Bool("debug", false, "记录每个请求")
	fs.BoolVar(&cfg.TrustProxy, "trust-proxy", false, "在反向代理之后运行: 客户端地址取自 X-Forwarded-For，HTTPS 取自 X-Forwarded-Proto (代理须覆盖这两个请求头)")
	fs.IntVar(&cfg.ImportMaxRows, "import-max-rows", docs.DefaultMaxRows, "导入的表格 (企业、任务分工表) 最多的数据行数，超过则整个文件不导入")
	fontFlags(fs, &cfg)
	fs.StringVar(&cfg.WebhookURL, "webhook-url", os.Getenv("ANWEI_WEBHOOK_URL"), "消息外发: 每条消息 (待办、提醒) 以 JSON POST 到此地址，供短信或政务消息平台转发；空为不外发 (环境变量 ANWEI_WEBHOOK_URL)")
	fs.StringVar(&cfg.WebhookSecret, "webhook-secret", os.Getenv("ANWEI_WEBHOOK_SECRET"), "消息外发的签名密钥: 请求头 X-Anwei-Signature 为 sha256=HMAC-SHA256(正文) 的十六进制 (环境变量 ANWEI_WEBHOOK_SECRET)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if u, err := url.Parse(cfg.WebhookURL); cfg.WebhookURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		return fmt.Errorf("--webhook-url %q: 须为 http:// 或 https:// 开头的地址", cfg.WebhookURL)
	}
	if cfg.WebhookURL != "" && len(cfg.WebhookSecret) < 16 {
		// An HMAC with an empty or short key proves nothing to the receiver.
		return fmt.Errorf("--webhook-url 须同时给出至少 16 个字符的 --webhook-secret (环境变量 ANWEI_WEBHOOK_SECRET)，供接收方验证签名")
	}
	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	cfg.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	cfg.Out = out
	a, err := app.New(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	jobs, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	a.RunScheduler(jobs)
	srv := a.Web.HTTPServer()
	fmt.Fprintf(out, "anwei %s 已启动: http://%s/ (数据库: %s %s)\n", version, ln.Addr(), a.DB.Dialect, a.DB.Where)
	if today := calendar.Local(time.Now()).Format("2006-01-02"); calendar.HolidaysRunOut(today) {
		cfg.Log.Warn("节假日表只到 " + calendar.KnownThrough() + "：国务院办公厅发布下一年的放假安排通知后，请由系统管理员在 组织机构 › 节假日安排 或以 anwei calendar import FILE 载入，否则之后的“N 个工作日”期限 (如工作要点的报送日期) 可能落在节假日")
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(out, "anwei 已停止")
	return nil
}

func runMigrate(ctx context.Context, args []string, out io.Writer) error {
	a, _, err := appCommand(ctx, "migrate", args, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Fprintf(out, "数据库已是最新结构 (%s %s)\n", a.DB.Dialect, a.DB.Where)
	return nil
}

func runDemo(ctx context.Context, args []string, out io.Writer) error {
	a, _, err := appCommand(ctx, "demo", args, nil)
	if err != nil {
		return err
	}
	cfg := a.Config
	_, ready, err := a.Org.RootRegion(ctx)
	a.Close()
	if err != nil {
		return err
	}
	if ready {
		return fmt.Errorf("数据库已初始化，演示数据只能载入空库 (换一个 --data 目录)")
	}
	cfg.Demo, cfg.Out = true, out
	if a, err = app.New(ctx, cfg); err != nil {
		return err
	}
	return a.Close()
}

// fontFlags adds the flags naming licensed faces for writs (GB/T 9704's
// 方正小标宋 and 仿宋_GB2312): TrueType files that print titles and body
// text before the embedded free faces.
func fontFlags(fs *flag.FlagSet, cfg *app.Config) {
	fs.StringVar(&cfg.Fonts.Title, "font-title", os.Getenv("ANWEI_FONT_TITLE"), "公文标题字体文件 (如 方正小标宋 .ttf，须有授权)；空为内置的思源宋体粗体子集")
	fs.StringVar(&cfg.Fonts.Body, "font-body", os.Getenv("ANWEI_FONT_BODY"), "公文正文字体文件 (如 仿宋_GB2312 .ttf，须有授权)；空为内置的 Fandol 仿宋子集")
}
