package audit_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"anwei/internal/audit"
	"anwei/internal/paging"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// testKey is the audit key of the keyed tests.
var testKey = []byte("0123456789abcdef0123456789abcdef")

// exec runs a statement on the database behind anwei's back, as whoever
// holds the database could.
func exec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if db.Dialect == store.Postgres {
		q = store.Rebind(q)
	}
	if _, err := db.Writer().ExecContext(context.Background(), q, args...); err != nil {
		t.Fatal(err)
	}
}

// events returns the whole chain, oldest first.
func events(t *testing.T, db *store.DB) []audit.Event {
	t.Helper()
	evs, _, err := audit.List(context.Background(), db, allScope(), audit.Filter{Page: paging.Page{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
		evs[i], evs[j] = evs[j], evs[i]
	}
	return evs
}

// rehash recomputes, as an attacker without the key would, the public
// SHA-256 hashes of every event from seq on and moves the head to the last.
func rehash(t *testing.T, db *store.DB, from int64) {
	t.Helper()
	evs := events(t, db)
	prev := ""
	for _, e := range evs {
		if e.Seq >= from {
			e.PrevHash = prev
			e.Hash = e.ComputeHash()
			exec(t, db, "UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?", e.PrevHash, e.Hash, e.Seq)
		}
		prev = e.Hash
	}
	exec(t, db, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", evs[len(evs)-1].Seq, prev)
}

// TestKeyedChainResistsRewriting: whoever holds the database but not the
// key can neither drop the newest event and step the head back nor edit
// an event and recompute the hashes after it.
func TestKeyedChainResistsRewriting(t *testing.T) {
	cases := []struct {
		name    string
		tamper  func(t *testing.T, db *store.DB)
		wantSeq int64
	}{
		{"deleted newest, head stepped back", func(t *testing.T, db *store.DB) {
			evs := events(t, db)
			exec(t, db, "DELETE FROM audit_events WHERE seq = 5")
			exec(t, db, "UPDATE audit_head SET seq = 4, hash = ? WHERE id = 1", evs[3].Hash)
		}, 4},
		{"edited and rehashed", func(t *testing.T, db *store.DB) {
			exec(t, db, `UPDATE audit_events SET after_json = '{"n":99}' WHERE seq = 3`)
			rehash(t, db, 3)
		}, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Dialects(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				keyed(db, testKey)
				appendN(t, db, 5)
				if n, err := audit.Verify(ctx, db); err != nil || n != 5 {
					t.Fatalf("intact keyed chain: n=%d err=%v", n, err)
				}
				c.tamper(t, db)
				n, err := audit.Verify(ctx, db)
				var b *audit.Broken
				if !errors.As(err, &b) {
					t.Fatalf("rewrite not detected: n=%d err=%v", n, err)
				}
				if b.Seq != c.wantSeq {
					t.Fatalf("broken at #%d, want #%d (%v)", b.Seq, c.wantSeq, err)
				}
				// Nor does the next write extend (and re-sign) the rewritten head.
				err = db.Tx(ctx, func(tx *store.Tx) error {
					err := audit.Append(ctx, tx, time.Now(), audit.System, audit.Entry{Action: "unit.update", ObjectKind: "unit", ObjectID: "9"})
					return err
				})
				if !errors.Is(err, audit.ErrHeadMismatch) {
					t.Fatalf("append on the rewritten head: %v", err)
				}
			})
		})
	}
}

// TestVerifyToSavedHead: a head saved earlier proves that nothing up to it
// has changed — also for events before the key, whose plain hashes anyone
// can recompute, and which plain Verify then cannot fault.
func TestVerifyToSavedHead(t *testing.T) {
	for _, key := range [][]byte{nil, testKey} {
		t.Run(fmt.Sprintf("keyed=%v", key != nil), func(t *testing.T) {
			storetest.Dialects(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				keyed(db, key)
				appendN(t, db, 3)
				seq, saved, err := audit.Head(ctx, db)
				if err != nil || seq != 3 {
					t.Fatal(seq, err)
				}
				appendN(t, db, 3)
				if n, err := audit.VerifyTo(ctx, db, saved); err != nil || n != 3 {
					t.Fatalf("saved head #3 on the intact chain: n=%d err=%v", n, err)
				}
				if _, err := audit.VerifyTo(ctx, db, strings.Repeat("0", 64)); !errors.As(err, new(*audit.HeadGone)) {
					t.Fatalf("a head never saved: %v", err)
				}
				// Altering an event after the saved head leaves it proven.
				exec(t, db, `UPDATE audit_events SET actor = 'mallory' WHERE seq = 5`)
				if n, err := audit.VerifyTo(ctx, db, saved); err != nil || n != 3 {
					t.Fatalf("event after the saved head altered: n=%d err=%v", n, err)
				}
				// Altering one before it does not.
				exec(t, db, `UPDATE audit_events SET actor = 'mallory' WHERE seq = 2`)
				var b *audit.Broken
				if _, err := audit.VerifyTo(ctx, db, saved); !errors.As(err, &b) || b.Seq != 2 {
					t.Fatalf("event before the saved head altered: %v", err)
				}
				// Nor does rehashing the chain after the edit, as one without
				// the key would.
				rehash(t, db, 1)
				_, err = audit.VerifyTo(ctx, db, saved)
				if !errors.As(err, new(*audit.HeadGone)) && !errors.As(err, new(*audit.Broken)) {
					t.Fatalf("rehashed chain passes the saved head: %v", err)
				}
				if key == nil {
					// The weakness of a chain without a key: plain Verify passes.
					if _, err := audit.Verify(ctx, db); err != nil {
						t.Fatalf("rehashed unkeyed chain: %v", err)
					}
				} else if _, err := audit.Verify(ctx, db); !errors.As(err, &b) {
					t.Fatalf("rehashed keyed chain passes Verify: %v", err)
				}
			})
		})
	}
}

