package audit

import (
	"context"
	"errors"
	"time"

	"anwei/internal/keyfile"
	"anwei/internal/store"
)

// KeySize is the length of an audit key: 32 random bytes.
const KeySize = keyfile.Size

// LoadKey reads the audit key file at path. When the file is not there the
// error wraps fs.ErrNotExist.
func LoadKey(path string) ([]byte, error) { return keyfile.Load(path, "审计密钥") }

// CreateKey writes a new random key to path, readable and writable by its
// owner only (0600), and returns it. Should another process create the
// file first (two servers starting at once on a shared key file), it
// returns that key: the file appears whole or not at all.
func CreateKey(path string) ([]byte, error) {
	key, _, err := keyfile.Create(path, "审计密钥")
	return key, err
}

// Bind ties the chain to the database's audit key (store.DB.AuditKey) at
// a process's start. A chain with no key yet becomes keyed: an empty one
// from its first event; one that has events from a marker event
// "audit.keyed", its first keyed event, which chains from the last
// unkeyed one and records how many precede it. A keyed chain is checked
// against the key: ErrHeadMismatch when its head was signed under another
// key (or altered). Bind returns the first keyed event and whether this
// call made the chain keyed.
func Bind(ctx context.Context, db *store.DB, now time.Time) (from int64, bound bool, err error) {
	if db.AuditKey == nil {
		return 0, false, errors.New("没有审计密钥")
	}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		h, err := txHead(ctx, tx)
		if err != nil || h.keyedFrom > 0 {
			from, bound = h.keyedFrom, false
			return err
		}
		h.keyedFrom, from, bound = h.seq+1, h.seq+1, true
		setHead(ctx, tx, h)
		if h.seq == 0 {
			return nil
		}
		return Append(ctx, tx, now, System, Entry{Action: "audit.keyed", ObjectKind: "audit", ObjectID: "chain",
			After: map[string]any{"keyed_from": h.keyedFrom, "unkeyed_events": h.seq}})
	})
	return from, bound, err
}
