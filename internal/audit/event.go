// Package audit keeps anwei's tamper-evident event log. Every state change
// appends an event in the same transaction as the change (《安全生产法》 and
// the 电子政务 record-keeping duties require that supervision records can be
// traced to who did what and when). Each event's hash covers a canonical
// encoding of the event and the previous event's hash; a one-row chain head,
// updated in the same transaction, holds the latest sequence number and hash,
// so altering, reordering or deleting any event — including the newest — is
// detected by Verify.
//
// Secrets never enter the log: password hashes, tokens and tip identities
// are redacted from before/after.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Who is the actor of an event.
type Who struct {
	UserID int64
	Name   string // username
	UnitID int64
	Region string // region of the actor's unit
}

// System is the actor of events made by anwei itself (start-up, scheduler).
var System = Who{Name: "system"}

// Entry is what a service records about one state change.
type Entry struct {
	Action     string // e.g. "unit.create"
	ObjectKind string // e.g. "unit"
	ObjectID   string
	Region     string // the object's region, for jurisdiction; the actor's when empty
	Before     any    // state before (nil for a creation)
	After      any    // state after (nil for a deletion)
}

// Event is a stored audit event.
type Event struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id"`
	Actor      string    `json:"actor"`
	UnitID     int64     `json:"unit_id"`
	Region     string    `json:"region_code"`
	Action     string    `json:"action"`
	ObjectKind string    `json:"object_kind"`
	ObjectID   string    `json:"object_id"`
	Before     string    `json:"before"` // canonical JSON
	After      string    `json:"after"`  // canonical JSON
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// timeFormat is UTC at microsecond precision, which PostgreSQL round-trips.
const timeFormat = "2006-01-02T15:04:05.000000Z"

// ComputeHash returns the hex SHA-256 over the event's canonical encoding:
// sorted-key JSON of every field but the hash itself.
func (e Event) ComputeHash() string {
	// The fields in key order, as encoding/json writes a map of them.
	fields := [...]struct{ key, val string }{
		{"action", e.Action}, {"actor", e.Actor}, {"actor_id", strconv.FormatInt(e.ActorID, 10)},
		{"after", e.After}, {"at", e.At.UTC().Format(timeFormat)}, {"before", e.Before},
		{"object_id", e.ObjectID}, {"object_kind", e.ObjectKind}, {"prev_hash", e.PrevHash},
		{"region_code", e.Region}, {"seq", strconv.FormatInt(e.Seq, 10)}, {"unit_id", strconv.FormatInt(e.UnitID, 10)},
	}
	n := 2
	for _, f := range fields {
		n += len(f.key) + len(f.val) + 8
	}
	b := make([]byte, 0, n+n/8)
	b = append(b, '{')
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, f.key...)
		b = append(b, '"', ':')
		b = appendString(b, f.val)
	}
	b = append(b, '}')
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// appendString appends s as encoding/json writes a string: quoted, with
// quotes, backslashes and the HTML-sensitive characters escaped. Text with
// control characters, line separators or invalid UTF-8 goes through
// encoding/json itself.
func appendString(b []byte, s string) []byte {
	if !utf8.ValidString(s) || strings.ContainsAny(s, "\u2028\u2029") || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 }) {
		q, _ := json.Marshal(s)
		return append(b, q...)
	}
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '"':
			esc = `\"`
		case '\\':
			esc = `\\`
		case '<':
			esc = `\u003c`
		case '>':
			esc = `\u003e`
		case '&':
			esc = `\u0026`
		default:
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, esc...)
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// secretKeys are redacted wherever they appear in before/after.
var secretKeys = []string{"password", "password_hash", "token", "token_hash", "secret", "identity", "reporter_identity"}

func isSecret(key string) bool {
	k := strings.ToLower(key)
	for _, s := range secretKeys {
		if k == s || strings.HasSuffix(k, "_"+s) {
			return true
		}
	}
	return false
}
