// Package access ends a user's access: every session and every API token,
// inside the transaction that changes the user's credentials (GB/T
// 22239-2019 身份鉴别: a disabled account or a reset password must not
// keep a signed-in session). The sessions and api_tokens tables are auth's;
// this package is the part of auth that org, which auth builds on, calls.
package access

import (
	"context"
	"time"

	"anwei/internal/store"
)

// End ends every session of the user and revokes every API token of the
// user, in tx, and returns how many of each. Tokens are revoked, not
// deleted, so the user still sees them as 已吊销.
func End(ctx context.Context, tx *store.Tx, userID int64, now time.Time) (sessions, tokens int64, err error) {
	res, err := tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID)
	if err != nil {
		return 0, 0, err
	}
	if sessions, err = res.RowsAffected(); err != nil {
		return 0, 0, err
	}
	res, err = tx.Exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now, userID)
	if err != nil {
		return 0, 0, err
	}
	tokens, err = res.RowsAffected()
	return sessions, tokens, err
}
