package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"

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
	return t.eng.copyRows(ctx, b, table, cols, n, row)
}

// sqliteMaxParams is SQLite's limit on a statement's parameters.
const sqliteMaxParams = 32766

// copyRows on SQLite: multi-row INSERTs, prepared once per shape.
func (e *sqliteEngine) copyRows(ctx context.Context, b *Batch, table string, cols []string, n int, row func(i int, dst []any) []any) error {
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ")"
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

func (e *sqliteEngine) begin(ctx context.Context) (*sql.Tx, func(), error) {
	tx, err := e.w.BeginTx(ctx, nil)
	return tx, func() {}, err
}

// conns are the connections of PostgreSQL's open transactions, for COPY
// (database/sql has none: pgx's runs on the connection itself).
type conns struct{ m sync.Map } // *sql.Tx → *sql.Conn

// begin on PostgreSQL: the transaction on a connection of its own, kept
// until done for copyRows.
func (e *postgresEngine) begin(ctx context.Context) (*sql.Tx, func(), error) {
	conn, err := e.pool.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	e.conns.m.Store(tx, conn)
	return tx, func() {
		e.conns.m.Delete(tx)
		conn.Close()
	}, nil
}

// copyRows on PostgreSQL: pgx's COPY on the transaction's own connection.
func (e *postgresEngine) copyRows(ctx context.Context, b *Batch, table string, cols []string, n int, row func(i int, dst []any) []any) error {
	c, ok := e.conns.m.Load(b.tx.tx)
	if !ok {
		return errors.New("store.Copy: the transaction's connection is unknown")
	}
	var buf []any
	src := pgx.CopyFromSlice(n, func(i int) ([]any, error) {
		buf = row(i, buf[:0])
		return buf, nil
	})
	return c.(*sql.Conn).Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("store.Copy: the connection is not pgx's")
		}
		_, err := pc.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, src)
		return err
	})
}
