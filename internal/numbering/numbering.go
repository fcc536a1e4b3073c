// Package numbering issues the running numbers people see — the 编号 of a
// record and the 文号 of a document — for every mechanism, from one
// counters table that only this package names.
//
// Two kinds of series, for two reasons:
//
//   - A document's 文号 (发文字号) is made of the issuing organ's 代字, the
//     year and the 发文顺序号 (《党政机关公文处理工作条例》第九条(五));
//     GB/T 9704-2012《党政机关公文格式》§7.2.4 writes it with the full year in
//     〔〕 and the number without leading zeros ("不编虚位") followed by 号
//     (DocNumber). The sequence belongs to the issuing office and the year
//     and must run without gaps or repeats: a missing number is read as a
//     document withdrawn or kept back. Such a series is GapFree.
//   - A record number such as 隐患编号 (YH370105-2026-000123) only has to be
//     unique; a gap harms nobody.
//
// A GapFree number is taken in the caller's transaction: the counter row
// is incremented there, so a transaction that rolls back gives its number
// back and no two committed records share or skip one; on PostgreSQL the
// row stays locked until the caller commits, so creators of one series and
// scope take turns (measured in the issue 19 note). A series allowed gaps
// is taken that way on SQLite (one writer: nobody waits), and on
// PostgreSQL from blocks a process reserves in short transactions of
// their own (blocks.go), so its creators never wait for each other.
//
// Under the store's group commit (store.DB.TxGroup) the callers'
// functions share one transaction, and the numbers they take in the
// caller's transaction after the first are counted in its memo and written once at commit (NextNumber):
// a function that fails after writing has the group's transaction rolled
// back and run again without it, one that fails before has the memo put
// back (store/group.go) — either way its number is not lost.
//
// A new series is declared in one line, its name stored for good:
//
//	var caseNumbers = numbering.Declare(numbering.Series{Name: "enforce.case", Per: "office", GapFree: true})
//
// and numbered with NextNumber(ctx, tx, caseNumbers, numbering.ID(officeID), year).
package numbering

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"anwei/internal/store"
)

// Series declares a running number.
type Series struct {
	// Name is the series' key in the counters table. It is stored: a series
	// that has issued numbers is never renamed.
	Name string
	// Per names what a scope of the series is ("county", "office"): each
	// scope numbers on its own. Empty: one sequence for the deployment.
	Per string
	// GapFree: a committed number is never skipped (a 文号). Otherwise the
	// numbers need only be unique (a record's 编号).
	GapFree bool
}

// NextNumber takes the next number of series s in scope and year (0 for a
// series not numbered by year) inside tx: 1 for the first. The number is
// the caller's once tx commits; if tx rolls back, so does the number —
// except for a series allowed gaps on PostgreSQL, which comes from a block
// (blocks.go) and is then simply not used.
//
// Otherwise the first number of a key in a transaction increments its row
// (and, on PostgreSQL, locks it until the transaction ends); the next ones
// of the same transaction — reports committed together in one group — are
// counted in the transaction's memo and written back once, just before it
// commits. Under group commit a caller that fails
// after taking a number from the memo but before writing anything has the
// memo put back; one that wrote has its group run again without it.
func NextNumber(ctx context.Context, tx *store.Tx, s Series, scope string, year int) (int, error) {
	if err := s.check(scope, year); err != nil {
		return 0, err
	}
	key := "numbering\x00" + s.Name + "\x00" + scope + "\x00" + strconv.Itoa(year)
	if !s.GapFree && tx.Dialect == store.Postgres {
		return fromBlock(ctx, tx, s, scope, year, key)
	}
	if m, ok := tx.Memo(key); ok {
		c := m.(taken)
		c.last++
		tx.SetMemo(key, c)
		return c.last, nil
	}
	var n int
	err := tx.ExecRow(ctx, `INSERT INTO counters (series, scope, year, last_number) VALUES (?, ?, ?, 1)
		ON CONFLICT (series, scope, year) DO UPDATE SET last_number = counters.last_number + 1 RETURNING last_number`,
		s.Name, scope, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("取%s编号: %w", s.Name, err)
	}
	tx.SetMemo(key, taken{last: n, stored: n})
	tx.BeforeCommit(key, func(ctx context.Context) error {
		m, ok := tx.Memo(key)
		if !ok || m.(taken).last == m.(taken).stored {
			return nil
		}
		_, err := tx.Exec(ctx, "UPDATE counters SET last_number = ? WHERE series = ? AND scope = ? AND year = ?", m.(taken).last, s.Name, scope, year)
		return err
	})
	return n, nil
}

var (
	declaredMu sync.RWMutex
	declared   = map[string]Series{}
)

// Declare registers a series and returns it, for a package variable. A name
// declared twice panics at start-up: two mechanisms would share one counter.
func Declare(s Series) Series {
	declaredMu.Lock()
	defer declaredMu.Unlock()
	if s.Name == "" {
		panic("numbering: a series needs a name")
	}
	if _, dup := declared[s.Name]; dup {
		panic("numbering: series " + s.Name + " declared twice")
	}
	declared[s.Name] = s
	return s
}

// taken is a key's last number in a transaction and the one its row holds.
type taken struct{ last, stored int }

// Last is the last number series s issued in scope and year, 0 if none.
func Last(ctx context.Context, db *store.DB, s Series, scope string, year int) (int, error) {
	if err := s.check(scope, year); err != nil {
		return 0, err
	}
	var n int
	err := db.QueryRow(ctx, "SELECT last_number FROM counters WHERE series = ? AND scope = ? AND year = ?", s.Name, scope, year).Scan(&n)
	if store.NoRows(err) {
		return 0, nil
	}
	return n, err
}

func (s Series) check(scope string, year int) error {
	switch {
	case s.Name == "":
		return fmt.Errorf("编号序列没有名称")
	case !isDeclared(s):
		return fmt.Errorf("编号序列 %s 未经 numbering.Declare 声明 (或与声明的不同)", s.Name)
	case s.Per != "" && scope == "":
		return fmt.Errorf("编号序列 %s 按%s编号，缺少%s", s.Name, s.Per, s.Per)
	case s.Per == "" && scope != "":
		return fmt.Errorf("编号序列 %s 不分范围，却给了范围 %q", s.Name, scope)
	case year < 0:
		return fmt.Errorf("编号序列 %s 的年份 %d 无效", s.Name, year)
	}
	return nil
}

func isDeclared(s Series) bool {
	declaredMu.RLock()
	defer declaredMu.RUnlock()
	d, ok := declared[s.Name]
	return ok && d == s
}

// ID is the scope of an id (an office's unit id, …).
func ID(id int64) string { return strconv.FormatInt(id, 10) }

// DocNumber writes a 发文字号 as GB/T 9704-2012 §7.2.4 does: the 代字
// (mark, e.g. 天安办督), the full year in 〔〕, the number without leading
// zeros, and 号 — 天安办督〔2026〕3号.
func DocNumber(mark string, year, n int) string {
	return mark + "〔" + strconv.Itoa(year) + "〕" + strconv.Itoa(n) + "号"
}