// TestUnkeyedChainBecomesKeyed: a chain written before keys existed goes
// through the migration, is bound to a key at the next start (a marker
// event, the first keyed one), grows keyed, and verifies: its old events
// by their plain hashes, the rest under the key.
func TestUnkeyedChainBecomesKeyed(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		appendN(t, db, 3)
		// Take the chain back to before migration 00010 and upgrade it again.
		if err := db.MigrateTo(ctx, 9); err != nil {
			t.Fatal(err)
		}
		if n, err := db.Migrate(ctx); err != nil || n < 2 { // 00010 and every later one
			t.Fatalf("migration: %d %v", n, err)
		}
		if n, err := audit.Verify(ctx, db); err != nil || n != 3 {
			t.Fatalf("migrated unkeyed chain: n=%d err=%v", n, err)
		}
		keyed(db, testKey)
		if _, err := audit.Verify(ctx, db); !errors.Is(err, audit.ErrNotKeyed) {
			t.Fatalf("verify with a key before binding: %v", err)
		}
		from, bound, err := audit.Bind(ctx, db, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC))
		if err != nil || from != 4 || !bound {
			t.Fatalf("bind: from %d bound %v err %v", from, bound, err)
		}
		if from, bound, err := audit.Bind(ctx, db, time.Now()); err != nil || from != 4 || bound {
			t.Fatalf("second bind: from %d bound %v err %v", from, bound, err)
		}
		appendN(t, db, 2)
		if n, err := audit.Verify(ctx, db); err != nil || n != 6 {
			t.Fatalf("keyed chain: n=%d err=%v", n, err)
		}
		evs := events(t, db)
		if evs[3].Action != "audit.keyed" || evs[3].PrevHash != evs[2].Hash || !strings.Contains(evs[3].After, `"unkeyed_events":3`) {
			t.Fatalf("marker event %+v", evs[3])
		}
		for _, e := range evs {
			if plain := e.ComputeHash() == e.Hash; plain != (e.Seq < 4) {
				t.Fatalf("event #%d: plain hash %v", e.Seq, plain)
			}
		}
		// The keyed part is as hard to rewrite as a chain keyed from the start,
		// and the start of it cannot be moved.
		exec(t, db, `UPDATE audit_events SET actor = 'mallory' WHERE seq = 5`)
		rehash(t, db, 5)
		if _, err := audit.Verify(ctx, db); !errors.As(err, new(*audit.Broken)) {
			t.Fatalf("rehashed keyed event passes: %v", err)
		}
		rehash(t, db, 4)
		exec(t, db, "UPDATE audit_head SET keyed_from = 0, mac = '' WHERE id = 1")
		if _, err := audit.Verify(ctx, db); !errors.Is(err, audit.ErrNotKeyed) {
			t.Fatalf("keyed part disowned: %v", err)
		}
		err = db.Tx(ctx, func(tx *store.Tx) error {
			err := audit.Append(ctx, tx, time.Now(), audit.System, audit.Entry{Action: "unit.update", ObjectKind: "unit", ObjectID: "9"})
			return err
		})
		if !errors.Is(err, audit.ErrUnbound) {
			t.Fatalf("append on a disowned chain: %v", err)
		}
	})
}

