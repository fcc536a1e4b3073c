package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Copy writes n new rows into table's columns, in the batch's transaction:
// on PostgreSQL one COPY … FROM STDIN (the rows stream in binary, with no
// statement to plan and no parameter limit); on SQLite multi-row INSERTs of
// at most 1,000 rows, each shape prepared once. row(i, dst) appends row
// i's values, in cols' order, to dst (its room is reused from row to row:
// keep nothing of it). A row that breaks a constraint fails the whole
// Copy, so it is for rows already checked (a bulk import's new records),
// and COPY has no ON CONFLICT: for rows that cannot exist yet.
func (b *Batch) Copy(ctx context.Context, table string, cols []string, n int, row func(i int, dst []any) []any) error {
	if n == 0 {
		return nil
	}
	t := b.tx
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ")"
	t.wrote = true
	t.writes(head)
	if err := t.flushFor(ctx, head); err != nil {
		return err
	}
	if t.conn != nil {
		return t.copyPostgres(ctx, table, cols, n, row)
	}
	per := min(1000, sqliteMaxParams/len(cols))
	var args []any
	for start := 0; start < n; start += per {
		k := min(per, n-start)
		args = args[:0]
		for i := start; i < start+k; i++ {
			args = row(i, args)
		}
		if len(args) != k*len(cols) {
			return errors.New("store.Copy: a row's values do not match its columns")
		}
		if err := b.Exec(ctx, head, Tuples(len(cols), 1), "", k, args); err != nil {
			return err
		}
	}
	return nil
}

// sqliteMaxParams is SQLite's limit on a statement's parameters.
const sqliteMaxParams = 32766

// copyPostgres streams the rows through pgx's COPY on the transaction's
// own connection (database/sql has no COPY).
func (t *Tx) copyPostgres(ctx context.Context, table string, cols []string, n int, row func(i int, dst []any) []any) error {
	var buf []any
	src := pgx.CopyFromSlice(n, func(i int) ([]any, error) {
		buf = row(i, buf[:0])
		return buf, nil
	})
	return t.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("store.Copy: the connection is not pgx's")
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, src)
		return err
	})
}

// beginPostgres begins a transaction on a connection of its own, kept for
// Copy; the connection goes back to the pool when release is called,
// after the transaction has ended.
func beginPostgres(ctx context.Context, pool *sql.DB) (tx *sql.Tx, conn *sql.Conn, err error) {
	if conn, err = pool.Conn(ctx); err != nil {
		return nil, nil, err
	}
	if tx, err = conn.BeginTx(ctx, nil); err != nil {
		conn.Close()
		return nil, nil, err
	}
	return tx, conn, nil
}
