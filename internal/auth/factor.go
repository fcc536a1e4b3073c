package auth

import (
	"context"
	"fmt"
	"slices"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/org"
	"anwei/internal/store"
)

// Two-factor login (issue 17.3; GB/T 22239-2019 三级 身份鉴别 asks two
// factors of administrators): a TOTP authenticator (any app: RFC 6238,
// SHA-1, 6 digits, 30 s) with ten one-time recovery codes. Anyone may bind
// one at /account; the setting SettingFactorRequired (off by default and in
// the demo) makes it a must for admin and office accounts, which are then
// made to bind one at their next sign-in. The secret is kept encrypted under
// the factor key (a file, never the database), a code is taken once (its
// time step must come after the last one used), and every wrong code counts
// toward the login lockout like a wrong password.

// SettingFactorRequired is the settings key: "1" when admin and office
// accounts must sign in with a second factor.
const SettingFactorRequired = "auth.two_factor_required"

// RecoveryCodeCount is how many recovery codes a binding gets.
const RecoveryCodeCount = 10

// challengeFor is how long a pending sign-in waits for its code.
const challengeFor = 5 * time.Minute

// factorRoles are the roles the setting requires a second factor of.
var factorRoles = []org.Role{org.RoleAdmin, org.RoleOffice}

// needsFactor reports whether the setting applies to an account of roles.
func needsFactor(roles []org.Role) bool {
	for _, r := range roles {
		if slices.Contains(factorRoles, r) {
			return true
		}
	}
	return false
}

// Enrolment is an authenticator being bound: the secret, in groups of four
// for typing, and the otpauth:// URI an app scans (the page shows it as a QR
// code).
type Enrolment struct {
	Secret  string `json:"secret"`
	Grouped string `json:"secret_grouped"`
	URI     string `json:"otpauth_uri"`
}

func enrolmentOf(username, secret string) *Enrolment {
	return &Enrolment{Secret: secret, Grouped: groupSecret(secret), URI: otpauthURI(username, secret)}
}

// FactorStatus is an account's second factor as its owner sees it.
type FactorStatus struct {
	Enrolled     bool       `json:"enrolled"`
	EnrolledAt   *time.Time `json:"enrolled_at,omitempty"`
	RecoveryLeft int        `json:"recovery_codes_left"`
	// Required: the deployment's setting requires a second factor of this
	// account (it cannot be turned off).
	Required bool `json:"required"`
	// Setting: the setting is on (for every admin and office account).
	Setting bool `json:"setting"`
	// Pending is a binding begun and not yet confirmed with a code.
	Pending *Enrolment `json:"pending,omitempty"`
}

// FactorsKept is how many accounts have a secret sealed under the factor
// key: app refuses to make a new key when any has (it would open none).
func FactorsKept(ctx context.Context, db *store.DB) (int, error) {
	var n int
	err := db.QueryRow(ctx, "SELECT COUNT(*) FROM user_factors").Scan(&n)
	return n, err
}

// FactorRequired reports whether the deployment requires a second factor of
// admin and office accounts.
func (s *Service) FactorRequired(ctx context.Context) (bool, error) {
	v, _, err := org.ReadSetting(ctx, s.db, SettingFactorRequired)
	return v == "1", err
}

// SetFactorRequired turns the setting on or off (an administrator). Turning
// it on ends nobody's session: each admin and office account without a
// factor binds one at its next sign-in.
func (s *Service) SetFactorRequired(ctx context.Context, a *org.Actor, on bool) error {
	if err := a.Require(org.PermUserWrite); err != nil {
		return err
	}
	v := map[bool]string{true: "1", false: "0"}[on]
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		before, _, err := org.ReadSetting(ctx, tx, SettingFactorRequired)
		if err != nil || before == v || (before == "" && !on) {
			return err
		}
		if err := org.WriteSetting(ctx, tx, SettingFactorRequired, v); err != nil {
			return err
		}
		err = audit.Append(ctx, tx, s.clock.Now(), a.Who(), audit.Entry{Action: "auth.factor.setting", ObjectKind: "setting",
			ObjectID: SettingFactorRequired, Before: map[string]any{"required": before == "1"}, After: map[string]any{"required": on}})
		return err
	})
}

