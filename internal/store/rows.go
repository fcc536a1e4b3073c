package store

import "database/sql"

// Scanner is what a scan function reads one row from: *sql.Rows in a
// listing, *sql.Row in a get. It is an alias, so a scan function written
// as `func scanX(r interface{ Scan(...any) error }) (X, error)` serves both
// Collect and QueryRow without a wrapper.
type Scanner = interface{ Scan(dest ...any) error }

// Collect reads every row of a query into a slice, one scan call per row,
// and closes the rows whatever happens. It takes the query's two results as
// they come, so a listing is two lines:
//
//	rows, err := s.db.Query(ctx, "SELECT "+cols+" FROM … WHERE "+w, args...)
//	return store.Collect(rows, err, scanX)
//
// It returns the query's error, the first scan error, or the error that
// ended the iteration (rows.Err) — the one a hand-written loop forgets. No
// row gives a nil slice, as `var out []T` did (a JSON listing turns it
// into [] itself).
func Collect[T any](rows *sql.Rows, err error, scan func(Scanner) (T, error)) ([]T, error) {
	var out []T
	err = Each(rows, err, func(r Scanner) error {
		v, err := scan(r)
		out = append(out, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Each calls fn for every row of a query, and closes the rows whatever
// happens: for the loops that fold rows into something other than a list
// of their own (a map, the records they belong to, a caller's callback).
// It returns the query's error, fn's first error (ending the loop) or the
// error that ended the iteration.
func Each(rows *sql.Rows, err error, fn func(Scanner) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Value scans a row of one column into a T: Collect(rows, err,
// store.Value[int64]) reads a list of ids.
func Value[T any](r Scanner) (T, error) {
	var v T
	err := r.Scan(&v)
	return v, err
}
