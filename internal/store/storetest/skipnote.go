package storetest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// `go test ./...` shows a passing package as one "ok" line: its tests'
// output, skip messages included, only with -v or when it fails — a test
// binary's stdout and stderr go to go test, which drops them. So a run
// without PostgreSQL or Chromium looked exactly like a full one. Skip makes
// the first skip of each kind in a test binary say so on the terminal, the
// one place go test leaves alone: a line per package before its "ok",
//
//	anwei hazard.test: PostgreSQL tests skipped: set ANWEI_TEST_PG=… to run them
//
// With -v (or -json) the skip message itself shows, so nothing more is
// written; without a terminal (CI, which sets both and makes a skip fail)
// the line goes nowhere. A cached result replays only its "ok" line.

var skipSaid sync.Map // kind → true once said in this test binary

// Skip skips t with msg and, the first time this binary skips a test of
// kind ("PostgreSQL", "browser"), says so where go test shows it.
func Skip(t testing.TB, kind, msg string) {
	t.Helper()
	if _, said := skipSaid.LoadOrStore(kind, true); !said {
		sayOnTerminal(fmt.Sprintf("anwei %s: %s\n", filepath.Base(os.Args[0]), msg))
	}
	t.Skip(msg)
}

// sayOnTerminal writes line to the controlling terminal unless the tests
// run verbose (their skip messages then show). The terminal is opened
// without os.Open, which would record /dev/tty as an input of the test
// result and keep go test from caching it (writing changes its times).
func sayOnTerminal(line string) {
	if v := flag.Lookup("test.v"); v != nil && v.Value.String() != "false" {
		return
	}
	writeTTY(line)
}

// SkipWalk skips a test that walks every page of the demo (the words
// walk, the pages as cards at 390 px, the CSP of every page) unless
// ANWEI_TEST_WALKS is set: each walk repeats what the flows' tests check on
// their pages over every other page, the suite's slowest part for its
// checks, so `go test ./...` after a change leaves them to CI (.ci/run sets
// the variable) and to whoever changes a page or a template.
func SkipWalk(t testing.TB) {
	t.Helper()
	if os.Getenv("ANWEI_TEST_WALKS") == "" {
		Skip(t, "walk", "page walks skipped (every page as each role: words, phone cards, CSP): set ANWEI_TEST_WALKS=1 to run them (CI does)")
	}
}
