package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"anwei/internal/org"
	"anwei/internal/store"
)

// The factor key is a file, so nothing but the database can tell that two
// servers on one PostgreSQL hold the same one: the first start keeps a
// check value of its key in the settings (an HMAC of a fixed text under the
// key, which tells nothing of the key) and every later start compares its
// own, so a server with another key refuses to start instead of sealing
// secrets the others cannot open.

// SettingFactorKeyCheck is the settings key of the factor key's check value.
const SettingFactorKeyCheck = "auth.factor_key_check"

// ErrFactorKeyMismatch: the key is not the one the database was set up with.
var ErrFactorKeyMismatch = errors.New("factor key does not match the database")

// FactorKeyChecked reports whether db keeps a factor key's check value:
// a key was set up for it, and a new one would not match.
func FactorKeyChecked(ctx context.Context, db *store.DB) (bool, error) {
	_, ok, err := org.ReadSetting(ctx, db, SettingFactorKeyCheck)
	return ok, err
}

// factorKeyCheck is the check value of key.
func factorKeyCheck(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("anwei factor key check v1"))
	return "v1:" + hex.EncodeToString(m.Sum(nil))
}

// CheckFactorKey compares key with the check value kept in db, keeping
// key's when there is none yet (a new database, or one from before the
// check: then a secret sealed already must open under key). A key that does
// not match is ErrFactorKeyMismatch.
func CheckFactorKey(ctx context.Context, db *store.DB, key []byte) error {
	want := factorKeyCheck(key)
	err := db.Tx(ctx, func(tx *store.Tx) error {
		_, ok, err := org.ReadSetting(ctx, tx, SettingFactorKeyCheck)
		if err != nil || ok {
			return err
		}
		var userID int64
		var sealed string
		err = tx.QueryRow(ctx, "SELECT user_id, secret_enc FROM user_factors ORDER BY user_id LIMIT 1").Scan(&userID, &sealed)
		switch {
		case store.NoRows(err):
		case err != nil:
			return err
		default:
			if _, err := openSecret(key, userID, sealed); err != nil {
				return ErrFactorKeyMismatch
			}
		}
		return org.InitSetting(ctx, tx, SettingFactorKeyCheck, want)
	})
	if err != nil {
		return err
	}
	// Read again: of two servers starting at once on a new database, the
	// first to write keeps its value, and the other finds it.
	v, _, err := org.ReadSetting(ctx, db, SettingFactorKeyCheck)
	if err != nil {
		return err
	}
	if !hmac.Equal([]byte(v), []byte(want)) {
		return ErrFactorKeyMismatch
	}
	return nil
}
