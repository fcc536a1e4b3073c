package files

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHeldUploads: a held upload is read back by its user only, under its
// token, with its name; it counts against the user's quota; it goes when
// released or a day after; and it lies in the store's folder, not the
// system's temporary one.
func TestHeldUploads(t *testing.T) {
	dir := t.TempDir()
	s := New(dir)
	now := time.Now()
	h, err := s.Hold(7, now, Upload{Name: `C:\照片\前.jpg`, ContentType: "image/jpeg", Body: strings.NewReader("jpegdata")})
	if err != nil || h.Name != "前.jpg" || h.Size != 8 || !validToken(h.Token) {
		t.Fatalf("hold: %+v %v", h, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pending", "7", h.Token)); err != nil {
		t.Errorf("not in the store's folder: %v", err)
	}
	got, f, ok, err := s.Kept(7, h.Token)
	if err != nil || !ok || got.Name != "前.jpg" {
		t.Fatalf("kept: %+v %v %v", got, ok, err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if string(b) != "jpegdata" {
		t.Errorf("content %q", b)
	}
	for _, tok := range []string{h.Token, "../7/" + h.Token, "x"} {
		if _, _, ok, _ := s.Kept(8, tok); ok {
			t.Errorf("user 8 reads %q", tok)
		}
	}
	for i := 1; i < PendingQuotaFile; i++ {
		if _, err := s.Hold(7, now, Upload{Name: "x.jpg", Body: strings.NewReader("x")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Hold(7, now, Upload{Name: "one-too-many.jpg", Body: strings.NewReader("x")}); err == nil || !strings.Contains(err.Error(), "已达") {
		t.Errorf("over the quota: %v", err)
	}
	s.Release(7, h.Token)
	if _, _, ok, _ := s.Kept(7, h.Token); ok {
		t.Error("released, still kept")
	}
	if n, err := s.ExpirePending(now); err != nil || n != 0 {
		t.Errorf("expired too early: %d %v", n, err)
	}
	if n, err := s.ExpirePending(now.Add(PendingTTL + time.Minute)); err != nil || n != PendingQuotaFile-1 {
		t.Errorf("expired after a day: %d %v", n, err)
	}
}
