package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"anwei/internal/auth"
	"anwei/internal/keyfile"
	"anwei/internal/store"
)

// The factor key encrypts the TOTP secrets of two-factor login (AES-256-GCM,
// auth/totp.go). It is kept as the audit key is: 32 random bytes in a file
// outside the database (--factor-key-file, else factor.key in the data
// directory), created at the first start, 0600, backed up apart from the
// database; several servers on one PostgreSQL share one file (the database keeps a check value of
// the key, and a server with another key does not start). A database
// whose secrets were sealed under a key that is gone refuses to start
// rather than make a new key that opens nothing.

// FactorKeyPath is where the factor key of cfg lives.
func FactorKeyPath(cfg Config) string {
	if cfg.FactorKeyFile != "" {
		return cfg.FactorKeyFile
	}
	dir := cfg.DataDir
	if dir == "" {
		dir = "data"
	}
	return filepath.Join(dir, "factor.key")
}

// factorKey reads the factor key, creating it when there is none and no
// secret in the database needs one, and checks it against the database's
// check value (auth.CheckFactorKey): a server whose key is not the one the
// database was set up with does not start.
func factorKey(ctx context.Context, db *store.DB, cfg Config) ([]byte, error) {
	path := FactorKeyPath(cfg)
	key, err := readFactorKey(ctx, db, cfg, path)
	if err != nil {
		return nil, err
	}
	if err := auth.CheckFactorKey(ctx, db, key); errors.Is(err, auth.ErrFactorKeyMismatch) {
		return nil, fmt.Errorf("双因素密钥文件 %s 不是本数据库所用的密钥 (与数据库中记录的校验值不符)：多台服务器共用一个数据库时须用 --factor-key-file "+
			"指向同一个密钥文件 (从首台服务器复制，权限 0600)；恢复备份时须一并带上原密钥文件。服务器未启动", path)
	} else if err != nil {
		return nil, fmt.Errorf("校验双因素密钥: %w", err)
	}
	return key, nil
}

func readFactorKey(ctx context.Context, db *store.DB, cfg Config, path string) ([]byte, error) {
	_, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		n, err := auth.FactorsKept(ctx, db)
		if err != nil {
			return nil, err
		}
		checked, err := auth.FactorKeyChecked(ctx, db)
		if err != nil {
			return nil, err
		}
		if checked && n == 0 {
			return nil, fmt.Errorf("数据库已由另一个双因素密钥文件设置 (其中记录了该密钥的校验值)，但密钥文件 %s 不存在: 多台服务器共用一个数据库时须用 --factor-key-file "+
				"指向首台服务器的密钥文件；恢复备份时须一并带上原密钥文件。不会另生成新密钥", path)
		}
		if n > 0 {
			return nil, fmt.Errorf("数据库中有 %d 个账号的双因素密钥，但密钥文件 %s 不存在: 请放回原密钥文件 (恢复备份时须一并带上)，"+
				"或用 --factor-key-file 指定；不会另生成新密钥", n, path)
		}
		return createFactorKey(cfg, path)
	}
	if err != nil {
		return nil, fmt.Errorf("读取双因素密钥文件: %w", err)
	}
	return keyfile.Load(path, "双因素密钥")
}

// createFactorKey writes a new key whole or not at all; should another
// server have written one first, that one is read.
func createFactorKey(cfg Config, path string) ([]byte, error) {
	key, created, err := keyfile.Create(path, "双因素密钥")
	if err != nil || !created {
		return key, err
	}
	fmt.Fprintf(cfg.Out, "已生成双因素密钥 %s (权限 0600)：请与数据库分开妥善备份；多台服务器须用 --factor-key-file 共用此文件\n", path)
	return key, nil
}