// factorRow is a user's stored factor.
type factorRow struct {
	secret    string // decrypted, when openErr is nil
	openErr   error  // the secret could not be decrypted (a factor key that is not the one it was sealed under)
	sealed    string // as stored
	confirmed *time.Time
	lastStep  int64
	found     bool
}

// open is the decrypted secret, or why there is none.
func (f factorRow) open() (string, error) { return f.secret, f.openErr }

func (s *Service) factorOf(ctx context.Context, q org.RowQuerier, userID int64) (factorRow, error) {
	var f factorRow
	err := q.QueryRow(ctx, "SELECT secret_enc, confirmed_at, last_step FROM user_factors WHERE user_id = ?", userID).Scan(&f.sealed, &f.confirmed, &f.lastStep)
	if store.NoRows(err) {
		return f, nil
	}
	if err != nil {
		return f, err
	}
	f.found = true
	// Not decrypting is no error here: a recovery code needs no secret
	// (matchCode), and what shows the secret asks open().
	f.secret, f.openErr = openSecret(s.key, userID, f.sealed)
	return f, nil
}

// FactorStatus is the actor's own second factor.
func (s *Service) FactorStatus(ctx context.Context, a *org.Actor) (FactorStatus, error) {
	var st FactorStatus
	var err error
	if st.Setting, err = s.FactorRequired(ctx); err != nil {
		return st, err
	}
	st.Required = st.Setting && needsFactor(a.Roles)
	f, err := s.factorOf(ctx, s.db, a.UserID)
	if err != nil {
		return st, err
	}
	switch {
	case f.found && f.confirmed != nil:
		st.Enrolled, st.EnrolledAt = true, f.confirmed
		err = s.db.QueryRow(ctx, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", a.UserID).Scan(&st.RecoveryLeft)
	case f.found:
		secret, err := f.open()
		if err != nil {
			return st, err
		}
		st.Pending = enrolmentOf(a.Username, secret)
	}
	return st, err
}

// secondFactor is what a right password of actor leads to: "code" when it
// has a factor, "enrol" when the setting requires one it lacks, else "".
func (s *Service) secondFactor(ctx context.Context, actor *org.Actor) (string, error) {
	var confirmed *time.Time
	err := s.db.QueryRow(ctx, "SELECT confirmed_at FROM user_factors WHERE user_id = ?", actor.UserID).Scan(&confirmed)
	if err != nil && !store.NoRows(err) {
		return "", err
	}
	if confirmed != nil {
		return "code", nil
	}
	if !needsFactor(actor.Roles) {
		return "", nil
	}
	if on, err := s.FactorRequired(ctx); err != nil || !on {
		return "", err
	}
	return "enrol", nil
}

// putPending stores a new secret for actor, unconfirmed, in tx (replacing
// an earlier unconfirmed one; never a confirmed one).
func (s *Service) putPending(ctx context.Context, tx *store.Tx, actor *org.Actor) error {
	sealed, err := sealSecret(s.key, actor.UserID, newTOTPSecret())
	if err != nil {
		return apperr.New(apperr.Internal, err.Error())
	}
	n, err := tx.Exec(ctx, `INSERT INTO user_factors (user_id, secret_enc, created_at, confirmed_at, last_step) VALUES (?, ?, ?, NULL, 0)
		ON CONFLICT (user_id) DO UPDATE SET secret_enc = excluded.secret_enc, created_at = excluded.created_at
		WHERE user_factors.confirmed_at IS NULL`, actor.UserID, sealed, s.clock.Now())
	if err != nil {
		return err
	}
	if k, _ := n.RowsAffected(); k == 0 {
		return apperr.New(apperr.Conflict, "已启用双因素认证；如需更换验证器，请先关闭再重新绑定")
	}
	return nil
}

// challenge opens a pending sign-in for actor, whose password was right.
// The password's attempt r stays counted until the code is right, so a
// password known to a stranger does not reset the lockout between codes.
func (s *Service) challenge(ctx context.Context, actor *org.Actor, r org.Reservation, next string) (SignedIn, error) {
	now := s.clock.Now()
	plain, hash := newSecret("")
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM login_challenges WHERE user_id = ? AND expires_at < ?", actor.UserID, now); err != nil {
			return err
		}
		if next == "enrol" {
			if err := s.putPending(ctx, tx, actor); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, "INSERT INTO login_challenges (token_hash, user_id, next, source, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
			hash, actor.UserID, next, r.Source, now, now.Add(challengeFor)); err != nil {
			return err
		}
		err := audit.Append(ctx, tx, now, actor.Who(), audit.Entry{Action: "auth.login_factor_due", ObjectKind: "user",
			ObjectID: fmt.Sprint(actor.UserID), After: map[string]any{"next": next, "challenge": hash[:12], "source": r.Source}})
		return err
	})
	if err != nil {
		return SignedIn{}, err
	}
	return SignedIn{Actor: actor, Challenge: plain, Next: next}, nil
}

