package org

import (
	"context"
	"net/netip"
	"strings"
	"time"

	"anwei/internal/audit"
	"anwei/internal/store"
)

// Failed logins are counted in the database, where all servers see them:
// one row per account and source (the name as typed, so that an unknown
// name is counted like a real one) and one per source alone (username '').
// An attempt is counted BEFORE its password is checked and taken back when
// it succeeds, so parallel attempts cannot all reach the check: each
// reservation is one atomic upsert whose returned count decides whether the
// password is checked at all. auth decides the limits (auth.Policy).

// LoginLimit is one limit on failed logins: once Max failures came, each
// within For of the one before, attempts are refused for For. A Max of 0
// means no limit.
type LoginLimit struct {
	Max int
	For time.Duration
}

// LoginLimits are the limits one attempt is held to.
type LoginLimits struct {
	Account LoginLimit // per account and source
	Source  LoginLimit // per source, whatever the account
}

// LoginAttempt is one try of a password: the name as typed and the client's
// address. An IPv6 address counts as its /64, which one client gets whole.
type LoginAttempt struct {
	Username string
	Source   string
}

// maxTypedName bounds the stored typed name: anything longer is no
// username (those have at most 32 characters) and is counted by its start.
const maxTypedName = 64

// normalUsername is a typed name as usernames are stored.
func normalUsername(typed string) string {
	return strings.ToLower(strings.TrimSpace(typed))
}

func (at LoginAttempt) normal() LoginAttempt {
	at.Username = normalUsername(at.Username)
	if len(at.Username) > maxTypedName {
		at.Username = strings.ToValidUTF8(at.Username[:maxTypedName], "")
	}
	if a, err := netip.ParseAddr(at.Source); err == nil && a.Is6() && !a.Is4In6() {
		at.Source = netip.PrefixFrom(a, 64).Masked().String()
	}
	return at
}

// Reservation is an attempt counted before its password is checked.
type Reservation struct {
	LoginAttempt
	// Allowed: within both limits, so the password may be checked. When
	// not, the attempt fails whatever the password.
	Allowed bool
	// Locks and SourceLocks are the ends of the locks this attempt starts
	// if it fails (it was the last one allowed).
	Locks, SourceLocks *time.Time
}

// reserveSQL counts one attempt in a row and returns the row's count. A row
// whose lock has ended, or whose last failure is older than the limit's
// period, starts again at 1; the attempt that reaches Max sets the lock
// (taken back if it succeeds); attempts during a lock are counted above Max
// and do not lengthen it.
const reserveSQL = `INSERT INTO login_failures (username, source, failures, last_at, locked_until) VALUES (?, ?, 1, ?, ?)
ON CONFLICT (username, source) DO UPDATE SET
	failures = CASE WHEN login_failures.locked_until > ? THEN login_failures.failures + 1
		WHEN login_failures.locked_until IS NOT NULL OR login_failures.last_at <= ? THEN 1
		ELSE login_failures.failures + 1 END,
	locked_until = CASE WHEN login_failures.locked_until > ? THEN login_failures.locked_until
		WHEN (CASE WHEN login_failures.locked_until IS NOT NULL OR login_failures.last_at <= ? THEN 1
			ELSE login_failures.failures + 1 END) >= ? THEN ?
		ELSE NULL END,
	last_at = ?
RETURNING failures`

// reserve counts the attempt in the row (username, source) under l. It
// reports whether the count went over the limit, and the lock the attempt
// starts if it fails.
func reserve(ctx context.Context, tx *store.Tx, username, source string, l LoginLimit, now time.Time) (over bool, locks *time.Time, err error) {
	if l.Max <= 0 {
		return false, nil, nil
	}
	cutoff, until := now.Add(-l.For), now.Add(l.For)
	var first *time.Time
	if l.Max == 1 {
		first = &until
	}
	var n int
	err = tx.ExecRow(ctx, reserveSQL, username, source, now, first, now, cutoff, now, cutoff, l.Max, until, now).Scan(&n)
	if n == l.Max {
		locks = &until
	}
	return n > l.Max, locks, err
}

// ReserveLoginAttempt counts an attempt as failed before its password is
// checked and reports whether the password may be checked at all.
func (s *Service) ReserveLoginAttempt(ctx context.Context, at LoginAttempt, l LoginLimits) (Reservation, error) {
	at = at.normal()
	now := s.clock.Now()
	var r Reservation
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		r = Reservation{LoginAttempt: at}
		var overAccount, overSource bool
		var err error
		if at.Username != "" { // an empty name is counted by its source only
			if overAccount, r.Locks, err = reserve(ctx, tx, at.Username, at.Source, l.Account, now); err != nil {
				return err
			}
		}
		if overSource, r.SourceLocks, err = reserve(ctx, tx, "", at.Source, l.Source, now); err != nil {
			return err
		}
		r.Allowed = !overAccount && !overSource
		if !r.Allowed {
			r.Locks, r.SourceLocks = nil, nil
		}
		return nil
	})
	return r, err
}

