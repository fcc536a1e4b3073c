// Package audit keeps anwei's tamper-evident event log. Every state change
// appends an event in the same transaction as the change (《安全生产法》 and
// the 电子政务 record-keeping duties require that supervision records can be
// traced to who did what and when).
//
// The chain is keyed. Each event's hash is an HMAC-SHA256, under a key kept
// outside the database, over a canonical encoding of the event that
// includes the previous event's hash; a one-row chain head, moved at the
// end of the same transaction (store.go, chain), holds the latest sequence
// number and hash and an HMAC of its own. A chain of plain hashes proves order only — anyone can
// recompute it — so whoever held the database could edit an event and
// rehash everything after it, or delete the newest event and step the head
// back. With the key outside the database both need the key too, and
// Verify catches them.
//
// The key travels with the database handle: package app reads the key file
// at start and sets store.DB.AuditKey, and every transaction carries it
// (store.Tx.AuditKey). Append, which every service calls with its
// *store.Tx, thus needs neither an extra argument nor a global, and a
// database opened without a key (a test's, or a verifying command's that
// was given none) is visibly one: Append then refuses to extend a keyed
// chain, and Verify checks what it can and reports KeyMissing.
//
// Chains begun before the key existed keep their plain SHA-256 events: the
// head records keyed_from, the first keyed event, and that event chains
// from the last unkeyed hash, so the whole chain still links. Bind, at the
// first start with a key, sets keyed_from; a chain that already has events
// gets a marker event "audit.keyed" as its first keyed event.
//
// No key protects against putting back a whole earlier state (an old backup,
// or a head row copied earlier): the chain up to there is genuine. `anwei
// audit head` prints the head for keeping elsewhere, and VerifyTo proves
// that nothing up to a head so kept has changed since.
//
// Secrets never enter the log: password hashes, tokens and tip identities
// are redacted from before/after.
package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
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
	// The words beside the codes (issue 16.3), filled when read; not part
	// of the hashed encoding.
	ActionName     string `json:"action_name,omitempty"`
	ObjectKindName string `json:"object_kind_name,omitempty"`
}

// timeFormat is UTC at microsecond precision, which PostgreSQL round-trips.
const timeFormat = "2006-01-02T15:04:05.000000Z"

// ComputeHash returns the hex SHA-256 over the event's canonical encoding:
// the hash of the events before a chain's key (and all an attacker without
// the key could compute).
func (e Event) ComputeHash() string {
	sum := sha256.Sum256(e.encoding())
	return hex.EncodeToString(sum[:])
}

// ComputeMAC returns the hex HMAC-SHA256 under key over the event's
// canonical encoding: the hash of the events of a keyed chain.
func (e Event) ComputeMAC(key []byte) string {
	return e.sum(hmac.New(sha256.New, key))
}

// sum returns the hex digest of the event's canonical encoding under h,
// which it resets first (Verify reuses one HMAC for the whole chain).
func (e Event) sum(h hash.Hash) string {
	h.Reset()
	h.Write(e.encoding())
	return hex.EncodeToString(h.Sum(nil))
}

// encoding is the event's canonical encoding: sorted-key JSON of every
// field but the hash itself.
func (e Event) encoding() []byte {
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
	return append(b, '}')
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
