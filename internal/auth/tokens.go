package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/codes"
	"anwei/internal/org"
	"anwei/internal/store"
)

// API tokens (issue 17.3) are scoped: each reaches one area of the API and
// writes only when made to; each expires (90 days unless another term up to
// a year is chosen) and can be revoked; its last use (time and address) is
// kept. Which route belongs to which area, and which writes, is the web's
// route table's to say (web/routeareas.go); the token says what it may.

// AllAreas is the area of the tokens made before scopes existed: every
// area of the API, writing, as they always did (but no page: no token is a
// page session), with the default term from the first start after the
// change (TermOldTokens). No new token gets it.
const AllAreas = "*"

// TokenAreas are the areas a token may be limited to, with their names.
var TokenAreas = []codes.Choice{
	{Key: "plan", Name: "工作要点和督办"},
	{Key: "enterprise", Name: "企业档案"},
	{Key: "hazard", Name: "隐患"},
	{Key: "risk", Name: "风险"},
	{Key: "enforce", Name: "执法"},
	{Key: "org", Name: "组织机构"},
	{Key: "audit", Name: "审计日志"},
	{Key: "inbox", Name: "消息和待办"},
}

// AreaName is the Chinese name of a token's area.
func AreaName(area string) string {
	if area == AllAreas {
		return "全部 (升级前创建的令牌)"
	}
	return codes.NameOf(TokenAreas, area)
}

// Token terms: the default and the longest.
const (
	DefaultTokenDays = 90
	MaxTokenDays     = 365
)

// Token is an API token's public record.
type Token struct {
	ID           int64      `json:"id"`
	Name         string     `json:"name"`
	UserID       int64      `json:"user_id"`
	CreatedAt    time.Time  `json:"created_at"`
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	Area         string     `json:"area"`      // one of TokenAreas, or "*" (a token made before scopes)
	AreaName     string     `json:"area_name"` // its Chinese name
	Write        bool       `json:"write"`     // may write; false: read-only
	ExpiresAt    *time.Time `json:"expires_at"`
	LastUsedAt   *time.Time `json:"last_used_at"`
	LastUsedFrom string     `json:"last_used_from"` // the client address of that use
	State        string     `json:"state"`          // active, expired, revoked
	StateName    string     `json:"state_name"`
}

// Grant is what the token a request came with may do. The zero Grant is a
// session's: no token, no limit from one.
type Grant struct {
	TokenID int64
	Area    string // "*" every area
	Write   bool
}

// Token reports whether the request came with a token.
func (g Grant) Token() bool { return g.TokenID != 0 }

// Allows reports whether the grant lets a request into a route of area
// (""= open to every token: who am I, the regulation calculators) that
// writes or not. A session's zero Grant allows everything; "account" (the
// tokens themselves, the second factor) is never a token's.
func (g Grant) Allows(area string, writes bool) error {
	if !g.Token() {
		return nil
	}
	switch {
	case area == "account":
		return apperr.New(apperr.Forbidden, "接口令牌不能管理接口令牌和双因素认证，请登录后在「我的账号」中操作")
	case area != "" && g.Area != AllAreas && g.Area != area:
		return apperr.New(apperr.Forbidden, fmt.Sprintf("此接口令牌只用于「%s」，不能访问「%s」的接口", AreaName(g.Area), AreaName(area)))
	case writes && !g.Write:
		return apperr.New(apperr.Forbidden, "此接口令牌为只读令牌，不能新增、修改或删除数据；如需写入，请创建可写的令牌")
	}
	return nil
}

// tokenPrefix marks anwei API tokens, so a leaked one is recognisable.
const tokenPrefix = "anw_"

// TokenInput asks for an API token: its purpose, its area, whether it may
// write and for how many days (0: DefaultTokenDays), and the user's current
// password with the client's address, so that a stolen session cookie alone
// cannot mint a long-lived token.
type TokenInput struct {
	Name     string
	Area     string
	Write    bool
	Days     int
	Password string
	Source   string
}

// CreateToken makes an API token for the actor itself once the actor's
// current password is confirmed, checked and counted like a login. The
// plain token is returned once and never stored.
func (s *Service) CreateToken(ctx context.Context, a *org.Actor, in TokenInput) (string, Token, error) {
	in, errs, err := checkToken(a, in)
	if err != nil {
		return "", Token{}, err
	}
	errs.If(in.Password == "", "password", "请输入您的登录密码以确认创建令牌")
	if err := errs.Err(); err != nil {
		return "", Token{}, err
	}
	_, r, ok, err := s.checkPassword(ctx, a.Username, in.Password, in.Source)
	if err != nil {
		return "", Token{}, err
	}
	if !ok {
		return "", Token{}, apperr.Field("password", "登录密码不正确，未创建令牌")
	}
	return s.issue(ctx, a, in, &r)
}

// IssueToken makes an API token without asking for the password: for the
// operator at the command line (`anwei user token`), who holds the
// database already. in.Password and in.Source are not read.
func (s *Service) IssueToken(ctx context.Context, a *org.Actor, in TokenInput) (string, Token, error) {
	in, errs, err := checkToken(a, in)
	if err == nil {
		err = errs.Err()
	}
	if err != nil {
		return "", Token{}, err
	}
	return s.issue(ctx, a, in, nil)
}