// TestVerifyWithoutKey: opened without the key, Verify still checks the
// unkeyed events and the order of all, and says it cannot check the rest.
func TestVerifyWithoutKey(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		appendN(t, db, 2)
		keyed(db, testKey)
		if _, _, err := audit.Bind(ctx, db, time.Now()); err != nil {
			t.Fatal(err)
		}
		appendN(t, db, 2)
		keyed(db, nil)
		n, err := audit.Verify(ctx, db)
		var km *audit.KeyMissing
		if !errors.As(err, &km) || km.KeyedFrom != 3 || n != 5 || !strings.Contains(err.Error(), "未提供审计密钥，无法核验带密钥部分") {
			t.Fatalf("verify without the key: n=%d err=%v", n, err)
		}
		// A saved head among the unkeyed events is proven without the key.
		evs := events(t, db)
		if n, err := audit.VerifyTo(ctx, db, evs[1].Hash); err != nil || n != 2 {
			t.Fatalf("saved unkeyed head without the key: n=%d err=%v", n, err)
		}
		if _, err := audit.VerifyTo(ctx, db, evs[4].Hash); !errors.As(err, &km) {
			t.Fatalf("saved keyed head without the key: %v", err)
		}
		// Without the key, no keyed event can be added.
		err = db.Tx(ctx, func(tx *store.Tx) error {
			err := audit.Append(ctx, tx, time.Now(), audit.System, audit.Entry{Action: "unit.update", ObjectKind: "unit", ObjectID: "9"})
			return err
		})
		if !errors.Is(err, audit.ErrNoKey) {
			t.Fatalf("append without the key: %v", err)
		}
		// The unkeyed part and the links are still checked.
		exec(t, db, `UPDATE audit_events SET actor = 'mallory' WHERE seq = 1`)
		var b *audit.Broken
		if _, err := audit.Verify(ctx, db); !errors.As(err, &b) || b.Seq != 1 {
			t.Fatalf("altered unkeyed event without the key: %v", err)
		}
		exec(t, db, "DELETE FROM audit_events WHERE seq = 4")
		if _, err := audit.Verify(ctx, db); !errors.As(err, &b) {
			t.Fatalf("deleted keyed event without the key: %v", err)
		}
		// Another key does not fit the chain.
		keyed(db, []byte("another key of thirty-two bytes!"))
		if _, _, err := audit.Bind(ctx, db, time.Now()); !errors.Is(err, audit.ErrHeadMismatch) {
			t.Fatalf("bind with another key: %v", err)
		}
	})
}

// TestCreateKey: a new key file holds 32 random bytes readable by its owner
// only; servers starting at once on one key file end with the same key.
func TestCreateKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "audit.key")
	if _, err := audit.LoadKey(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing key: %v", err)
	}
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := audit.CreateKey(path)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != audit.KeySize {
		t.Fatalf("key file %v %v", fi.Mode(), err)
	}
	loaded, err := audit.LoadKey(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if string(k) != string(loaded) {
			t.Fatal("concurrent creators got different keys")
		}
	}
	// A key others may read is refused, naming the fix.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := audit.LoadKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a key readable by others: %v", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := audit.LoadKey(path); err == nil || !strings.Contains(err.Error(), "应为 32 字节") {
		t.Fatalf("short key: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Fatalf("left-over files: %v", entries)
	}
}
