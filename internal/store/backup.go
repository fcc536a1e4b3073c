package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrPostgresBackup says that PostgreSQL is backed up with pg_dump.
var ErrPostgresBackup = errors.New("PostgreSQL 请用 pg_dump 备份")

// Backup writes a consistent copy of a SQLite database to file while the
// server keeps running (VACUUM INTO reads one snapshot). For PostgreSQL it
// returns ErrPostgresBackup and PgDumpCommand tells the command to run.
func (db *DB) Backup(ctx context.Context, file string) error {
	if db.Dialect == Postgres {
		return ErrPostgresBackup
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("备份文件 %s 已存在，不会覆盖", abs)
	}
	if strings.ContainsRune(abs, '\'') {
		return fmt.Errorf("备份文件路径不能含单引号")
	}
	_, err = db.r.ExecContext(ctx, "VACUUM INTO '"+abs+"'")
	return err
}

// PgDumpCommand is the command that backs up the PostgreSQL database.
func (db *DB) PgDumpCommand(file string) string {
	return fmt.Sprintf("pg_dump --format=custom --file=%s '%s'", file, db.Where)
}
