// Package keyfile reads and writes the deployment's secret key files — the
// audit chain's key (GB/T 22239-2019 等保2.0 三级: 审计记录的保护) and the
// second factors' key — kept apart from the database: Size random bytes,
// readable by their owner only, written whole or not at all.
package keyfile

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Size is the length of a key: 32 random bytes.
const Size = 32

// Load reads the key file at path; label names it in errors ("审计密钥").
// When the file is not there the error wraps fs.ErrNotExist.
func Load(path, label string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取%s文件: %w", label, err)
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s文件 %s 的权限为 %04o，其他用户可读；请改为 0600 (chmod 600 %s)", label, path, st.Mode().Perm(), path)
	}
	if len(b) != Size {
		return nil, fmt.Errorf("%s文件 %s 应为 %d 字节，实为 %d 字节", label, path, Size, len(b))
	}
	return b, nil
}

// Create writes a new random key to path (0600) and returns it, with
// created true. Should another process create the file first (two servers
// starting at once on a shared key file), it returns that key, created
// false: the file appears whole or not at all.
func Create(path, label string) (key []byte, created bool, err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, false, fmt.Errorf("创建%s目录 %s: %w", label, dir, err)
	}
	key = make([]byte, Size)
	if _, err := rand.Read(key); err != nil {
		return nil, false, err
	}
	tmp, err := os.CreateTemp(dir, ".key-*")
	if err != nil {
		return nil, false, fmt.Errorf("写%s文件: %w", label, err)
	}
	defer os.Remove(tmp.Name())
	if err = tmp.Chmod(0o600); err == nil {
		if _, err = tmp.Write(key); err == nil {
			err = tmp.Sync()
		}
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, false, fmt.Errorf("写%s文件: %w", label, err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		key, err := Load(path, label)
		return key, false, err
	} else if err != nil {
		return nil, false, fmt.Errorf("写%s文件 %s: %w", label, path, err)
	}
	return key, true, nil
}
