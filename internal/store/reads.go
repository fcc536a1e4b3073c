package store

import (
	"fmt"
	"strings"
)

// The read methods (DB.Query, DB.QueryRow, Tx.Query, Tx.QueryRow) refuse a
// statement that writes, so that a write always goes through a method that
// declares it (Tx.Exec, ExecRow, ExecRows, InsertID, Prepare, Batch) and
// group commit can trust the declaration. The check is deliberately blunt:
// a statement led by SELECT reads; one led by WITH, VALUES, EXPLAIN or a
// parenthesis reads unless it names a writing keyword outside quotes and
// comments; anything else (INSERT, UPDATE, DELETE, PRAGMA, CREATE …) writes.
// A read it refuses by mistake is written another way; a write it let
// through would have to begin with SELECT.

var writingWords = map[string]bool{"INSERT": true, "UPDATE": true, "DELETE": true, "REPLACE": true, "MERGE": true}

// mustRead panics when q writes: the caller passed it to a read method.
func mustRead(method, q string) {
	if !reads(q) {
		panic(fmt.Sprintf("store: %s given a statement that writes (use Tx.Exec, ExecRow or ExecRows): %.120s", method, q))
	}
}

// reads tells whether q only reads, as the read methods require.
func reads(q string) bool {
	if t := strings.TrimLeft(q, " \t\r\n"); len(t) > 6 && strings.EqualFold(t[:6], "SELECT") && !isWordByte(t[6]) {
		return true // the common case, without allocating
	}
	words := sqlWords(q)
	first, ok := words()
	switch {
	case !ok:
		return false
	case first == "SELECT":
		return true
	case first != "WITH" && first != "VALUES" && first != "EXPLAIN" && first != "(":
		return false
	}
	for w, ok := words(); ok; w, ok = words() {
		if writingWords[w] {
			return false
		}
	}
	return true
}

// sqlWords returns an iterator over q's words, upper-cased, skipping
// whitespace, quoted strings and identifiers, and comments; an opening
// parenthesis is a word of its own, other punctuation is skipped.
func sqlWords(q string) func() (string, bool) {
	i := 0
	return func() (string, bool) {
		for i < len(q) {
			c := q[i]
			switch {
			case c == '\'' || c == '"' || c == '`':
				j := strings.IndexByte(q[i+1:], c)
				if j < 0 {
					i = len(q)
				} else {
					i += j + 2
				}
			case c == '-' && strings.HasPrefix(q[i:], "--"):
				j := strings.IndexByte(q[i:], '\n')
				if j < 0 {
					i = len(q)
				} else {
					i += j + 1
				}
			case c == '/' && strings.HasPrefix(q[i:], "/*"):
				j := strings.Index(q[i+2:], "*/")
				if j < 0 {
					i = len(q)
				} else {
					i += j + 4
				}
			case c == '(':
				i++
				return "(", true
			case isWordByte(c):
				j := i
				for j < len(q) && isWordByte(q[j]) {
					j++
				}
				w := strings.ToUpper(q[i:j])
				i = j
				return w, true
			default:
				i++
			}
		}
		return "", false
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
