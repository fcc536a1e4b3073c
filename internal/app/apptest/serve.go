package apptest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"

	"anwei/internal/app"
)

// Serve runs the demo deployment configured by cfg on a SQLite copy
// (Seeded; the demo and a silent log filled in) through Server.HTTPServer,
// as `anwei serve` serves it, on a free loopback port; it returns the app
// and the address. Both stop when t ends.
func Serve(t *testing.T, cfg app.Config) (*app.App, string) {
	t.Helper()
	cfg.Demo, cfg.Log = true, slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(context.Background(), Seeded(t, SQLite, cfg))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := a.Web.HTTPServer()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return a, ln.Addr().String()
}