// checkToken checks that a may make tokens and what it asks for, and
// returns the input trimmed, with the default term, and what is wrong
// with its fields.
func checkToken(a *org.Actor, in TokenInput) (TokenInput, apperr.Checks, error) {
	if err := a.Require(org.PermTokenWriteOwn); err != nil {
		return in, nil, err
	}
	var errs apperr.Checks
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len([]rune(in.Name)) > 50 {
		errs.Add("name", "请填写令牌用途 (50 字以内)")
	}
	if codes.NameOf(TokenAreas, in.Area) == in.Area {
		errs.Add("area", "请选择令牌可访问的范围 (一个业务模块)")
	}
	if in.Days == 0 {
		in.Days = DefaultTokenDays
	}
	if in.Days < 1 || in.Days > MaxTokenDays {
		errs.Add("days", fmt.Sprintf("有效期为 1 至 %d 天", MaxTokenDays))
	}
	return in, errs, nil
}

// issue stores and audits a new token; confirmed, when not nil, is the
// password confirmation's attempt, taken back in the same transaction.
func (s *Service) issue(ctx context.Context, a *org.Actor, in TokenInput, confirmed *org.Reservation) (string, Token, error) {
	plain, hash := newSecret(tokenPrefix)
	now := s.clock.Now()
	expires := now.AddDate(0, 0, in.Days)
	t := Token{Name: in.Name, UserID: a.UserID, CreatedAt: now, Area: in.Area, Write: in.Write, ExpiresAt: &expires}
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		if confirmed != nil {
			if err := s.org.ReleaseLoginAttempt(ctx, tx, *confirmed, s.policy.limits()); err != nil {
				return err
			}
		}
		var err error
		t.ID, err = tx.InsertID(ctx, "INSERT INTO api_tokens (token_hash, user_id, name, created_at, area, writes, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			hash, a.UserID, in.Name, now, in.Area, in.Write, expires)
		if err != nil {
			return err
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "token.create", ObjectKind: "api_token",
			ObjectID: fmt.Sprint(t.ID), After: map[string]any{"name": in.Name, "user_id": a.UserID, "token_hash": hash,
				"area": in.Area, "write": in.Write, "expires_at": expires, "password_confirmed": confirmed != nil}})
		return err
	})
	t.fill(now)
	return plain, t, err
}

// fill sets the names and the state as of now.
func (t *Token) fill(now time.Time) {
	t.AreaName = AreaName(t.Area)
	switch {
	case t.RevokedAt != nil:
		t.State, t.StateName = "revoked", "已吊销"
	case t.ExpiresAt != nil && !now.Before(*t.ExpiresAt):
		t.State, t.StateName = "expired", "已过期"
	default:
		t.State, t.StateName = "active", "有效"
	}
}

// AuthenticateToken recognises a bearer token from a client address, and
// returns what it may do. Its last use is kept (time and address), written
// at most once per Policy.TouchEvery unless the address changes.
func (s *Service) AuthenticateToken(ctx context.Context, plain, source string) (*org.Actor, Grant, error) {
	if !strings.HasPrefix(plain, tokenPrefix) {
		return nil, Grant{}, apperr.New(apperr.Unauthenticated, "接口令牌无效")
	}
	hash := hashSecret(plain)
	var g Grant
	var userID int64
	var expires, lastUsed *time.Time
	var lastFrom string
	err := s.db.QueryRow(ctx, "SELECT id, user_id, area, writes, expires_at, last_used_at, last_used_from FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
		hash).Scan(&g.TokenID, &userID, &g.Area, &g.Write, &expires, &lastUsed, &lastFrom)
	if store.NoRows(err) {
		return nil, Grant{}, apperr.New(apperr.Unauthenticated, "接口令牌无效或已吊销")
	}
	if err != nil {
		return nil, Grant{}, err
	}
	now := s.clock.Now()
	if expires != nil && !now.Before(*expires) {
		return nil, Grant{}, apperr.New(apperr.Unauthenticated, "接口令牌已于 "+expires.In(calendar.Shanghai).Format("2006-01-02")+" 过期，请创建新令牌")
	}
	a, err := s.org.ActorByID(ctx, userID)
	if err != nil {
		return nil, Grant{}, err
	}
	if lastUsed == nil || lastFrom != source || now.Sub(*lastUsed) > s.policy.TouchEvery {
		// Bookkeeping of the token, not a change of the supervised world: not audited.
		if err := s.db.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, "UPDATE api_tokens SET last_used_at = ?, last_used_from = ? WHERE id = ?", now, source, g.TokenID)
			return err
		}); err != nil {
			return nil, Grant{}, err
		}
	}
	return a, g, nil
}

// ListTokens lists the actor's own tokens.
func (s *Service) ListTokens(ctx context.Context, a *org.Actor) ([]Token, error) {
	now := s.clock.Now()
	rows, err := s.db.Query(ctx, "SELECT id, name, user_id, created_at, revoked_at, area, writes, expires_at, last_used_at, last_used_from FROM api_tokens WHERE user_id = ? ORDER BY id DESC", a.UserID)
	return store.Collect(rows, err, func(r store.Scanner) (Token, error) {
		var t Token
		err := r.Scan(&t.ID, &t.Name, &t.UserID, &t.CreatedAt, &t.RevokedAt, &t.Area, &t.Write, &t.ExpiresAt, &t.LastUsedAt, &t.LastUsedFrom)
		t.fill(now)
		return t, err
	})
}
