// Package auth logs people in and recognises them on every request:
// argon2id passwords (package passwd), limits on failed logins per account
// and source and per source (counted in the database by org, so that
// several servers share them), sessions stored in the database (idle and
// absolute expiry), a second factor (TOTP with recovery codes, factor.go)
// and API tokens for machine clients (Authorization: Bearer), scoped to one
// area, read-only or writing, expiring (tokens.go). Only hashes of session
// ids, tokens and recovery codes are stored, and the TOTP secrets encrypted. It follows
// GB/T 22239-2019 (等级保护 2.0) on login-failure handling and session
// timeouts.
//
// Every failed login answers the same — unknown name, wrong password,
// locked account or source — after the same work: one argon2id check
// (against a dummy hash where there is no real one to check).
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/auth/passwd"
	"anwei/internal/calendar"
	"anwei/internal/org"
	"anwei/internal/store"
)

// Policy is the login and session policy.
type Policy struct {
	LockAfter    int           // failed logins of one account from one source before that pair locks
	LockFor      time.Duration // how long it stays locked (and how long a failure is remembered)
	SourceLimit  int           // failed logins from one source, whatever the account, before it is refused
	SourceWindow time.Duration // how long a source over its limit is refused (and a failure remembered)
	IdleTimeout  time.Duration // a session unused this long expires
	MaxAge       time.Duration // a session expires this long after login regardless
	TouchEvery   time.Duration // how often last_seen is written (limits writes per request)
	Remember     time.Duration // how long a server trusts a session it read (remember.go); 0: never
}

// DefaultPolicy: 5 failures of an account from one source lock that pair
// for 15 minutes, 30 failures from one source refuse it for 15 minutes
// (successful logins never count); sessions expire after 2 hours idle or
// 12 hours in all; a server trusts a session it read for a second.
var DefaultPolicy = Policy{LockAfter: 5, LockFor: 15 * time.Minute, SourceLimit: 30, SourceWindow: 15 * time.Minute,
	IdleTimeout: 2 * time.Hour, MaxAge: 12 * time.Hour, TouchEvery: time.Minute, Remember: time.Second}

func (p Policy) limits() org.LoginLimits {
	return org.LoginLimits{Account: org.LoginLimit{Max: p.LockAfter, For: p.LockFor},
		Source: org.LoginLimit{Max: p.SourceLimit, For: p.SourceWindow}}
}

// Service is login, sessions and tokens.
type Service struct {
	db     *store.DB
	clock  calendar.Clock
	org    *org.Service
	policy Policy
	dummy  string                                 // a hash to check against when there is no real one to check
	check  func(pw, encoded string) (bool, error) // passwd.Check; tests count its calls
	key    []byte                                 // the factor key: AES-256-GCM of the TOTP secrets (factor.go)
	memory *memory                                // sessions read lately (remember.go)
}

// NewService returns the auth service. factorKey (32 bytes, kept in a file
// outside the database like the audit key) encrypts the TOTP secrets of
// two-factor login; without it nobody can bind an authenticator.
func NewService(db *store.DB, clock calendar.Clock, orgs *org.Service, p Policy, factorKey []byte) *Service {
	dummy, _ := passwd.Hash("no such user, constant time")
	return &Service{db: db, clock: clock, org: orgs, policy: p, dummy: dummy, check: passwd.Check, key: factorKey, memory: newMemory(db)}
}

// Policy returns the service's policy.
func (s *Service) Policy() Policy { return s.policy }

func newSecret(prefix string) (plain, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	plain = prefix + base64.RawURLEncoding.EncodeToString(b)
	return plain, hashSecret(plain)
}

