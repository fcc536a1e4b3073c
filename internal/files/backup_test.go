package files

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCopyToCopiesStoredFilesOnly: the backup of the attachments holds the
// stored files under their hashes, leaves out held form files and uploads
// being written, and a second copy into the same folder copies only what is
// new (or what is there with another size).
func TestCopyToCopiesStoredFilesOnly(t *testing.T) {
	s := New(t.TempDir())
	var sums []string
	for i := range 5 {
		sum, _, err := s.Put(strings.NewReader(fmt.Sprintf("现场照片 %d", i)))
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, sum)
	}
	if _, err := s.Hold(7, time.Now(), Upload{Name: "a.jpg", Body: strings.NewReader("暂存")}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.dir, "upload-123"), []byte("半个文件"), 0o640); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "attachments")
	c, err := s.CopyTo(dst)
	if err != nil || c.Files != 5 || c.Kept != 0 {
		t.Fatalf("first copy: %+v %v", c, err)
	}
	var got []string
	filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			got = append(got, strings.TrimPrefix(p, dst+"/"))
		}
		return err
	})
	if len(got) != 5 {
		t.Fatalf("the copy holds %v, want the 5 stored files only", got)
	}
	back := New(dst)
	for i, sum := range sums {
		f, err := back.Open(sum)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(f)
		f.Close()
		if string(b) != fmt.Sprintf("现场照片 %d", i) {
			t.Errorf("%s: copied %q", sum, b)
		}
	}

	s.Put(strings.NewReader("新的照片"))
	os.WriteFile(back.path(sums[0]), []byte("截断"), 0o640) // a copy cut short
	c, err = s.CopyTo(dst)
	if err != nil || c.Files != 2 || c.Kept != 4 {
		t.Fatalf("second copy: %+v %v, want 2 copied (the new one, the cut one) and 4 kept", c, err)
	}
	if f, err := back.Open(sums[0]); err != nil {
		t.Fatal(err)
	} else if b, _ := io.ReadAll(f); string(b) != "现场照片 0" {
		t.Errorf("the cut copy was kept: %q", b)
	}
}

// TestCopyToWhileUploading: the copy runs beside uploads and held files that
// come and go (a plain cp -a fails when a temporary upload vanishes under it)
// and never fails for them.
func TestCopyToWhileUploading(t *testing.T) {
	s := New(t.TempDir())
	var done atomic.Int32
	var wg sync.WaitGroup
	var failed atomic.Value
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer done.Add(1)
			for i := range 150 {
				if _, _, err := s.Put(strings.NewReader(fmt.Sprintf("%d-%d", w, i))); err != nil {
					failed.Store(err)
					return
				}
				h, err := s.Hold(int64(w), time.Now(), Upload{Name: "x.png", Body: strings.NewReader("x")})
				if err != nil {
					failed.Store(err)
					return
				}
				s.Release(int64(w), h.Token)
			}
		}()
	}
	copies := 0
	for ; done.Load() < 2 || copies < 2; copies++ {
		if _, err := s.CopyTo(filepath.Join(t.TempDir(), "copy")); err != nil {
			t.Fatalf("copy %d beside uploads: %v", copies, err)
		}
	}
	wg.Wait()
	if err := failed.Load(); err != nil {
		t.Fatal(err)
	}
	c, err := s.CopyTo(filepath.Join(t.TempDir(), "copy"))
	if err != nil || c.Files != 300 {
		t.Fatalf("after the uploads: %+v %v, want the 300 stored files", c, err)
	}
	t.Logf("%d copies beside the uploads", copies)
}
