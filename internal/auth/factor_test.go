package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/auth"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// TestTOTPIsRFC6238: the codes are RFC 6238's (appendix B, SHA-1), cut to
// the six digits authenticator apps show.
func TestTOTPIsRFC6238(t *testing.T) {
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))
	for unix, eight := range map[int64]string{59: "94287082", 1111111109: "07081804", 1111111111: "14050471",
		1234567890: "89005924", 2000000000: "69279037", 20000000000: "65353130"} {
		if got := auth.TOTPCode(secret, time.Unix(unix, 0)); got != eight[2:] {
			t.Errorf("T=%d: %s, want %s", unix, got, eight[2:])
		}
	}
}

// enrol binds an authenticator to a (as its owner does at /account) and
// returns its secret and recovery codes.
func (f *fixture) enrol(a *org.Actor) (string, []string) {
	f.t.Helper()
	ctx := context.Background()
	e, err := f.auth.BeginEnrol(ctx, a, pw, office)
	if err != nil {
		f.t.Fatal(err)
	}
	if !strings.HasPrefix(e.URI, "otpauth://totp/") || !strings.Contains(e.URI, "secret="+e.Secret) {
		f.t.Fatalf("otpauth URI %q", e.URI)
	}
	if _, err := f.auth.ConfirmEnrol(ctx, a, "000000", office); !apperr.Is(err, apperr.Invalid) && auth.TOTPCode(e.Secret, f.clock.Now()) != "000000" {
		f.t.Fatalf("a wrong code bound the authenticator: %v", err)
	}
	codes, err := f.auth.ConfirmEnrol(ctx, a, auth.TOTPCode(e.Secret, f.clock.Now()), office)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(codes) != auth.RecoveryCodeCount {
		f.t.Fatalf("%d recovery codes", len(codes))
	}
	f.clock.Advance(30 * time.Second) // the code just used is spent
	return e.Secret, codes
}

// signIn signs in with the password and then the code.
func (f *fixture) signIn(user, code string) (auth.SignedIn, error) {
	f.t.Helper()
	ctx := context.Background()
	in, err := f.auth.SignIn(ctx, user, pw, office)
	if err != nil {
		f.t.Fatal(err)
	}
	if in.Session != "" || in.Next != "code" || in.Challenge == "" {
		f.t.Fatalf("sign-in of an account with a factor: %+v", in)
	}
	return f.auth.CompleteSignIn(ctx, in.Challenge, code, office)
}

