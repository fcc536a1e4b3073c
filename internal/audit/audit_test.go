package audit_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"anwei/internal/audit"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

func appendN(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 8, 0, 0, 123456789, time.UTC)
	for i := 0; i < n; i++ {
		err := db.Tx(ctx, func(tx *store.Tx) error {
			err := audit.Append(ctx, tx, at.Add(time.Duration(i)*time.Minute), audit.Who{UserID: 1, Name: "admin", UnitID: 1, Region: "370105"},
				audit.Entry{Action: "unit.update", ObjectKind: "unit", ObjectID: "9",
					Before: map[string]any{"name": "旧", "n": i}, After: map[string]any{"name": "新", "n": i + 1}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestVerifyCatchesTampering(t *testing.T) {
	cases := []struct {
		name    string
		tamper  []string
		wantSeq int64
	}{
		{"intact", nil, 0},
		{"altered content", []string{"UPDATE audit_events SET after_json = '{\"n\":99}' WHERE seq = 3"}, 3},
		{"altered actor", []string{"UPDATE audit_events SET actor = 'mallory' WHERE seq = 2"}, 2},
		{"deleted middle", []string{"DELETE FROM audit_events WHERE seq = 2"}, 2},
		{"deleted newest", []string{"DELETE FROM audit_events WHERE seq = 5"}, 5},
		{"reordered", []string{
			"UPDATE audit_events SET seq = 100 WHERE seq = 2",
			"UPDATE audit_events SET seq = 2 WHERE seq = 3",
			"UPDATE audit_events SET seq = 3 WHERE seq = 100"}, 2},
		{"head rewound", []string{"UPDATE audit_head SET seq = 4"}, 5},
	}
	for _, c := range cases {
		for _, key := range [][]byte{nil, testKey} {
			t.Run(fmt.Sprintf("%s/keyed=%v", c.name, key != nil), func(t *testing.T) {
				storetest.Dialects(t, func(t *testing.T, db *store.DB) {
					ctx := context.Background()
					keyed(db, key)
					appendN(t, db, 5)
					for _, q := range c.tamper {
						if _, err := db.Writer().ExecContext(ctx, q); err != nil {
							t.Fatal(err)
						}
					}
					n, err := audit.Verify(ctx, db)
					if c.wantSeq == 0 {
						if err != nil || n != 5 {
							t.Fatalf("intact chain: n=%d err=%v", n, err)
						}
						return
					}
					var b *audit.Broken
					if !errors.As(err, &b) {
						t.Fatalf("tampering not detected: n=%d err=%v", n, err)
					}
					if b.Seq != c.wantSeq {
						t.Fatalf("broken at #%d, want #%d (%v)", b.Seq, c.wantSeq, err)
					}
				})
			})
		}
	}
}

func TestSecretsAreRedacted(t *testing.T) {
	s, err := audit.Canonical(map[string]any{
		"username": "u1", "password_hash": "$argon2id$secret", "nested": map[string]any{"token": "abc"}, "file_hash": "keep",
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s, "argon2id") || strings.Contains(s, "abc") {
		t.Fatalf("secret leaked: %s", s)
	}
	if !strings.Contains(s, "keep") || !strings.HasPrefix(s, `{"file_hash"`) {
		t.Fatalf("canonical form wrong: %s", s)
	}
}

func TestTimeRoundTripsAtMicroseconds(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		appendN(t, db, 1)
		e, err := audit.Get(context.Background(), db, allScope(), 1)
		if err != nil {
			t.Fatal(err)
		}
		if e.At.Nanosecond() != 123456000 {
			t.Fatalf("stored time %v lost microseconds", e.At)
		}
	})
}

// TestGroupedEventsChain: events appended by callers committed together
// (store.TxGroup), some of which fail after appending, still form one
// unbroken chain whose head is the last surviving event; several events in
// one transaction read and move the head once; keyed or not.
func TestGroupedEventsChain(t *testing.T) {
	for _, key := range [][]byte{nil, testKey} {
		t.Run(fmt.Sprintf("keyed=%v", key != nil), func(t *testing.T) { groupedEventsChain(t, key) })
	}
}

func groupedEventsChain(t *testing.T, key []byte) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		keyed(db, key)
		boom := errors.New("boom")
		at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
		who := audit.Who{UserID: 1, Name: "admin", UnitID: 1, Region: "370105"}
		var wg sync.WaitGroup
		errs := make([]error, 120)
		for i := range errs {
			wg.Go(func() {
				errs[i] = db.TxGroup(ctx, func(tx *store.Tx) error {
					for k := range 1 + i%3 {
						if err := audit.Append(ctx, tx, at, who, audit.Entry{Action: "unit.update", ObjectKind: "unit",
							ObjectID: fmt.Sprint(i), After: map[string]any{"k": k}}); err != nil {
							return err
						}
					}
					if i%7 == 2 {
						return boom
					}
					return nil
				})
			})
		}
		wg.Wait()
		want := int64(0)
		for i, err := range errs {
			switch {
			case i%7 == 2 && !errors.Is(err, boom), i%7 != 2 && err != nil:
				t.Fatalf("caller %d: %v", i, err)
			case err == nil:
				want += int64(1 + i%3)
			}
		}
		n, err := audit.Verify(ctx, db)
		if err != nil || n != want {
			t.Fatalf("verify: %d events (want %d), %v", n, want, err)
		}
		seq, hash, _ := audit.Head(ctx, db)
		last, err := audit.Get(ctx, db, allScope(), seq)
		if err != nil || seq != want || last.Hash != hash {
			t.Fatalf("head %d %s, last event %+v %v", seq, hash, last, err)
		}
	})
}