var errChallengeGone = apperr.New(apperr.Unauthenticated, "登录已超时或已完成，请重新输入用户名和密码")

// Pending is a sign-in waiting for its second factor, as its page shows it.
type Pending struct {
	Next      string     `json:"next"` // code, enrol
	Username  string     `json:"username"`
	Enrolment *Enrolment `json:"enrolment,omitempty"` // with next = enrol: the authenticator to bind
}

type pendingRow struct {
	userID   int64
	next     string
	source   string
	username string
}

func (s *Service) pendingOf(ctx context.Context, challenge string) (pendingRow, error) {
	var p pendingRow
	var expires time.Time
	err := s.db.QueryRow(ctx, "SELECT user_id, next, source, expires_at FROM login_challenges WHERE token_hash = ?", hashSecret(challenge)).
		Scan(&p.userID, &p.next, &p.source, &expires)
	if store.NoRows(err) || (err == nil && !s.clock.Now().Before(expires)) {
		return p, errChallengeGone
	}
	return p, err
}

// PendingSignIn describes a challenge for its page.
func (s *Service) PendingSignIn(ctx context.Context, challenge string) (Pending, error) {
	p, err := s.pendingOf(ctx, challenge)
	if err != nil {
		return Pending{}, err
	}
	actor, err := s.org.ActorByID(ctx, p.userID)
	if err != nil {
		return Pending{}, err
	}
	out := Pending{Next: p.next, Username: actor.Username}
	if p.next == "enrol" {
		f, err := s.factorOf(ctx, s.db, p.userID)
		if err != nil {
			return out, err
		}
		if !f.found || f.confirmed != nil {
			return out, errChallengeGone
		}
		secret, err := f.open()
		if err != nil {
			return out, err
		}
		out.Enrolment = enrolmentOf(actor.Username, secret)
	}
	return out, nil
}

// factorUse is a code found right: a TOTP step, or a recovery code.
type factorUse struct {
	kind     string // totp, recovery
	step     int64
	recovery int64
}

// matchCode checks code against f (a TOTP code, or when recovery a
// recovery code of userID). A recovery code needs no secret: it works when
// the secret cannot be decrypted (a factor key gone wrong), which is when
// it is needed most.
func (s *Service) matchCode(ctx context.Context, userID int64, f factorRow, code string, recovery bool) (factorUse, bool, error) {
	if recovery && len(normaliseCode(code)) > totpDigits {
		var id int64
		err := s.db.QueryRow(ctx, "SELECT id FROM recovery_codes WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
			userID, recoveryHash(userID, code)).Scan(&id)
		if store.NoRows(err) {
			return factorUse{}, false, nil
		}
		return factorUse{kind: "recovery", recovery: id}, err == nil, err
	}
	secret, err := f.open()
	if err != nil {
		return factorUse{}, false, err
	}
	if step := matchTOTP(secret, code, s.clock.Now(), f.lastStep); step != 0 {
		return factorUse{kind: "totp", step: step}, true, nil
	}
	return factorUse{}, false, nil
}

var errCodeUsed = apperr.Field("code", "此验证码刚刚已被使用，请等待验证器显示下一个验证码")

// use takes a code in tx, once: a TOTP step only after the last one used, a
// recovery code only while unused; another request that took it first makes
// this one fail.
func (u factorUse) use(ctx context.Context, tx *store.Tx, userID int64, now time.Time) error {
	var q string
	var args []any
	if u.kind == "totp" {
		q, args = "UPDATE user_factors SET last_step = ? WHERE user_id = ? AND last_step < ?", []any{u.step, userID, u.step}
	} else {
		q, args = "UPDATE recovery_codes SET used_at = ? WHERE id = ? AND user_id = ? AND used_at IS NULL", []any{now, u.recovery, userID}
	}
	res, err := tx.Exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errCodeUsed
	}
	return nil
}

