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
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Value scans a row of one column into a T: Collect(rows, err,
// store.Value[int64]) reads a list of ids.
func Value[T any](r Scanner) (T, error) {
	var v T
	err := r.Scan(&v)
	return v, err
}
