// Package files keeps uploaded attachments (progress evidence, hazard
// photos, writs) by their SHA-256 in a directory that every anwei instance
// mounts, so the database holds only the hash, name and size. The same
// content is stored once; a file is never changed after it is written.
package files

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Store is a content-addressed folder.
type Store struct{ dir string }

// New returns the store under dir (created on first write).
func New(dir string) *Store { return &Store{dir: dir} }

// MaxSize is the largest file accepted (50 MiB).
const MaxSize = 50 << 20

// ErrTooLarge is returned for files over MaxSize.
var ErrTooLarge = errors.New("附件不能超过 50 MB")

func (s *Store) path(sum string) string { return filepath.Join(s.dir, sum[:2], sum) }

// Put stores r's content and returns its hash and size.
func (s *Store) Put(r io.Reader) (string, int64, error) {
	if err := os.MkdirAll(s.dir, 0o750); err != nil {
		return "", 0, err
	}
	tmp, err := os.CreateTemp(s.dir, "upload-*")
	if err != nil {
		return "", 0, err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, MaxSize+1))
	if err == nil && n <= MaxSize {
		// On disk before the record that names it commits (and is
		// acknowledged): power loss must not leave a record whose file is
		// empty (README, Durability).
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, err
	}
	if n > MaxSize {
		return "", 0, ErrTooLarge
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if _, err := os.Stat(s.path(sum)); err == nil {
		return sum, n, nil
	}
	dir := filepath.Dir(s.path(sum))
	_, statErr := os.Stat(dir)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", 0, err
	}
	if err := os.Rename(tmp.Name(), s.path(sum)); err != nil {
		return "", 0, err
	}
	if err := syncDir(dir); err != nil {
		return "", 0, err
	}
	if statErr != nil { // the folder is new: its name too
		return sum, n, syncDir(s.dir)
	}
	return sum, n, nil
}

// syncDir flushes a directory's entries (a file renamed into it), so the
// file's name survives power loss with its content.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Open returns the content stored under sum.
func (s *Store) Open(sum string) (*os.File, error) {
	if len(sum) != 64 {
		return nil, fmt.Errorf("bad hash %q", sum)
	}
	if _, err := hex.DecodeString(sum); err != nil {
		return nil, fmt.Errorf("bad hash %q", sum)
	}
	return os.Open(s.path(sum))
}
