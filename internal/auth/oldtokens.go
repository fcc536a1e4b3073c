package auth

import (
	"context"
	"time"

	"anwei/internal/audit"
	"anwei/internal/org"
	"anwei/internal/store"
)

// TermOldTokens gives the tokens made before tokens had areas and terms
// (area "*", no expiry: migration 00018 left them so) the default term,
// counted from now: the server does it at every start, so a token of
// before the upgrade works for DefaultTokenDays more and then is refused
// like any other; its holder makes a scoped token meanwhile. It returns
// how many it gave a term (0 once done: it touches only tokens without
// one).
func (s *Service) TermOldTokens(ctx context.Context) (int64, error) {
	now := s.clock.Now()
	expires := now.AddDate(0, 0, DefaultTokenDays)
	var n int64
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE api_tokens SET expires_at = ? WHERE area = ? AND expires_at IS NULL AND revoked_at IS NULL", expires, AllAreas)
		if err != nil {
			return err
		}
		if n, _ = res.RowsAffected(); n == 0 {
			return nil
		}
		err = audit.Append(ctx, tx, now, org.System.Who(), audit.Entry{Action: "token.old_term", ObjectKind: "api_token",
			ObjectID: AllAreas, After: map[string]any{"tokens": n, "expires_at": expires.Format(time.RFC3339)}})
		return err
	})
	return n, err
}
