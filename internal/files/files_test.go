package files

import (
	"io"
	"strings"
	"testing"
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