// TestTwoFactorSignIn: an account with an authenticator signs in with its
// code; the code cannot be taken twice; a recovery code works once; wrong
// codes count toward the lockout; the secret is not in the database in
// clear; an administrator's password reset removes the factor.
func TestTwoFactorSignIn(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		secret, codes := f.enrol(f.zhang)

		// The secret is sealed: neither it nor its bytes are in the row.
		var sealed string
		if err := db.QueryRow(ctx, "SELECT secret_enc FROM user_factors WHERE user_id = ?", f.zhang.UserID).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		raw, _ := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
		if strings.Contains(sealed, secret) || strings.Contains(sealed, hex.EncodeToString(raw)) || strings.Contains(sealed, string(raw)) {
			t.Fatalf("the TOTP secret is in the database in clear: %q", sealed)
		}
		rows, err := db.Query(ctx, "SELECT code_hash FROM recovery_codes WHERE user_id = ?", f.zhang.UserID)
		hashes, err := store.Collect(rows, err, store.Value[string])
		if err != nil || len(hashes) != auth.RecoveryCodeCount {
			t.Fatalf("recovery codes stored: %d %v", len(hashes), err)
		}
		for _, h := range hashes {
			for _, c := range codes {
				if strings.Contains(h, c) || strings.Contains(h, strings.ReplaceAll(c, "-", "")) {
					t.Fatalf("a recovery code is stored in clear")
				}
			}
		}

		// Login, which cannot ask for a code, refuses the account.
		if _, err := f.login("zhang", pw, office); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("password alone: %v, want refused", err)
		}
		// The code signs in.
		code := auth.TOTPCode(secret, f.clock.Now())
		in, err := f.signIn("zhang", code)
		if err != nil || in.Session == "" || in.Actor.UserID != f.zhang.UserID {
			t.Fatalf("sign-in with the code: %+v %v", in, err)
		}
		if _, err := f.auth.Authenticate(ctx, in.Session); err != nil {
			t.Fatalf("the session: %v", err)
		}
		// Replayed within its 30 seconds (a shoulder-surfer, a proxy's log): refused.
		in1, err := f.auth.SignIn(ctx, "zhang", pw, office)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.auth.CompleteSignIn(ctx, in1.Challenge, code, office); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("the same code again: %v, want refused", err)
		}
		// The step before is older than the one used: refused too.
		if _, err := f.auth.CompleteSignIn(ctx, in1.Challenge, auth.TOTPCode(secret, f.clock.Now().Add(-30*time.Second)), office); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("an older code: %v, want refused", err)
		}
		// A phone a step ahead: its code is taken.
		if in, err := f.auth.CompleteSignIn(ctx, in1.Challenge, auth.TOTPCode(secret, f.clock.Now().Add(30*time.Second)), office); err != nil || in.Session == "" {
			t.Fatalf("the next step's code: %v", err)
		}
		f.clock.Advance(2 * time.Minute)

		// A recovery code, typed in upper case with a space, works once.
		typed := strings.ToUpper(strings.Replace(codes[3], "-", " ", 1))
		if in, err := f.signIn("zhang", typed); err != nil || in.Session == "" {
			t.Fatalf("a recovery code: %v", err)
		}
		if _, err := f.signIn("zhang", codes[3]); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("the recovery code again: %v, want refused", err)
		}
		st, err := f.auth.FactorStatus(ctx, f.zhang)
		if err != nil || !st.Enrolled || st.RecoveryLeft != auth.RecoveryCodeCount-1 {
			t.Fatalf("status after one recovery code: %+v %v", st, err)
		}

		f.clock.Advance(16 * time.Minute) // the failures above are forgotten

		// Wrong codes count toward the lockout: the password's attempt stays
		// counted until the code is right, and with four wrong codes the
		// account is locked from that address, the right code too.
		in0, err := f.auth.SignIn(ctx, "zhang", pw, office)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 4 {
			if _, err := f.auth.CompleteSignIn(ctx, in0.Challenge, "12345"+string(rune('0'+i)), office); !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		_, err = f.auth.CompleteSignIn(ctx, in0.Challenge, auth.TOTPCode(secret, f.clock.Now()), office)
		if e := apperr.As(err); err == nil || !strings.Contains(e.Message, "锁定") {
			t.Fatalf("the right code after the lock: %v, want the lock", err)
		}
		evs, _, err := audit.List(ctx, db, org.System.Scope, audit.Filter{Action: "auth.login_failed", ObjectID: fmt.Sprint(f.zhang.UserID), Page: paging.Page{Limit: 50}})
		if err != nil || len(evs) < 4 {
			t.Fatalf("wrong codes audited: %d %v", len(evs), err)
		}

		// The administrator's password reset unlocks, and removes the factor.
		if err := f.org.SetPassword(ctx, org.System, f.zhang.UserID, pw); err != nil {
			t.Fatal(err)
		}
		if st, err := f.auth.FactorStatus(ctx, f.zhang); err != nil || st.Enrolled {
			t.Fatalf("after the reset: %+v %v", st, err)
		}
		if _, err := f.auth.CompleteSignIn(ctx, in0.Challenge, auth.TOTPCode(secret, f.clock.Now()), office); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("a sign-in pending at the reset: %v, want gone", err)
		}
		f.mustLogin("zhang", office)
	})
}

// TestSettingForcesEnrolment: off, admin and office accounts sign in with
// the password; on, one without a factor binds one at its next sign-in and
// cannot turn it off, while other accounts are not asked.
func TestSettingForcesEnrolment(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if on, err := f.auth.FactorRequired(ctx); err != nil || on {
			t.Fatalf("the setting is on by default: %v %v", on, err)
		}
		f.mustLogin("boss", office)
		if err := f.auth.SetFactorRequired(ctx, f.zhang, true); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a non-administrator set it: %v", err)
		}
		if err := f.auth.SetFactorRequired(ctx, f.boss, true); err != nil {
			t.Fatal(err)
		}
		f.mustLogin("zhang", office) // 属地: not asked
		in, err := f.auth.SignIn(ctx, "boss", pw, office)
		if err != nil || in.Session != "" || in.Next != "enrol" {
			t.Fatalf("the administrator's sign-in: %+v %v", in, err)
		}
		p, err := f.auth.PendingSignIn(ctx, in.Challenge)
		if err != nil || p.Enrolment == nil || p.Username != "boss" {
			t.Fatalf("the pending sign-in: %+v %v", p, err)
		}
		if _, err := f.auth.CompleteSignIn(ctx, in.Challenge, "000000", office); !apperr.Is(err, apperr.Invalid) &&
			auth.TOTPCode(p.Enrolment.Secret, f.clock.Now()) != "000000" {
			t.Fatalf("a wrong first code: %v", err)
		}
		done, err := f.auth.CompleteSignIn(ctx, in.Challenge, auth.TOTPCode(p.Enrolment.Secret, f.clock.Now()), office)
		if err != nil || done.Session == "" || len(done.RecoveryCodes) != auth.RecoveryCodeCount {
			t.Fatalf("binding at sign-in: %+v %v", done, err)
		}
		st, err := f.auth.FactorStatus(ctx, f.boss)
		if err != nil || !st.Enrolled || !st.Required {
			t.Fatalf("status: %+v %v", st, err)
		}
		f.clock.Advance(time.Minute)
		if err := f.auth.DisableFactor(ctx, f.boss, auth.TOTPCode(p.Enrolment.Secret, f.clock.Now()), office); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("turning the required factor off: %v", err)
		}
		// Off again: it may be turned off, with a code.
		if err := f.auth.SetFactorRequired(ctx, f.boss, false); err != nil {
			t.Fatal(err)
		}
		if err := f.auth.DisableFactor(ctx, f.boss, auth.TOTPCode(p.Enrolment.Secret, f.clock.Now()), office); err != nil {
			t.Fatal(err)
		}
		f.mustLogin("boss", office)
		for _, action := range []string{"auth.factor.setting", "auth.factor.enrol", "auth.factor.disable", "auth.login_factor_due"} {
			if evs, _, err := audit.List(ctx, db, org.System.Scope, audit.Filter{Action: action, Page: paging.Page{Limit: 5}}); err != nil || len(evs) == 0 {
				t.Errorf("%s not audited (%v)", action, err)
			}
		}
	})
}

