package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"anwei/internal/enforce"
)

// TestDrawVerify: `anwei draw verify FILE` exits 0 on an honest record and
// 1 naming what differs on a tampered one, or on one whose commitment is
// not the published.
func TestDrawVerify(t *testing.T) {
	l := enforce.DrawLists{Count: 1, PerEnterprise: 2, PublicFormat: `^见证人输入 \d \d \d \d$`}
	for i := int64(1); i <= 3; i++ {
		l.Enterprises = append(l.Enterprises, enforce.DrawEnterprise{ID: 100 + i, Name: "企业"})
		l.Officers = append(l.Officers, enforce.DrawOfficer{ID: i, Name: "执法"})
	}
	rec, err := enforce.MakeDraw(l, bytes.Repeat([]byte{7}, 32), "见证人输入 4 8 1 5")
	if err != nil {
		t.Fatal(err)
	}
	write := func(r enforce.DrawRecord) string {
		b, _ := json.Marshal(r)
		f := filepath.Join(t.TempDir(), "draw.json")
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	honest := write(rec)
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"draw", "verify", "--commitment", rec.Commitment, honest}, &out, &errOut); code != 0 || !strings.HasPrefix(out.String(), "ok") {
		t.Fatalf("honest record: exit %d, %q %q", code, out.String(), errOut.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"draw", "verify", "--commitment", strings.Repeat("0", 64), honest}, &out, &errOut); code != 1 || !strings.Contains(out.String(), "≠ 公布的") {
		t.Errorf("another published commitment: exit %d, %q", code, out.String())
	}
	rec.Result[0].Officers[0], rec.Result[0].Officers[1] = rec.Result[0].Officers[1], rec.Result[0].Officers[0]
	out.Reset()
	if code := run(context.Background(), []string{"draw", "verify", "--commitment", rec.Commitment, write(rec)}, &out, &errOut); code != 1 || !strings.Contains(out.String(), "抽取结果与算法重算不符") {
		t.Errorf("tampered result: exit %d, %q", code, out.String())
	}
	// A key in another case, which Go would read and a viewer would not.
	b, _ := os.ReadFile(honest)
	odd := filepath.Join(t.TempDir(), "odd.json")
	_ = os.WriteFile(odd, bytes.Replace(b, []byte(`"seed"`), []byte(`"Seed"`), 1), 0o644)
	errOut.Reset()
	if code := run(context.Background(), []string{"draw", "verify", "--commitment", rec.Commitment, odd}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "键名") {
		t.Errorf("a key in another case: exit %d, %q", code, errOut.String())
	}
	if code := run(context.Background(), []string{"draw", "verify", honest}, &out, &errOut); code != 2 {
		t.Errorf("no published commitment: exit %d, want 2", code)
	}
	if code := run(context.Background(), []string{"draw"}, &out, &errOut); code != 2 {
		t.Errorf("no verb: exit %d, want 2", code)
	}
}