func hashSecret(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// errBadLogin is the one answer to every failed login.
var errBadLogin = apperr.New(apperr.Unauthenticated, "用户名或密码错误")

// checkPassword checks a password the way every login does. The attempt is
// counted as failed before the check (so parallel attempts cannot all pass
// it) and exactly one argon2id check runs, against the user's hash only
// when the user exists and the attempt is within the limits. A wrong
// password is audited. On success the caller takes the attempt back with
// org.ReleaseLoginAttempt in its own transaction.
func (s *Service) checkPassword(ctx context.Context, username, password, source string) (org.Credentials, org.Reservation, bool, error) {
	r, err := s.org.ReserveLoginAttempt(ctx, org.LoginAttempt{Username: username, Source: source}, s.policy.limits())
	if err != nil {
		return org.Credentials{}, r, false, err
	}
	c, err := s.org.CredentialsFor(ctx, username)
	found := err == nil
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return c, r, false, err
	}
	hash := s.dummy
	if found && r.Allowed {
		hash = c.PasswordHash
	}
	ok, err := s.check(password, hash)
	if err != nil && err != passwd.ErrMalformed {
		return c, r, false, err
	}
	if ok && found && r.Allowed {
		return c, r, true, nil
	}
	if r.Allowed {
		var known *org.Credentials
		if found {
			known = &c
		}
		if err := s.org.RecordLoginFailure(ctx, known, r); err != nil {
			return c, r, false, err
		}
	}
	return c, r, false, nil
}

// SignedIn is what a right password leads to: a session, or, when a
// second factor is due, a challenge (a pending sign-in, minutes long) that
// CompleteSignIn turns into a session.
type SignedIn struct {
	Session   string // the session id for the cookie; "" while a second factor is due
	Actor     *org.Actor
	Challenge string // the pending sign-in's id for its cookie, when a second factor is due
	Next      string // with Challenge: "code" (give a code) or "enrol" (bind an authenticator first)
	// RecoveryCodes are the one-time codes of an authenticator bound while
	// signing in: shown once.
	RecoveryCodes []string
}

// SignIn checks a username and password from a client address (source).
// An account without a second factor gets its session; one with a factor,
// or one the deployment requires to have one (admin and office accounts
// when the setting is on), gets a challenge to complete with a code. An
// unknown name, a wrong password and a lock all answer errBadLogin; only the
// right password of a disabled account learns that it is disabled.
func (s *Service) SignIn(ctx context.Context, username, password, source string) (SignedIn, error) {
	c, r, ok, err := s.checkPassword(ctx, username, password, source)
	if err != nil {
		return SignedIn{}, err
	}
	if !ok {
		return SignedIn{}, errBadLogin
	}
	if !c.Active {
		// The password was right: not a failure. Only who knows it learns
		// that the account is disabled.
		if err := s.db.Tx(ctx, func(tx *store.Tx) error { return s.org.ReleaseLoginAttempt(ctx, tx, r, s.policy.limits()) }); err != nil {
			return SignedIn{}, err
		}
		return SignedIn{}, apperr.New(apperr.Unauthenticated, "账号或所在单位已停用，请联系管理员")
	}
	actor, err := s.org.ActorByID(ctx, c.UserID)
	if err != nil {
		return SignedIn{}, err
	}
	next, err := s.secondFactor(ctx, actor)
	if err != nil {
		return SignedIn{}, err
	}
	if next != "" {
		return s.challenge(ctx, actor, r, next)
	}
	session, err := s.openSession(ctx, actor, source, map[string]any{}, func(tx *store.Tx) error {
		return s.org.ReleaseLoginAttempt(ctx, tx, r, s.policy.limits())
	})
	return SignedIn{Session: session, Actor: actor}, err
}

// errFactorDue answers Login for an account whose sign-in needs a code.
var errFactorDue = apperr.New(apperr.Unauthenticated, "此账号登录须输入动态验证码，请在登录页面登录")

// Login is SignIn for a caller that cannot ask for a second factor (the
// command line, tests): it returns the session id for the cookie, and
// refuses an account whose sign-in needs a code.
func (s *Service) Login(ctx context.Context, username, password, source string) (string, *org.Actor, error) {
	in, err := s.SignIn(ctx, username, password, source)
	if err == nil && in.Session == "" {
		return "", nil, errFactorDue
	}
	return in.Session, in.Actor, err
}

