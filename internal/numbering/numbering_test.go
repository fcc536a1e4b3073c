package numbering_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"anwei/internal/numbering"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

var (
	writs   = numbering.Declare(numbering.Series{Name: "test.writ", Per: "office", GapFree: true})
	records = numbering.Declare(numbering.Series{Name: "test.record", Per: "county"})
	whole   = numbering.Declare(numbering.Series{Name: "test.whole"})
)

var errBoom = errors.New("boom")

// TestConcurrentNumbersAreGapFree: many transactions take numbers of two
// scopes at once, a quarter of them rolling back after taking theirs — as
// separate transactions and under group commit (where a failed caller's
// group is run again without it). The committed ones hold exactly 1..K of
// each scope, and the counter stands at K.
func TestConcurrentNumbersAreGapFree(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, mode := range []struct {
			name string
			run  func(context.Context, func(*store.Tx) error) error
		}{{"tx", db.Tx}, {"group", db.TxGroup}} {
			t.Run(mode.name, func(t *testing.T) {
				scopes := []string{mode.name + "-1", mode.name + "-2"}
				const n = 120
				var mu sync.Mutex
				committed := map[string][]int{}
				var wg sync.WaitGroup
				for i := range n {
					wg.Go(func() {
						scope := scopes[i/4%2]
						var got int
						err := mode.run(ctx, func(tx *store.Tx) error {
							var err error
							if got, err = numbering.NextNumber(ctx, tx, writs, scope, 2026); err != nil {
								return err
							}
							if i%4 == 3 {
								return errBoom
							}
							return nil
						})
						switch {
						case i%4 == 3 && !errors.Is(err, errBoom):
							t.Errorf("caller %d: err = %v, want boom", i, err)
						case i%4 != 3 && err != nil:
							t.Errorf("caller %d: %v", i, err)
						case err == nil:
							mu.Lock()
							committed[scope] = append(committed[scope], got)
							mu.Unlock()
						}
					})
				}
				wg.Wait()
				for _, scope := range scopes {
					got := committed[scope]
					slices.Sort(got)
					want := make([]int, 0, len(got))
					for k := 1; k <= n*3/8; k++ {
						want = append(want, k)
					}
					if !slices.Equal(got, want) {
						t.Errorf("%s: committed numbers %v, want 1..%d", scope, got, n*3/8)
					}
					if last, err := numbering.Last(ctx, db, writs, scope, 2026); err != nil || last != n*3/8 {
						t.Errorf("%s: last = %d, %v; want %d", scope, last, err, n*3/8)
					}
				}
			})
		}
	})
}

// TestNumbersOfATransaction: one transaction taking several numbers gets
// consecutive ones; series, scopes and years number apart; a rolled-back
// transaction's numbers are taken again.
func TestNumbersOfATransaction(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		take := func(s numbering.Series, scope string, year, k int, fail bool) ([]int, error) {
			var got []int
			err := db.Tx(ctx, func(tx *store.Tx) error {
				got = got[:0]
				for range k {
					n, err := numbering.NextNumber(ctx, tx, s, scope, year)
					if err != nil {
						return err
					}
					got = append(got, n)
				}
				if fail {
					return errBoom
				}
				return nil
			})
			return got, err
		}
		check := func(what string, got []int, err error, want ...int) {
			t.Helper()
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("%s: %v %v, want %v", what, got, err, want)
			}
		}
		got, err := take(writs, "7", 2026, 3, false)
		check("first three", got, err, 1, 2, 3)
		if _, err := take(writs, "7", 2026, 2, true); !errors.Is(err, errBoom) {
			t.Fatal(err)
		}
		got, err = take(writs, "7", 2026, 1, false)
		check("after a rollback", got, err, 4)
		got, err = take(writs, "7", 2027, 1, false)
		check("next year", got, err, 1)
		got, err = take(writs, "8", 2026, 1, false)
		check("another office", got, err, 1)
		got, err = take(records, "7", 2026, 2, false)
		check("another series, same scope text", got, err, 1, 2)
		got, err = take(whole, "", 0, 2, false)
		check("a series of the whole deployment, not by year", got, err, 1, 2)
		for _, c := range []struct {
			s     numbering.Series
			scope string
			year  int
		}{{writs, "", 2026}, {whole, "7", 0}, {numbering.Series{}, "", 0}, {writs, "7", -1}} {
			if _, err := take(c.s, c.scope, c.year, 1, false); err == nil {
				t.Errorf("%+v scope %q year %d: no error", c.s, c.scope, c.year)
			}
		}
	})
}

func TestDocNumber(t *testing.T) {
	for _, c := range []struct {
		mark    string
		year, n int
		want    string
	}{{"天安办督", 2026, 3, "天安办督〔2026〕3号"}, {"济安办提", 2027, 1, "济安办提〔2027〕1号"}, {"安委办交", 2026, 120, "安委办交〔2026〕120号"}} {
		if got := numbering.DocNumber(c.mark, c.year, c.n); got != c.want {
			t.Errorf("DocNumber(%q, %d, %d) = %q, want %q", c.mark, c.year, c.n, got, c.want)
		}
	}
}

// BenchmarkNextNumber: the cost of a number in its own SQLite transaction.
func BenchmarkNextNumber(b *testing.B) {
	db := storetest.SQLite(b)
	ctx := context.Background()
	for b.Loop() {
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			_, err := numbering.NextNumber(ctx, tx, records, "370105", 2026)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDeclareTwicePanics: two series of one name would share a counter; an
// undeclared series is refused.
func TestDeclareTwicePanics(t *testing.T) {
	if _, err := numbering.NextNumber(context.Background(), nil, numbering.Series{Name: "test.undeclared"}, "", 0); err == nil {
		t.Error("an undeclared series was numbered")
	}
	defer func() {
		if recover() == nil {
			t.Error("declaring test.writ again did not panic")
		}
	}()
	numbering.Declare(numbering.Series{Name: "test.writ"})
}
