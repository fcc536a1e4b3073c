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
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
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
	m := map[string]any{
		"seq":         strconv.FormatInt(e.Seq, 10),
		"at":          e.At.UTC().Format(timeFormat),
		"actor_id":    strconv.FormatInt(e.ActorID, 10),
		"actor":       e.Actor,
		"unit_id":     strconv.FormatInt(e.UnitID, 10),
		"region_code": e.Region,
		"action":      e.Action,
		"object_kind": e.ObjectKind,
		"object_id":   e.ObjectID,
		"before":      e.Before,
		"after":       e.After,
		"prev_hash":   e.PrevHash,
	}
	b, _ := json.Marshal(m) // map keys are sorted by encoding/json
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
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

// Canonical encodes v as sorted-key JSON with secrets redacted. nil encodes
// as "null".
func Canonical(v any) (string, error) {
	if v == nil {
		return "null", nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return "", err
	}
	out, err := json.Marshal(redact(generic))
	return string(out), err
}

func redact(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if isSecret(k) {
				if val != nil && val != "" {
					x[k] = "[已隐去]"
				}
				continue
			}
			x[k] = redact(val)
		}
		return x
	case []any:
		for i := range x {
			x[i] = redact(x[i])
		}
		return x
	default:
		return v
	}
}
