package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"anwei/internal/demo"
)

// Proc is a real `anwei serve` process on a loopback port: what the crash,
// multi-server, backup and soak runs drive, as an operator runs it.
type Proc struct {
	Base string // http://127.0.0.1:PORT
	cfg  ProcConfig
	addr string
	cmd  *exec.Cmd
	done chan struct{}
	log  *lockedBuffer
}

// ProcConfig says how to start a Proc.
type ProcConfig struct {
	// Exe is the anwei binary (os.Executable() in `anwei bench`; a test
	// binary that acts as anwei when Env says so in tests).
	Exe  string
	Env  []string // added to the process's environment
	Data string   // --data
	DSN  string   // --db (empty: SQLite in Data)
	// KeyFile is --audit-key-file (empty: Data/audit.key); FactorKeyFile
	// is --factor-key-file.
	KeyFile, FactorKeyFile string
	Demo                   bool     // --demo
	Args                   []string // more flags for serve
}

// StartProc starts `anwei serve` and waits until /healthz answers (at most
// a minute: the first start of a --demo loads the demo jurisdiction).
func StartProc(ctx context.Context, c ProcConfig) (*Proc, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	p := &Proc{Base: "http://" + addr, cfg: c, addr: addr}
	return p, p.start(ctx)
}

func (p *Proc) start(ctx context.Context) error {
	c := p.cfg
	args := []string{"serve", "--addr", p.addr, "--data", c.Data}
	if c.DSN != "" {
		args = append(args, "--db", c.DSN)
	}
	if c.KeyFile != "" {
		args = append(args, "--audit-key-file", c.KeyFile)
	}
	if c.FactorKeyFile != "" {
		args = append(args, "--factor-key-file", c.FactorKeyFile)
	}
	if c.Demo {
		args = append(args, "--demo")
	}
	args = append(args, c.Args...)
	p.cmd = exec.Command(c.Exe, args...)
	p.cmd.Env = append(os.Environ(), c.Env...)
	p.log = &lockedBuffer{}
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		return err
	}
	p.done = make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			return fmt.Errorf("anwei serve 退出: %s\n%s", p.cmd.ProcessState, p.Log())
		case <-ctx.Done():
			p.Kill()
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		resp, err := client.Get(p.Base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
	}
	p.Kill()
	return fmt.Errorf("anwei serve 一分钟内未就绪:\n%s", p.Log())
}

// Kill ends the process with SIGKILL, as a crash or a pulled plug (of the
// process, not the machine) would, and waits for it.
func (p *Proc) Kill() {
	if p.cmd == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// Stop ends the process as an operator does (SIGTERM: a graceful shutdown)
// and waits for it; after 20 s it is killed.
func (p *Proc) Stop() {
	if p.cmd == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		p.Kill()
	}
}

// Restart starts the process again with the same flags on the same port
// (after Kill or Stop).
func (p *Proc) Restart(ctx context.Context) error { return p.start(ctx) }

// Exited reports whether the process has ended.
func (p *Proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Log is what the process printed (stdout and stderr) since it last
// started.
func (p *Proc) Log() string { return p.log.String() }

// Run runs another anwei subcommand (audit verify, backup, …) with the
// same binary and environment and returns its output.
func (c ProcConfig) Run(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, c.Exe, args...)
	cmd.Env = append(os.Environ(), c.Env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// DBArgs are the flags that name the database and its key for commands
// (audit, backup) run on the same data as the server.
func (c ProcConfig) DBArgs() []string {
	args := []string{"--data", c.Data}
	if c.DSN != "" {
		args = append(args, "--db", c.DSN)
	}
	if c.KeyFile != "" {
		args = append(args, "--audit-key-file", c.KeyFile)
	}
	return args
}

// Client is an HTTP client signed in as a demo user (session cookie in its
// jar). A session is in the database and cookies are kept per host, not per
// port, so the client is signed in on every server of the database on
// 127.0.0.1.
func Client(ctx context.Context, base, user string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute, DisableCompression: true}}
	body, _ := json.Marshal(map[string]string{"username": user, "password": demo.Password})
	req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/session", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	doc, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s 登录失败: HTTP %d %s", user, resp.StatusCode, doc)
	}
	return c, nil
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<20 { // keep the last of a long run's log
		l.b.Reset()
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
