package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"anwei/internal/audit"
	"anwei/internal/store"
)

// AuditKeyPath is where the audit chain's key of cfg lives: --audit-key-file,
// else audit.key in the data directory.
func AuditKeyPath(cfg Config) string {
	if cfg.AuditKeyFile != "" {
		return cfg.AuditKeyFile
	}
	dir := cfg.DataDir
	if dir == "" {
		dir = "data"
	}
	return filepath.Join(dir, "audit.key")
}

// bindAuditKey gives db the audit key, creating the key file at the first
// start (never for a chain that is keyed already: a lost key file is an
// error, not a reason for a new key), and binds the chain to it.
func bindAuditKey(ctx context.Context, db *store.DB, cfg Config) error {
	path := AuditKeyPath(cfg)
	key, err := audit.LoadKey(path)
	if errors.Is(err, fs.ErrNotExist) {
		from, ferr := audit.KeyedFrom(ctx, db)
		if ferr != nil {
			return ferr
		}
		if from > 0 {
			return fmt.Errorf("审计链自事件 #%d 起以审计密钥签名，但密钥文件 %s 不存在: 请放回原密钥文件 (恢复备份时须一并带上)，"+
				"或用 --audit-key-file 指定；不会另生成新密钥", from, path)
		}
		if key, err = audit.CreateKey(path); err == nil {
			fmt.Fprintf(cfg.Out, "已生成审计密钥 %s (权限 0600)：请与数据库分开妥善备份；多台服务器须用 --audit-key-file 共用此文件\n", path)
		}
	}
	if err != nil {
		return err
	}
	db.AuditKey = key
	from, bound, err := audit.Bind(ctx, db, cfg.Clock.Now())
	if err != nil {
		return fmt.Errorf("审计密钥 %s: %w", path, err)
	}
	if bound && from > 1 {
		fmt.Fprintf(cfg.Out, "审计链已启用密钥: 事件 #1–#%d 保留原有的 SHA-256 链，自 #%d (audit.keyed) 起以密钥签名\n", from-1, from)
	}
	return nil
}

// readAuditKey gives db the audit key when there is one, for a command
// that only reads; without it, audit.Verify says what it could not check.
// A key file named explicitly must exist.
func readAuditKey(db *store.DB, cfg Config) error {
	key, err := audit.LoadKey(AuditKeyPath(cfg))
	switch {
	case err == nil:
		db.AuditKey = key
	case errors.Is(err, fs.ErrNotExist) && cfg.AuditKeyFile == "":
	default:
		return err
	}
	return nil
}