// openSession opens a session for actor in one transaction with also (the
// login attempts taken back) and audits the login with note.
func (s *Service) openSession(ctx context.Context, actor *org.Actor, source string, note map[string]any, also func(*store.Tx) error) (string, error) {
	now := s.clock.Now()
	plain, hash := newSecret("")
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		// The user's expired sessions go when a new one starts, so the
		// table does not grow without bound.
		if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = ? AND (expires_at < ? OR last_seen_at < ?)",
			actor.UserID, now, now.Add(-s.policy.IdleTimeout)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			hash, actor.UserID, now, now, now.Add(s.policy.MaxAge)); err != nil {
			return err
		}
		if err := also(tx); err != nil {
			return err
		}
		note["session"], note["source"] = hash[:12], source
		err := audit.Append(ctx, tx, now, actor.Who(), audit.Entry{Action: "auth.login", ObjectKind: "user",
			ObjectID: fmt.Sprint(actor.UserID), After: note})
		return err
	})
	if err != nil {
		return "", err
	}
	return plain, nil
}

var errExpired = apperr.New(apperr.Unauthenticated, "登录已过期，请重新登录")

// Authenticate recognises a session id from a cookie.
func (s *Service) Authenticate(ctx context.Context, session string) (*org.Actor, error) {
	if session == "" {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	hash := hashSecret(session)
	now := s.clock.Now()
	if a, ok := s.memory.get(hash, now, s.policy); ok {
		return a, nil
	}
	count := s.memory.watch.Count() // before the read: a change committed after it makes the entry useless
	var lastSeen, expires time.Time
	// The session and its user in one read.
	a, err := s.org.ActorWhere(ctx, org.ActorQuery{Join: "JOIN sessions se ON se.user_id = us.id", Where: "se.token_hash = ?",
		Args: []any{hash}, Cols: "se.last_seen_at, se.expires_at", Into: []any{&lastSeen, &expires}})
	if err != nil {
		if apperr.Is(err, apperr.Unauthenticated) {
			var n int
			if s.db.QueryRow(ctx, "SELECT COUNT(*) FROM sessions WHERE token_hash = ?", hash).Scan(&n); n == 0 {
				return nil, errExpired
			}
		}
		return nil, err
	}
	if now.After(expires) || now.Sub(lastSeen) > s.policy.IdleTimeout {
		_ = s.db.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, "DELETE FROM sessions WHERE token_hash = ?", hash)
			return err
		})
		return nil, errExpired
	}
	if now.Sub(lastSeen) > s.policy.TouchEvery {
		// Session bookkeeping, not a state change of the supervised world: not audited.
		if err := s.db.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", now, hash)
			return err
		}); err != nil {
			return nil, err
		}
		lastSeen = now
	}
	s.memory.put(hash, remembered{actor: a, lastSeen: lastSeen, expires: expires, readAt: now, count: count}, s.policy)
	return a, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, a *org.Actor, session string) error {
	hash := hashSecret(session)
	s.memory.forget(hash)
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, "DELETE FROM sessions WHERE token_hash = ?", hash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 || a == nil {
			return nil
		}
		err = audit.Append(ctx, tx, s.clock.Now(), a.Who(), audit.Entry{Action: "auth.logout", ObjectKind: "user",
			ObjectID: fmt.Sprint(a.UserID), Before: map[string]any{"session": hash[:12]}})
		return err
	})
}

// (API tokens: tokens.go.)

// RevokeToken revokes one of the actor's own tokens.
func (s *Service) RevokeToken(ctx context.Context, a *org.Actor, tokenID int64) error {
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL", now, tokenID, a.UserID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "令牌不存在或已吊销")
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "token.revoke", ObjectKind: "api_token",
			ObjectID: fmt.Sprint(tokenID), After: map[string]any{"revoked": true}})
		return err
	})
}
