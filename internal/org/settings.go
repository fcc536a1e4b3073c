package org

import (
	"context"
	"database/sql"
	"strings"

	"anwei/internal/store"
)

// RowQuerier is a *store.DB (its reading connections) or a *store.Tx.
type RowQuerier interface {
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// ReadSetting reads a deployment setting (the registry's class rule, a
// region's risk grading scheme); ok is false when it is unset.
func ReadSetting(ctx context.Context, q RowQuerier, key string) (value string, ok bool, err error) {
	err = q.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&value)
	if store.NoRows(err) {
		return "", false, nil
	}
	return value, err == nil, err
}

// ReadSettings reads every deployment setting whose key begins with prefix
// (the holiday notices, holidays:YYYY), by key. The prefix is a constant
// of the caller's: it may not hold LIKE's wildcards.
func ReadSettings(ctx context.Context, db *store.DB, prefix string) (map[string]string, error) {
	if prefix == "" || strings.ContainsAny(prefix, `%_\`) {
		panic("org.ReadSettings: a prefix without LIKE's wildcards: " + prefix)
	}
	out := map[string]string{}
	rows, err := db.Query(ctx, "SELECT key, value FROM settings WHERE key LIKE ?", prefix+"%")
	err = store.Each(rows, err, func(r store.Scanner) error {
		var k, v string
		err := r.Scan(&k, &v)
		out[k] = v
		return err
	})
	return out, err
}

// WriteSetting sets a deployment setting in tx.
func WriteSetting(ctx context.Context, tx *store.Tx, key, value string) error {
	_, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// InitSetting sets a deployment setting in tx unless it is set already
// (by another server at the same time, say): the first value stays.
func InitSetting(ctx context.Context, tx *store.Tx, key, value string) error {
	_, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value)
	return err
}
