package store

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestCommitFailedOnPostgres: a COMMIT the server answered with an error or
// a rollback certainly did not commit; one whose answer was lost with the
// connection is marked ErrCommitUnknown.
func TestCommitFailedOnPostgres(t *testing.T) {
	e := &postgresEngine{}
	for _, c := range []struct {
		err     error
		unknown bool
	}{
		{&pgconn.PgError{Code: pgSerializationFailure}, false},
		{fmt.Errorf("commit: %w", &pgconn.PgError{Code: "23503"}), false},
		{pgx.ErrTxCommitRollback, false},
		{pgx.ErrTxClosed, false},
		{io.ErrUnexpectedEOF, true},
		{fmt.Errorf("read: %w", io.EOF), true},
	} {
		err := e.commitFailed(c.err)
		if errors.Is(err, ErrCommitUnknown) != c.unknown || !errors.Is(err, c.err) {
			t.Errorf("commitFailed(%v) = %v, want unknown=%v wrapping it", c.err, err, c.unknown)
		}
	}
}
