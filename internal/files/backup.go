package files

import (
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
)

// Copied counts what CopyTo did.
type Copied struct {
	Files, Kept int   // copied now; already in the destination
	Bytes       int64 // copied now
}

// CopyTo copies every stored file into dst (its own <2 hex>/<hash> layout),
// while the server runs: only the stored files — never an upload still being
// written nor a form's held file, which come and go — and a file already in
// dst with the same size is kept (stored files never change), so a second
// copy into the same folder copies only what is new. Each file is flushed
// and renamed into place, so an interrupted copy leaves no half file under a
// hash. Run it after the database's backup: a file is stored before the
// record naming it commits, so the copy holds every file that backup names.
func (s *Store) CopyTo(dst string) (Copied, error) {
	var c Copied
	if err := os.MkdirAll(dst, 0o750); err != nil {
		return c, err
	}
	shards, err := os.ReadDir(s.dir)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil // nothing uploaded yet
	}
	if err != nil {
		return c, err
	}
	for _, sh := range shards {
		if !sh.IsDir() || !isHex(sh.Name(), 2) {
			continue
		}
		names, err := os.ReadDir(filepath.Join(s.dir, sh.Name()))
		if err != nil {
			return c, err
		}
		for _, e := range names {
			if !e.Type().IsRegular() || !isHex(e.Name(), 64) || e.Name()[:2] != sh.Name() {
				continue
			}
			n, copied, err := copyFile(filepath.Join(s.dir, sh.Name(), e.Name()), filepath.Join(dst, sh.Name()), e.Name())
			if err != nil {
				return c, err
			}
			if copied {
				c.Files++
				c.Bytes += n
			} else {
				c.Kept++
			}
		}
	}
	return c, syncDir(dst)
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// copyFile copies src to dir/name unless a file of the same size is there.
func copyFile(src, dir, name string) (int64, bool, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, false, err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return 0, false, err
	}
	if have, err := os.Stat(filepath.Join(dir, name)); err == nil && have.Size() == st.Size() {
		return 0, false, nil
	}
	_, statErr := os.Stat(dir)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return 0, false, err
	}
	tmp, err := os.CreateTemp(dir, "copy-*")
	if err != nil {
		return 0, false, err
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, in)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, name))
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err == nil && statErr != nil {
		err = syncDir(filepath.Dir(dir))
	}
	return n, err == nil, err
}
