package org

import (
	"context"
	"database/sql"

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
