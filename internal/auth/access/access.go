// Package access ends a user's access: every session and every API token,
// inside the transaction that changes the user's credentials (GB/T
// 22239-2019 身份鉴别: a disabled account or a reset password must not
// keep a signed-in session; a reset password removes the second factor
// too). The sessions, api_tokens, login_challenges, user_factors and
// recovery_codes tables are auth's;
// this package is the part of auth that org, which auth builds on, calls.
package access

import (
	"context"
	"time"

	"anwei/internal/store"
)

// End ends every session of the user (and every sign-in waiting for its
// second factor) and revokes every API token of the user, in tx, and
// returns how many of each. Tokens are revoked, not deleted, so the user
// still sees them as 已吊销.
func End(ctx context.Context, tx *store.Tx, userID int64, now time.Time) (sessions, tokens int64, err error) {
	if _, err := tx.Exec(ctx, "DELETE FROM login_challenges WHERE user_id = ?", userID); err != nil {
		return 0, 0, err
	}
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

// EndFactor removes the user's second factor (authenticator and recovery
// codes) in tx, and reports whether there was one: an administrator's
// password reset is how a user who lost the phone and the recovery codes
// gets back in (and binds a new one at the next sign-in when the setting
// requires it).
func EndFactor(ctx context.Context, tx *store.Tx, userID int64) (bool, error) {
	if _, err := tx.Exec(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", userID); err != nil {
		return false, err
	}
	res, err := tx.Exec(ctx, "DELETE FROM user_factors WHERE user_id = ?", userID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
