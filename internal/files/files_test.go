package files

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"anwei/internal/apperr"
)

func TestPutIsContentAddressedAndOpenRefusesPaths(t *testing.T) {
	s := New(t.TempDir())
	a, n, err := s.Put(strings.NewReader("整改前照片"))
	if err != nil || n != int64(len("整改前照片")) {
		t.Fatal(a, n, err)
	}
	b, _, err := s.Put(strings.NewReader("整改前照片"))
	if err != nil || a != b {
		t.Fatalf("same content, different hash: %s %s %v", a, b, err)
	}
	f, err := s.Open(a)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if string(got) != "整改前照片" {
		t.Errorf("read back %q", got)
	}
	if _, err := s.Open("../../etc/passwd"); err == nil {
		t.Error("a path was opened")
	}
}

// TestPutRecordsTheSniffedType: what is recorded is the type the bytes
// show, never the client's claim; photos must be JPEG, PNG or WebP by their
// bytes, and a refused photo stores nothing of the batch.
func TestPutRecordsTheSniffedType(t *testing.T) {
	dir := t.TempDir()
	s := New(dir)
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
	webp := "RIFF\x00\x00\x00\x00WEBPVP8 "
	got, err := s.PutAll([]Upload{
		{Name: "a.png", ContentType: "image/png", Body: strings.NewReader("<html><script>alert(1)</script>")},
		{Name: "b.bin", ContentType: "application/octet-stream", Body: strings.NewReader(png)},
		{Name: "c.svg", ContentType: "image/svg+xml", Body: strings.NewReader(`<?xml version="1.0"?><svg/>`)},
	}, 10)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"text/html; charset=utf-8", "image/png", "text/xml; charset=utf-8"} {
		if got[i].ContentType != want {
			t.Errorf("%s recorded as %q, want %q", got[i].Name, got[i].ContentType, want)
		}
	}
	if f, err := s.Open(got[1].SHA256); err != nil {
		t.Fatal(err)
	} else if b, _ := io.ReadAll(f); string(b) != png {
		t.Errorf("the sniffed bytes were not stored: %q", b)
	} else {
		f.Close()
	}
	for _, tc := range []struct {
		body string
		ok   bool
	}{{png, true}, {"\xff\xd8\xff\xe0", true}, {webp, true}, {"GIF89a", false}, {`<svg xmlns="http://www.w3.org/2000/svg"/>`, false}, {"%PDF-1.4", false}} {
		fresh := New(filepath.Join(t.TempDir(), "store"))
		_, err := fresh.PutPhotos([]Upload{{Name: "ok.jpg", Body: strings.NewReader("\xff\xd8\xff\xe0")}, {Name: `C:\照片\x.jpg`, ContentType: "image/jpeg", Body: strings.NewReader(tc.body)}}, 10)
		if tc.ok != (err == nil) {
			t.Errorf("photo %q: %v", tc.body, err)
		}
		if !tc.ok {
			if err == nil || apperr.As(err).Message != "照片 x.jpg 不是 JPEG/PNG/WebP 图片" {
				t.Errorf("photo %q: error %v", tc.body, err)
			}
			if _, serr := os.Stat(fresh.dir); !os.IsNotExist(serr) {
				t.Errorf("photo %q: a refused batch stored files", tc.body)
			}
		}
	}
}
