// Package app wires anwei together: configuration -> store -> services ->
// web. It holds no rules of its own.
package app

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/auth"
	"anwei/internal/auth/passwd"
	"anwei/internal/calendar"
	"anwei/internal/demo"
	"anwei/internal/docs"
	"anwei/internal/files"
	"anwei/internal/org"
	"anwei/internal/org/scope"
	"anwei/internal/store"
	"anwei/internal/web"
)

// Config is what the command line decides.
type Config struct {
	DataDir string // --data: where the SQLite file (and later attachments) live
	DSN     string // --db: postgres://… or a SQLite path; empty = <data>/anwei.db
	// SQLiteSync (--sqlite-sync, ANWEI_SQLITE_SYNC) is when SQLite's
	// commits reach the disk: "full" (the default, store.SyncFull) or
	// "normal"; empty takes store.DefaultSync.
	SQLiteSync string
	Region     string // --region: root region on first start
	Demo       bool   // --demo: load the demo jurisdiction into an empty database
	// DemoEnterprises is how many generated enterprises the demo registry
	// holds (besides 泺口化工); 0 means the default 2000.
	DemoEnterprises int
	Log             *slog.Logger
	Out             io.Writer // where start-up messages for the operator go
	Clock           calendar.Clock
	Policy          *auth.Policy
	// TrustProxy (--trust-proxy): anwei runs behind a reverse proxy that
	// ends TLS and sets X-Forwarded-For / X-Forwarded-Proto; the client's
	// address and scheme are read from those headers.
	TrustProxy bool
	// Timeouts of the HTTP server; zero fields take web.DefaultTimeouts.
	Timeouts web.Timeouts
	// ImportMaxRows (--import-max-rows) caps the data rows of an imported
	// sheet (enterprises, plan progress); 0 means docs.DefaultMaxRows.
	ImportMaxRows int
	// AuditKeyFile (--audit-key-file, ANWEI_AUDIT_KEY_FILE) is the audit
	// chain's key: 32 random bytes, kept outside the database; empty means
	// audit.key in the data directory, created at the first start. Several
	// servers on one PostgreSQL point at the same file.
	AuditKeyFile string
	// FactorKeyFile (--factor-key-file, ANWEI_FACTOR_KEY_FILE) is the key
	// that encrypts the TOTP secrets of two-factor login (factorkey.go):
	// kept like the audit key, empty means factor.key in the data directory.
	FactorKeyFile string
	// Fonts (--font-title, --font-body; ANWEI_FONT_TITLE, ANWEI_FONT_BODY)
	// are licensed TrueType faces (方正小标宋, 仿宋_GB2312) that print writs'
	// titles and body text before the embedded free faces.
	Fonts docs.FaceFiles
	// Webhook (--webhook-url, ANWEI_WEBHOOK_URL; --webhook-secret,
	// ANWEI_WEBHOOK_SECRET) is where every inbox message is also posted
	// (inbox.Webhook: JSON signed with HMAC-SHA256), for a deployment to
	// pass on by SMS or a government messaging platform; empty: none.
	WebhookURL, WebhookSecret string
}

// App is a wired anwei: its database, its services and (for serve) its
// web server.
type App struct {
	Config Config
	*Services
	Web *web.Server // nil for a command that does not serve
}

// OpenDB opens and migrates the configured database for a command that
// writes: it reads the audit key (creating it at the first start) and binds
// the audit chain to it (audit.Bind).
func OpenDB(ctx context.Context, cfg Config) (*store.DB, error) {
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	if cfg.Clock == nil {
		cfg.Clock = calendar.System{}
	}
	return open(ctx, cfg, func(db *store.DB) error { return bindAuditKey(ctx, db, cfg) })
}

// OpenDBToRead opens and migrates the configured database for a command
// that only reads (audit verify and head, backup): it reads the audit key
// when there is one and never creates it.
func OpenDBToRead(ctx context.Context, cfg Config) (*store.DB, error) {
	return open(ctx, cfg, func(db *store.DB) error { return readAuditKey(db, cfg) })
}