// TestTokenScopes: a token has an area, is read-only unless made to write,
// expires (90 days unless chosen, at most a year), keeps its last use, and a
// token made before scopes keeps working as it did (every area, writing, no
// expiry).
func TestTokenScopes(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		for _, bad := range []auth.TokenInput{{Name: "x", Area: "everything"}, {Name: "x", Area: "hazard", Days: auth.MaxTokenDays + 1}, {Name: "x"}} {
			bad.Password = pw
			if _, _, err := f.auth.CreateToken(ctx, f.zhang, bad); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("%+v: %v, want refused", bad, err)
			}
		}
		plain, tok, err := f.auth.CreateToken(ctx, f.zhang, auth.TokenInput{Name: "隐患只读", Area: "hazard", Password: pw, Source: office})
		if err != nil {
			t.Fatal(err)
		}
		if tok.Write || tok.ExpiresAt == nil || !tok.ExpiresAt.Equal(f.clock.Now().AddDate(0, 0, auth.DefaultTokenDays)) {
			t.Fatalf("new token: %+v", tok)
		}
		a, g, err := f.auth.AuthenticateToken(ctx, plain, "192.0.2.9")
		if err != nil || a.UserID != f.zhang.UserID || g.Area != "hazard" || g.Write {
			t.Fatalf("authenticate: %v %+v %v", a, g, err)
		}
		if g.Allows("hazard", false) != nil || !apperr.Is(g.Allows("hazard", true), apperr.Forbidden) ||
			!apperr.Is(g.Allows("enterprise", false), apperr.Forbidden) || !apperr.Is(g.Allows("account", false), apperr.Forbidden) || g.Allows("", false) != nil {
			t.Fatal("a read-only hazard token's grant is wrong")
		}
		if e := apperr.As(g.Allows("hazard", true)); !strings.Contains(e.Message, "只读") {
			t.Errorf("read-only refusal says %q", e.Message)
		}
		ts, err := f.auth.ListTokens(ctx, f.zhang)
		if err != nil || len(ts) != 1 || ts[0].LastUsedAt == nil || !ts[0].LastUsedAt.Equal(f.clock.Now()) || ts[0].LastUsedFrom != "192.0.2.9" ||
			ts[0].State != "active" || ts[0].AreaName != "隐患" {
			t.Fatalf("listed: %+v %v", ts, err)
		}

		// A token made before scopes: every area, writing, never expiring.
		old := "anw_made-before-scopes"
		sum := sha256.Sum256([]byte(old))
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)",
				hex.EncodeToString(sum[:]), f.zhang.UserID, "旧令牌", f.clock.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Duration(auth.DefaultTokenDays)*24*time.Hour + time.Second)
		if _, _, err := f.auth.AuthenticateToken(ctx, plain, office); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("an expired token: %v", err)
		}
		_, g, err = f.auth.AuthenticateToken(ctx, old, office)
		if err != nil || g.Area != auth.AllAreas || !g.Write || g.Allows("enterprise", true) != nil || g.Allows("account", false) == nil {
			t.Fatalf("the old token: %+v %v", g, err)
		}
		ts, _ = f.auth.ListTokens(ctx, f.zhang)
		if ts[0].ExpiresAt != nil || ts[0].State != "active" || ts[1].State != "expired" {
			t.Fatalf("listed after the term: %+v", ts)
		}
		// Revoked: refused.
		if err := f.auth.RevokeToken(ctx, f.zhang, ts[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.auth.AuthenticateToken(ctx, old, office); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("a revoked token: %v", err)
		}
	})
}
