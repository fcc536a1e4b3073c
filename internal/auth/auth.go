// Package auth logs people in and recognises them on every request:
// argon2id passwords (package passwd), a lock after repeated failures,
// sessions stored in the database so that several servers can share them
// (idle and absolute expiry), and API tokens for machine clients
// (Authorization: Bearer). Only hashes of session ids and tokens are stored.
// It follows GB/T 22239-2019 (等级保护 2.0) on login-failure handling and
// session timeouts.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
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
	LockAfter   int           // failed logins in a row before the account locks
	LockFor     time.Duration // how long it stays locked
	IdleTimeout time.Duration // a session unused this long expires
	MaxAge      time.Duration // a session expires this long after login regardless
	TouchEvery  time.Duration // how often last_seen is written (limits writes per request)
}

// DefaultPolicy: 5 failures lock the account for 15 minutes; sessions expire
// after 2 hours idle or 12 hours in all.
var DefaultPolicy = Policy{LockAfter: 5, LockFor: 15 * time.Minute, IdleTimeout: 2 * time.Hour, MaxAge: 12 * time.Hour,
	TouchEvery: time.Minute}

// Service is login, sessions and tokens.
type Service struct {
	db     *store.DB
	clock  calendar.Clock
	org    *org.Service
	policy Policy
	dummy  string // a hash to check against when the user does not exist
}

// NewService returns the auth service.
func NewService(db *store.DB, clock calendar.Clock, orgs *org.Service, p Policy) *Service {
	dummy, _ := passwd.Hash("no such user, constant time")
	return &Service{db: db, clock: clock, org: orgs, policy: p, dummy: dummy}
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

var errBadLogin = apperr.New(apperr.Unauthenticated, "用户名或密码错误")

// Login checks a username and password and opens a session. It returns the
// session id for the cookie.
func (s *Service) Login(ctx context.Context, username, password string) (string, *org.Actor, error) {
	now := s.clock.Now()
	c, err := s.org.CredentialsFor(ctx, username)
	if apperr.Is(err, apperr.NotFound) {
		_, _ = passwd.Check(password, s.dummy) // same cost as a real check
		return "", nil, errBadLogin
	}
	if err != nil {
		return "", nil, err
	}
	if c.LockedUntil != nil && now.Before(*c.LockedUntil) {
		return "", nil, lockedErr(*c.LockedUntil)
	}
	ok, err := passwd.Check(password, c.PasswordHash)
	if err != nil && err != passwd.ErrMalformed {
		return "", nil, err
	}
	if !ok {
		until, err := s.org.RecordLoginFailure(ctx, c, s.policy.LockAfter, s.policy.LockFor)
		if err != nil {
			return "", nil, err
		}
		if until != nil {
			return "", nil, lockedErr(*until)
		}
		left := s.policy.LockAfter - (c.Failed + 1)
		return "", nil, apperr.New(apperr.Unauthenticated, fmt.Sprintf("用户名或密码错误，再错 %d 次账号将锁定 %d 分钟", left, int(s.policy.LockFor.Minutes())))
	}
	if !c.Active {
		return "", nil, apperr.New(apperr.Unauthenticated, "账号或所在单位已停用，请联系管理员")
	}
	actor, err := s.org.ActorByID(ctx, c.UserID)
	if err != nil {
		return "", nil, err
	}
	plain, hash := newSecret("")
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		// The user's expired sessions go when a new one starts, so the
		// table does not grow without bound.
		if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = ? AND (expires_at < ? OR last_seen_at < ?)",
			c.UserID, now, now.Add(-s.policy.IdleTimeout)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			hash, c.UserID, now, now, now.Add(s.policy.MaxAge)); err != nil {
			return err
		}
		if err := s.org.ResetLoginFailures(ctx, tx, c.UserID); err != nil {
			return err
		}
		_, err := audit.Append(ctx, tx, now, actor.Who(), audit.Entry{Action: "auth.login", ObjectKind: "user",
			ObjectID: fmt.Sprint(c.UserID), After: map[string]any{"session": hash[:12]}})
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return plain, actor, nil
}

func lockedErr(until time.Time) error {
	return apperr.New(apperr.Locked, "连续登录失败次数过多，账号已锁定至 "+calendar.Local(until).Format("15:04")+"，请稍后再试")
}

var errExpired = apperr.New(apperr.Unauthenticated, "登录已过期，请重新登录")

// Authenticate recognises a session id from a cookie.
func (s *Service) Authenticate(ctx context.Context, session string) (*org.Actor, error) {
	if session == "" {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	hash := hashSecret(session)
	now := s.clock.Now()
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
	}
	return a, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, a *org.Actor, session string) error {
	hash := hashSecret(session)
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, "DELETE FROM sessions WHERE token_hash = ?", hash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 || a == nil {
			return nil
		}
		_, err = audit.Append(ctx, tx, s.clock.Now(), a.Who(), audit.Entry{Action: "auth.logout", ObjectKind: "user",
			ObjectID: fmt.Sprint(a.UserID), Before: map[string]any{"session": hash[:12]}})
		return err
	})
}

// Token is an API token's public record.
type Token struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	UserID    int64      `json:"user_id"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// tokenPrefix marks anwei API tokens, so a leaked one is recognisable.
const tokenPrefix = "anw_"

// CreateToken makes an API token for the actor itself. The plain token is
// returned once and never stored.
func (s *Service) CreateToken(ctx context.Context, a *org.Actor, name string) (string, Token, error) {
	if err := a.Require(org.PermTokenWriteOwn); err != nil {
		return "", Token{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 50 {
		return "", Token{}, apperr.Field("name", "请填写令牌用途 (50 字以内)")
	}
	plain, hash := newSecret(tokenPrefix)
	t := Token{Name: name, UserID: a.UserID, CreatedAt: s.clock.Now()}
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		t.ID, err = tx.InsertID(ctx, "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)",
			hash, a.UserID, name, t.CreatedAt)
		if err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, t.CreatedAt, a.Who(), audit.Entry{Action: "token.create", ObjectKind: "api_token",
			ObjectID: fmt.Sprint(t.ID), After: map[string]any{"name": name, "user_id": a.UserID, "token_hash": hash}})
		return err
	})
	return plain, t, err
}

// AuthenticateToken recognises a bearer token.
func (s *Service) AuthenticateToken(ctx context.Context, plain string) (*org.Actor, error) {
	if !strings.HasPrefix(plain, tokenPrefix) {
		return nil, apperr.New(apperr.Unauthenticated, "接口令牌无效")
	}
	var userID int64
	err := s.db.QueryRow(ctx, "SELECT user_id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", hashSecret(plain)).Scan(&userID)
	if store.NoRows(err) {
		return nil, apperr.New(apperr.Unauthenticated, "接口令牌无效或已吊销")
	}
	if err != nil {
		return nil, err
	}
	return s.org.ActorByID(ctx, userID)
}

// ListTokens lists the actor's own tokens.
func (s *Service) ListTokens(ctx context.Context, a *org.Actor) ([]Token, error) {
	rows, err := s.db.Query(ctx, "SELECT id, name, user_id, created_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY id DESC", a.UserID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		if err := rows.Scan(&t.ID, &t.Name, &t.UserID, &t.CreatedAt, &t.RevokedAt); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

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
		_, err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "token.revoke", ObjectKind: "api_token",
			ObjectID: fmt.Sprint(tokenID), After: map[string]any{"revoked": true}})
		return err
	})
}