// newRecoveryCodes replaces userID's recovery codes in tx and returns the
// new ones in clear, to be shown once.
func newRecoveryCodes(ctx context.Context, tx *store.Tx, userID int64) ([]string, error) {
	if _, err := tx.Exec(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", userID); err != nil {
		return nil, err
	}
	out := make([]string, RecoveryCodeCount)
	for i := range out {
		out[i] = newRecoveryCode()
		if _, err := tx.Exec(ctx, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)", userID, recoveryHash(userID, out[i])); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// errWrongCode answers a wrong, used or mistyped code.
var errWrongCode = apperr.Field("code", "动态验证码不正确或已使用过 (每个验证码只能用一次)")

// codesSource is the source under which every code of an account is
// counted, whatever its address: changing addresses buys no more guesses.
const codesSource = "(动态验证码)"

// codeTry is a code's try, counted toward the lockout twice: as a password
// is (the account from source, and source alone) and against the account
// from anywhere (codesSource, the account's limit).
type codeTry struct {
	at, account org.Reservation
}

var errCodeLocked = apperr.Field("code", "尝试次数过多，账号已暂时锁定，请稍后再试")

// attempt counts a code's try against the login lockout like a password's:
// reserved before the check; a wrong code is recorded as a failed login.
func (s *Service) attempt(ctx context.Context, actor *org.Actor, source string) (codeTry, error) {
	var t codeTry
	var err error
	l := s.policy.limits()
	if t.at, err = s.org.ReserveLoginAttempt(ctx, org.LoginAttempt{Username: actor.Username, Source: source}, l); err != nil {
		return t, err
	}
	if !t.at.Allowed {
		return t, errCodeLocked
	}
	if t.account, err = s.org.ReserveLoginAttempt(ctx, org.LoginAttempt{Username: actor.Username, Source: codesSource},
		org.LoginLimits{Account: l.Account}); err != nil {
		return t, err
	}
	if !t.account.Allowed {
		return t, errCodeLocked
	}
	return t, nil
}

func (s *Service) failed(ctx context.Context, actor *org.Actor, t codeTry) error {
	c := org.Credentials{UserID: actor.UserID, Username: actor.Username, UnitID: actor.Unit.ID, Region: actor.Unit.Region}
	r := t.at
	if r.Locks == nil {
		r.Locks = t.account.Locks
	}
	if err := s.org.RecordLoginFailure(ctx, &c, r); err != nil {
		return err
	}
	return errWrongCode
}

// release takes a right code's try back, in tx.
func (s *Service) release(ctx context.Context, tx *store.Tx, t codeTry) error {
	if err := s.org.ReleaseLoginAttempt(ctx, tx, t.at, s.policy.limits()); err != nil {
		return err
	}
	return s.org.ReleaseLoginAttempt(ctx, tx, t.account, org.LoginLimits{Account: s.policy.limits().Account})
}

// CompleteSignIn finishes a pending sign-in with a code from the
// authenticator (or, for an account with a factor, a recovery code) and
// opens the session. A challenge to enrol binds the authenticator whose
// code it is and returns its recovery codes, once.
func (s *Service) CompleteSignIn(ctx context.Context, challenge, code, source string) (SignedIn, error) {
	p, err := s.pendingOf(ctx, challenge)
	if err != nil {
		return SignedIn{}, err
	}
	actor, err := s.org.ActorByID(ctx, p.userID)
	if err != nil {
		return SignedIn{}, err
	}
	r, err := s.attempt(ctx, actor, source)
	if err != nil {
		return SignedIn{}, err
	}
	f, err := s.factorOf(ctx, s.db, p.userID)
	if err != nil {
		return SignedIn{}, err
	}
	enrol := p.next == "enrol"
	if !f.found || (f.confirmed == nil) != enrol {
		return SignedIn{}, errChallengeGone
	}
	u, ok, err := s.matchCode(ctx, p.userID, f, code, !enrol)
	if err != nil {
		return SignedIn{}, err
	}
	if !ok {
		return SignedIn{}, s.wrongChallengeCode(ctx, actor, r, challenge)
	}
	now := s.clock.Now()
	var codes []string
	password := org.Reservation{LoginAttempt: org.LoginAttempt{Username: actor.Username, Source: p.source}}
	session, err := s.openSession(ctx, actor, source, map[string]any{"factor": u.kind, "enrolled": enrol}, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, "DELETE FROM login_challenges WHERE token_hash = ?", hashSecret(challenge))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errChallengeGone // another request completed it first
		}
		if err := u.use(ctx, tx, actor.UserID, now); err != nil {
			return err
		}
		if enrol {
			if codes, err = s.confirm(ctx, tx, actor, f.sealed, now, "signin"); err != nil {
				return err
			}
		}
		// Both attempts go back: the password's and the code's.
		if err := s.org.ReleaseLoginAttempt(ctx, tx, password, s.policy.limits()); err != nil {
			return err
		}
		return s.release(ctx, tx, r)
	})
	if err != nil {
		return SignedIn{}, err
	}
	return SignedIn{Session: session, Actor: actor, RecoveryCodes: codes}, nil
}

