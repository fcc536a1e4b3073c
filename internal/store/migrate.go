package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Migrate brings the schema up to date with the embedded migrations of the
// database's dialect and returns how many were applied. Of several
// processes migrating one PostgreSQL database at once, one migrates and the
// others wait for it and find nothing left to do.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	p, err := db.migrator()
	if err != nil {
		return 0, err
	}
	n := 0
	_, err = db.Exclusive(ctx, migrateLock, true, func() error {
		res, err := p.Up(ctx)
		n = len(res)
		if err != nil {
			return fmt.Errorf("数据库迁移失败: %w", err)
		}
		return nil
	})
	return n, err
}

// MigrateTo moves the schema up or down to the given migration version, so
// that a test can write the data of an older schema and upgrade it.
func (db *DB) MigrateTo(ctx context.Context, version int64) error {
	p, err := db.migrator()
	if err != nil {
		return err
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("数据库迁移失败: %w", err)
	}
	if version >= cur {
		_, err = p.UpTo(ctx, version)
	} else {
		_, err = p.DownTo(ctx, version)
	}
	if err != nil {
		return fmt.Errorf("数据库迁移失败: %w", err)
	}
	return nil
}

func (db *DB) migrator() (*goose.Provider, error) {
	dir, dialect := db.eng.migrations()
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(dialect, db.eng.writer(), sub)
	if err != nil {
		return nil, fmt.Errorf("迁移准备失败: %w", err)
	}
	return p, nil
}
