package main

import (
	"os"
	"testing"

	"anwei/internal/bench"
)

// anweiProc is how a test starts anwei as a process (bench.StartProc) or
// runs one of its commands: this test binary, which is anwei when
// ANWEI_TEST_AS_ANWEI=1 (TestMain), on the data directory dir.
func anweiProc(t testing.TB, dir string) bench.ProcConfig {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return bench.ProcConfig{Exe: exe, Env: []string{"ANWEI_TEST_AS_ANWEI=1"}, Data: dir}
}

// TestProcServesAndRestarts: the harness itself — anwei serve --demo as a
// process answers a signed-in user, survives kill -9 and starts again on
// the same data with the user's session still good.
func TestProcServesAndRestarts(t *testing.T) {
	ctx := t.Context()
	c := anweiProc(t, t.TempDir())
	c.Demo = true
	p, err := bench.StartProc(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Kill()
	client, err := bench.Client(ctx, p.Base, "office")
	if err != nil {
		t.Fatal(err)
	}
	me := func() int {
		resp, err := client.Get(p.Base + "/api/v1/me")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := me(); code != 200 {
		t.Fatalf("GET /api/v1/me: %d", code)
	}
	p.Kill()
	if !p.Exited() {
		t.Fatal("killed process still running")
	}
	if err := p.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if code := me(); code != 200 {
		t.Fatalf("GET /api/v1/me after kill -9 and restart: %d", code)
	}
	out, err := c.Run(ctx, append([]string{"audit", "verify"}, c.DBArgs()...)...)
	if err != nil {
		t.Fatalf("audit verify: %v\n%s", err, out)
	}
}