// challengeCodes is how many wrong codes a pending sign-in takes: the
// fifth ends it, and the password is asked again.
const challengeCodes = 5

var errChallengeSpent = apperr.New(apperr.Unauthenticated, "动态验证码错误次数过多，请重新输入用户名和密码")

// wrongChallengeCode records a wrong code of a pending sign-in: a failed
// login, and one more of the challenge's own wrong codes, which ends it at
// challengeCodes whatever addresses the codes came from.
func (s *Service) wrongChallengeCode(ctx context.Context, actor *org.Actor, t codeTry, challenge string) error {
	wrong := s.failed(ctx, actor, t)
	if !apperr.Is(wrong, apperr.Invalid) {
		return wrong
	}
	gone := false
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var n int
		err := tx.ExecRow(ctx, "UPDATE login_challenges SET wrong_codes = wrong_codes + 1 WHERE token_hash = ? RETURNING wrong_codes",
			hashSecret(challenge)).Scan(&n)
		if store.NoRows(err) || (err == nil && n >= challengeCodes) {
			gone = true
			_, err = tx.Exec(ctx, "DELETE FROM login_challenges WHERE token_hash = ?", hashSecret(challenge))
		}
		return err
	})
	switch {
	case err != nil:
		return err
	case gone:
		return errChallengeSpent
	}
	return wrong
}

// confirm marks actor's pending factor bound, gives it recovery codes and
// audits it, in tx. sealed is the stored secret the code was checked
// against: should another binding have replaced it meanwhile (BeginEnrol in
// another request), nothing is bound.
func (s *Service) confirm(ctx context.Context, tx *store.Tx, actor *org.Actor, sealed string, now time.Time, where string) ([]string, error) {
	res, err := tx.Exec(ctx, "UPDATE user_factors SET confirmed_at = ? WHERE user_id = ? AND confirmed_at IS NULL AND secret_enc = ?", now, actor.UserID, sealed)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, apperr.New(apperr.Conflict, "验证器已启用，或其绑定已被另一次绑定取代；请刷新页面，按最新的二维码重新确认")
	}
	codes, err := newRecoveryCodes(ctx, tx, actor.UserID)
	if err != nil {
		return nil, err
	}
	err = audit.Append(ctx, tx, now, actor.Who(), audit.Entry{Action: "auth.factor.enrol", ObjectKind: "user",
		ObjectID: fmt.Sprint(actor.UserID), After: map[string]any{"method": "totp", "recovery_codes": len(codes), "at": where}})
	return codes, err
}

// BeginEnrol starts binding an authenticator to the actor's own account,
// once the actor's current password (from source) is confirmed, checked and
// counted like a login, so that a stolen session cookie alone cannot bind
// the thief's authenticator: a new secret, stored encrypted and unconfirmed
// until ConfirmEnrol gets a code of it. (The binding a sign-in requires
// comes right after the password and does not ask it again.)
func (s *Service) BeginEnrol(ctx context.Context, a *org.Actor, password, source string) (*Enrolment, error) {
	if password == "" {
		return nil, apperr.Field("password", "请输入您的登录密码以确认绑定验证器")
	}
	_, r, ok, err := s.checkPassword(ctx, a.Username, password, source)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.Field("password", "登录密码不正确，未开始绑定验证器")
	}
	var e *Enrolment
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		if err := s.putPending(ctx, tx, a); err != nil {
			return err
		}
		if err := s.org.ReleaseLoginAttempt(ctx, tx, r, s.policy.limits()); err != nil {
			return err
		}
		f, err := s.factorOf(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		secret, err := f.open()
		if err != nil {
			return err
		}
		e = enrolmentOf(a.Username, secret)
		err = audit.Append(ctx, tx, s.clock.Now(), a.Who(), audit.Entry{Action: "auth.factor.begin", ObjectKind: "user",
			ObjectID: fmt.Sprint(a.UserID), After: map[string]any{"method": "totp"}})
		return err
	})
	return e, err
}