func open(ctx context.Context, cfg Config, key func(*store.DB) error) (*store.DB, error) {
	sync, err := store.ParseSync(cfg.SQLiteSync)
	if err != nil {
		return nil, err
	}
	db, err := store.OpenSync(ctx, cfg.DSN, cfg.DataDir, sync)
	if err != nil {
		return nil, err
	}
	db.Waiting = func(int64) {
		if cfg.Out != nil {
			fmt.Fprintln(cfg.Out, "同一数据库上的另一台服务器或命令正在启动 (迁移、密钥、初始化)，等待其完成…")
		}
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if _, err := db.Exclusive(ctx, store.StartLock, true, func() error { return key(db) }); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Open opens the configured database for a command that writes and builds
// the services on it (NewServices), without a web server and without
// setting the deployment up, and loads the stored holiday notices: what the
// command line's writing subcommands use, so they compute exactly as the
// server does.
func Open(ctx context.Context, cfg Config) (*App, error) {
	cfg = cfg.withDefaults()
	if err := docs.UseFaces(cfg.Fonts); err != nil {
		return nil, err
	}
	db, err := OpenDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	w := cfg.wiring()
	// Several servers starting at once on one database take turns (store.StartLock).
	if _, err = db.Exclusive(ctx, store.StartLock, true, func() (err error) { w.FactorKey, err = factorKey(ctx, db, cfg); return err }); err != nil {
		db.Close()
		return nil, err
	}
	a := &App{Config: cfg, Services: NewServices(db, w)}
	// The holiday notices an administrator loaded (org.ImportHolidays):
	// every "N 个工作日" counts by them. One that cannot be read is said and
	// left out; the start goes on.
	if err := a.Org.LoadHolidays(ctx); err != nil {
		cfg.Log.Warn("节假日安排未能全部载入", "err", err)
	}
	return a, nil
}

// New opens the database, builds the services and the web server, and sets
// the deployment up (root region, demo data, admin account) when it is new.
func New(ctx context.Context, cfg Config) (*App, error) {
	a, err := Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	cfg = a.Config
	if a.Web, err = web.New(a.Services.Services, web.Options{Log: cfg.Log, TrustProxy: cfg.TrustProxy, Timeouts: cfg.Timeouts}); err != nil {
		a.Close()
		return nil, err
	}
	// One server sets a new database up; one starting at the same time
	// waits and finds it set up (store.StartLock).
	if _, err := a.DB.Exclusive(ctx, store.StartLock, true, func() error { return a.setUp(ctx) }); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

func (cfg Config) withDefaults() Config {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	if cfg.Clock == nil {
		cfg.Clock = calendar.System{}
	}
	return cfg
}

func (cfg Config) wiring() Wiring {
	return Wiring{Clock: cfg.Clock, Policy: cfg.Policy, FilesDir: cfg.filesDir(), ImportMaxRows: cfg.ImportMaxRows}
}

// filesDir is where the uploaded files are kept: <data>/attachments.
func (cfg Config) filesDir() string { return filepath.Join(cfg.DataDir, "attachments") }

// BackupFiles copies the deployment's stored files into dst, the server
// running (anwei backup-files; files.Store.CopyTo).
func BackupFiles(cfg Config, dst string) (files.Copied, error) {
	return files.New(cfg.filesDir()).CopyTo(dst)
}

// Close closes the database.
func (a *App) Close() error { return a.DB.Close() }

func (a *App) setUp(ctx context.Context) error {
	_, ready, err := a.Org.RootRegion(ctx)
	if err != nil {
		return err
	}
	if !ready && a.Config.Demo {
		if a.Config.Region != "" && a.Config.Region != demo.Root {
			return fmt.Errorf("演示数据只能用于根区划 %s (济南市天桥区)", demo.Root)
		}
		logins, err := demo.Load(ctx, a.Org, a.Plans, a.Ents, a.Config.DemoEnterprises)
		if err != nil {
			return fmt.Errorf("载入演示数据: %w", err)
		}
		if err := demo.LoadHazards(ctx, a.Org, a.Ents, a.Hazards, a.Risks, a.Clock.Now()); err != nil {
			return fmt.Errorf("载入演示隐患和风险: %w", err)
		}
		more, err := demo.LoadEnforcement(ctx, a.Org, a.Ents, a.Enforce, a.Clock.Now())
		if err != nil {
			return fmt.Errorf("载入演示执法计划和抽查: %w", err)
		}
		if err := demo.LoadInspections(ctx, a.Org, a.Ents, a.Enforce, a.Clock.Now()); err != nil {
			return fmt.Errorf("载入演示执法检查: %w", err)
		}
		PrintLogins(a.Config.Out, append(logins, more...))
	} else {
		if ready && a.Config.Demo {
			fmt.Fprintln(a.Config.Out, "数据库已有数据，未载入演示数据 (演示数据只载入空库)")
		}
		if _, err := a.Org.Bootstrap(ctx, a.Config.Region); err != nil {
			return err
		}
	}
	if n, err := a.Auth.TermOldTokens(ctx); err != nil {
		return err
	} else if n > 0 {
		fmt.Fprintf(a.Config.Out, "%d 个升级前创建的接口令牌 (可访问全部接口、无有效期) 已设为 %d 天后过期；请其持有人及时创建限定范围的新令牌\n", n, auth.DefaultTokenDays)
	}
	return a.ensureAdmin(ctx)
}

// PrintLogins prints the demo accounts for the operator.
func PrintLogins(w io.Writer, logins []demo.Login) {
	fmt.Fprintln(w, "演示账号 (密码均为 "+demo.Password+"):")
	for _, l := range logins {
		fmt.Fprintf(w, "  %-11s %-6s %-12s %s\n", l.Username, l.Name, l.Role.Name(), l.Unit)
	}
}

// ensureAdmin makes sure the admin account exists. ANWEI_ADMIN_PASSWORD,
// when set, becomes its password at every start and lifts any lock on it,
// so an operator locked out of admin gets back in by restarting.
func (a *App) ensureAdmin(ctx context.Context) error {
	pw := os.Getenv("ANWEI_ADMIN_PASSWORD")
	uid, err := a.Org.UserIDByName(ctx, "admin")
	if apperr.Is(err, apperr.NotFound) {
		gov, err := a.Org.Bootstrap(ctx, "")
		if err != nil {
			return err
		}
		generated := pw == ""
		if generated {
			pw = randomPassword()
		}
		if _, err := a.Org.CreateUser(ctx, org.System, org.UserInput{Username: "admin", DisplayName: "系统管理员",
			UnitID: gov.ID, Roles: []org.Role{org.RoleAdmin}, Password: pw}); err != nil {
			return fmt.Errorf("创建管理员账号: %w", err)
		}
		if generated {
			fmt.Fprintf(a.Config.Out, "已创建管理员账号 admin，初始密码: %s (请登录后妥善保管)\n", pw)
		}
		return nil
	}
	if err != nil {
		return err
	}
	if pw == "" {
		return nil
	}
	if unlocked, err := a.Org.UnlockUser(ctx, org.System, uid); err != nil {
		return err
	} else if unlocked {
		fmt.Fprintln(a.Config.Out, "已按 ANWEI_ADMIN_PASSWORD 解除 admin 的登录锁定")
	}
	if c, err := a.Org.CredentialsFor(ctx, "admin"); err == nil {
		if same, _ := passwd.Check(pw, c.PasswordHash); same {
			return nil
		}
	}
	return a.Org.SetPassword(ctx, org.System, uid, pw)
}

func randomPassword() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return "Aw" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)) + "9"
}

// AllScope is the scope that sees everything (for the command line and tests).
func AllScope() scope.Scope { return org.System.Scope }