// RecordLoginFailure writes the audit event of an allowed attempt whose
// password was wrong: against the user when c names one, else against an
// unknown name (which is not recorded: it may be a password typed in the
// wrong field). Refused attempts are not audited, so a flood cannot fill the
// log.
func (s *Service) RecordLoginFailure(ctx context.Context, c *Credentials, r Reservation) error {
	after := map[string]any{"source": r.Source}
	e := audit.Entry{Action: "auth.login_failed", ObjectKind: "login", After: after}
	who := audit.Who{Name: "unknown"}
	if c != nil {
		who = audit.Who{UserID: c.UserID, Name: c.Username, UnitID: c.UnitID, Region: c.Region}
		e.ObjectKind, e.ObjectID = "user", id(c.UserID)
	}
	if r.Locks != nil {
		e.Action = "auth.locked"
		after["locked_until"] = r.Locks.UTC().Format(time.RFC3339)
	}
	if r.SourceLocks != nil {
		after["source_locked_until"] = r.SourceLocks.UTC().Format(time.RFC3339)
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		err := audit.Append(ctx, tx, s.clock.Now(), who, e)
		return err
	})
}

// ReleaseLoginAttempt takes a reserved attempt back in tx, because its
// password was right: the account's failures from that source are
// forgotten and the source's count goes down by this attempt (successful
// logins never count). Failures older than the longest period go too.
func (s *Service) ReleaseLoginAttempt(ctx context.Context, tx *store.Tx, r Reservation, l LoginLimits) error {
	if r.Username != "" {
		if _, err := tx.Exec(ctx, "DELETE FROM login_failures WHERE username = ? AND source = ?", r.Username, r.Source); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE login_failures SET failures = failures - 1,
		locked_until = CASE WHEN failures - 1 < ? THEN NULL ELSE locked_until END
		WHERE username = '' AND source = ? AND failures > 0`, l.Source.Max, r.Source); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "DELETE FROM login_failures WHERE last_at < ?", s.clock.Now().Add(-max(l.Account.For, l.Source.For)))
	return err
}

// UnlockUser lifts every lock on a user's account, from whatever source,
// and forgets its failures. It reports whether a lock was lifted; only that
// is audited.
func (s *Service) UnlockUser(ctx context.Context, a *Actor, userID int64) (bool, error) {
	if err := a.Require(PermUserWrite); err != nil {
		return false, err
	}
	us, err := s.GetUser(ctx, a, userID)
	if err != nil {
		return false, err
	}
	now := s.clock.Now()
	var lifted bool
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, "SELECT source, locked_until FROM login_failures WHERE username = ? AND locked_until > ? ORDER BY source",
			us.Username, now)
		locks, err := store.Collect(rows, err, func(r store.Scanner) (map[string]any, error) {
			var source string
			var until time.Time
			err := r.Scan(&source, &until)
			return map[string]any{"source": source, "locked_until": until.UTC().Format(time.RFC3339)}, err
		})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM login_failures WHERE username = ?", us.Username); err != nil {
			return err
		}
		if lifted = len(locks) > 0; !lifted {
			return nil
		}
		return s.record(ctx, tx, a, audit.Entry{Action: "user.unlock", ObjectKind: "user", ObjectID: id(userID),
			Before: map[string]any{"locks": locks}, After: map[string]any{"locks": []any{}}})
	})
	return lifted, err
}

// fillLocks sets LockedUntil of the users locked out from some source: the
// latest of their locks.
func (s *Service) fillLocks(ctx context.Context, users []User) error {
	if len(users) == 0 {
		return nil
	}
	at := make(map[string]int, len(users))
	args := []any{s.clock.Now()}
	for i, u := range users {
		at[u.Username] = i
		args = append(args, u.Username)
	}
	rows, err := s.db.Query(ctx, "SELECT username, locked_until FROM login_failures WHERE locked_until > ? AND username IN (?"+
		strings.Repeat(", ?", len(users)-1)+")", args...)
	return store.Each(rows, err, func(r store.Scanner) error {
		var name string
		var until time.Time
		if err := r.Scan(&name, &until); err != nil {
			return err
		}
		u := &users[at[name]]
		if until = until.UTC(); u.LockedUntil == nil || until.After(*u.LockedUntil) {
			u.LockedUntil = &until
		}
		return nil
	})
}