// ConfirmEnrol binds the actor's pending authenticator once code is one of
// its codes, and returns the recovery codes, once. A wrong code counts
// toward the lockout.
func (s *Service) ConfirmEnrol(ctx context.Context, a *org.Actor, code, source string) ([]string, error) {
	f, err := s.factorOf(ctx, s.db, a.UserID)
	if err != nil {
		return nil, err
	}
	if !f.found || f.confirmed != nil {
		return nil, apperr.New(apperr.Conflict, "没有待确认的验证器，请先开始绑定")
	}
	r, err := s.attempt(ctx, a, source)
	if err != nil {
		return nil, err
	}
	u, ok, err := s.matchCode(ctx, a.UserID, f, code, false)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, s.failed(ctx, a, r)
	}
	var codes []string
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		now := s.clock.Now()
		if err := u.use(ctx, tx, a.UserID, now); err != nil {
			return err
		}
		if codes, err = s.confirm(ctx, tx, a, f.sealed, now, "account"); err != nil {
			return err
		}
		return s.release(ctx, tx, r)
	})
	return codes, err
}

// checkOwnCode checks a code (TOTP or recovery) of the actor's bound
// factor, counted toward the lockout, and runs then in the transaction that
// takes the code.
func (s *Service) checkOwnCode(ctx context.Context, a *org.Actor, code, source string, then func(*store.Tx) error) error {
	f, err := s.factorOf(ctx, s.db, a.UserID)
	if err != nil {
		return err
	}
	if !f.found || f.confirmed == nil {
		return apperr.New(apperr.Conflict, "尚未启用双因素认证")
	}
	r, err := s.attempt(ctx, a, source)
	if err != nil {
		return err
	}
	u, ok, err := s.matchCode(ctx, a.UserID, f, code, true)
	if err != nil {
		return err
	}
	if !ok {
		return s.failed(ctx, a, r)
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		if err := u.use(ctx, tx, a.UserID, s.clock.Now()); err != nil {
			return err
		}
		if err := then(tx); err != nil {
			return err
		}
		return s.release(ctx, tx, r)
	})
}

// RenewRecoveryCodes gives the actor ten new recovery codes (the old ones
// no longer work) once a current code confirms it.
func (s *Service) RenewRecoveryCodes(ctx context.Context, a *org.Actor, code, source string) ([]string, error) {
	var codes []string
	err := s.checkOwnCode(ctx, a, code, source, func(tx *store.Tx) error {
		var err error
		if codes, err = newRecoveryCodes(ctx, tx, a.UserID); err != nil {
			return err
		}
		err = audit.Append(ctx, tx, s.clock.Now(), a.Who(), audit.Entry{Action: "auth.factor.recovery_codes", ObjectKind: "user",
			ObjectID: fmt.Sprint(a.UserID), After: map[string]any{"recovery_codes": len(codes)}})
		return err
	})
	return codes, err
}

// DisableFactor removes the actor's own second factor, once a current code
// confirms it; an account the setting requires one of cannot.
func (s *Service) DisableFactor(ctx context.Context, a *org.Actor, code, source string) error {
	on, err := s.FactorRequired(ctx)
	if err != nil {
		return err
	}
	if on && needsFactor(a.Roles) {
		return apperr.New(apperr.Forbidden, "按本系统的安全设置，管理员和安委办账号须使用双因素认证，不能关闭")
	}
	return s.checkOwnCode(ctx, a, code, source, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", a.UserID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM user_factors WHERE user_id = ?", a.UserID); err != nil {
			return err
		}
		err := audit.Append(ctx, tx, s.clock.Now(), a.Who(), audit.Entry{Action: "auth.factor.disable", ObjectKind: "user",
			ObjectID: fmt.Sprint(a.UserID), Before: map[string]any{"method": "totp"}})
		return err
	})
}
