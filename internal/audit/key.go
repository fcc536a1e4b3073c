package audit

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"anwei/internal/store"
)

// KeySize is the length of an audit key: 32 random bytes.
const KeySize = 32

// LoadKey reads the audit key file at path. When the file is not there the
// error wraps fs.ErrNotExist.
func LoadKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取审计密钥文件: %w", err)
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("审计密钥文件 %s 的权限为 %04o，其他用户可读；请改为 0600 (chmod 600 %s)", path, st.Mode().Perm(), path)
	}
	if len(b) != KeySize {
		return nil, fmt.Errorf("审计密钥文件 %s 应为 %d 字节，实为 %d 字节", path, KeySize, len(b))
	}
	return b, nil
}

// CreateKey writes a new random key to path, readable and writable by its
// owner only (0600), and returns it. Should another process create the
// file first (two servers starting at once on a shared key file), it
// returns that key: the file appears whole or not at all.
func CreateKey(path string) ([]byte, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("创建审计密钥目录 %s: %w", dir, err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, ".audit-key-*")
	if err != nil {
		return nil, fmt.Errorf("写审计密钥文件: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, err
	}
	if _, err := tmp.Write(key); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return LoadKey(path)
	} else if err != nil {
		return nil, fmt.Errorf("写审计密钥文件 %s: %w", path, err)
	}
	return key, nil
}

// Bind ties the chain to the database's audit key (store.DB.AuditKey) at
// a process's start. A chain with no key yet becomes keyed: an empty one
// from its first event; one that has events from a marker event
// "audit.keyed", its first keyed event, which chains from the last
// unkeyed one and records how many precede it. A keyed chain is checked
// against the key: ErrHeadMismatch when its head was signed under another
// key (or altered). Bind returns the first keyed event and whether this
// call made the chain keyed.
func Bind(ctx context.Context, db *store.DB, now time.Time) (from int64, bound bool, err error) {
	if db.AuditKey == nil {
		return 0, false, errors.New("没有审计密钥")
	}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		h, err := txHead(ctx, tx)
		if err != nil || h.keyedFrom > 0 {
			from, bound = h.keyedFrom, false
			return err
		}
		h.keyedFrom, from, bound = h.seq+1, h.seq+1, true
		setHead(ctx, tx, h)
		if h.seq == 0 {
			return nil
		}
		_, err = Append(ctx, tx, now, System, Entry{Action: "audit.keyed", ObjectKind: "audit", ObjectID: "chain",
			After: map[string]any{"keyed_from": h.keyedFrom, "unkeyed_events": h.seq}})
		return err
	})
	return from, bound, err
}
