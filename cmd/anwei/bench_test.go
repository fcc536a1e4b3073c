package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchWritesACPUProfile: `anwei bench -cpuprofile F` prints the
// figures and leaves a profile in F (a gzipped pprof file).
func TestBenchWritesACPUProfile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "cpu.prof")
	var out bytes.Buffer
	if err := runBench(context.Background(), []string{"-cpuprofile", f, "-duration", "50ms", "-warmup", "0", "plan_parse"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "bench plan_parse") {
		t.Errorf("no figure printed: %q", out.String())
	}
	raw, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) < 2 || raw[0] != 0x1f || raw[1] != 0x8b {
		t.Errorf("the profile is not a gzipped pprof file (%d bytes)", len(raw))
	}
}
