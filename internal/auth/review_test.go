package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/auth"
	"anwei/internal/calendar"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// The review of issue 17.3's second factor and tokens: each test here
// failed before its fix.

// TestCodeGuessesAreBounded: wrong codes from ever new addresses end the
// pending sign-in at the fifth (the right code then finds nothing), and are
// counted against the account whatever their address: a new sign-in from a
// fresh address cannot go on guessing.
func TestCodeGuessesAreBounded(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		secret, _ := f.enrol(f.zhang)
		in, err := f.auth.SignIn(ctx, "zhang", pw, office)
		if err != nil || in.Challenge == "" {
			t.Fatalf("sign-in: %+v %v", in, err)
		}
		right := auth.TOTPCode(secret, f.clock.Now())
		wrong := func(i int) string {
			c := fmt.Sprintf("%06d", i)
			if c == right || c == auth.TOTPCode(secret, f.clock.Now().Add(-30*time.Second)) || c == auth.TOTPCode(secret, f.clock.Now().Add(30*time.Second)) {
				c = fmt.Sprintf("%06d", i+500000)
			}
			return c
		}
		gone := 0
		for i := range 40 {
			_, err := f.auth.CompleteSignIn(ctx, in.Challenge, wrong(i), fmt.Sprintf("192.0.2.%d", i+1))
			switch {
			case apperr.Is(err, apperr.Unauthenticated):
				gone++
			case i >= 5:
				t.Fatalf("wrong code %d (a new address each) still taken: %v", i+1, err)
			}
		}
		if gone == 0 {
			t.Fatal("40 wrong codes from 40 addresses: the sign-in never ended")
		}
		if _, err := f.auth.CompleteSignIn(ctx, in.Challenge, right, "192.0.2.200"); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("the right code on the guessed-at sign-in: %v, want it gone", err)
		}
		// A new sign-in from a fresh address: the account's codes are locked.
		in2, err := f.auth.SignIn(ctx, "zhang", pw, "192.0.2.201")
		if err != nil || in2.Challenge == "" {
			t.Fatalf("second sign-in: %+v %v", in2, err)
		}
		if _, err := f.auth.CompleteSignIn(ctx, in2.Challenge, right, "192.0.2.202"); err == nil || !strings.Contains(apperr.As(err).Message, "锁定") {
			t.Fatalf("a code from a fresh address after the guesses: %v, want the account's codes locked", err)
		}
		// The lock passes.
		f.clock.Advance(16 * time.Minute)
		if in, err := f.signIn("zhang", auth.TOTPCode(secret, f.clock.Now())); err != nil || in.Session == "" {
			t.Fatalf("after the lock: %v", err)
		}
	})
}

// TestEnrolAsksThePassword: beginning a binding needs the current password
// (a stolen session cookie alone binds nothing), counted like a login.
func TestEnrolAsksThePassword(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		for _, bad := range []string{"", "not-the-password"} {
			if _, err := f.auth.BeginEnrol(ctx, f.zhang, bad, attacker); !apperr.Is(err, apperr.Invalid) || apperr.As(err).Field != "password" {
				t.Fatalf("begin with password %q: %v, want refused on the password", bad, err)
			}
		}
		if st, err := f.auth.FactorStatus(ctx, f.zhang); err != nil || st.Pending != nil {
			t.Fatalf("a binding begun without the password: %+v %v", st, err)
		}
		if e, err := f.auth.BeginEnrol(ctx, f.zhang, pw, office); err != nil || e.Secret == "" {
			t.Fatalf("with the password: %v", err)
		}
	})
}

// raceClock runs between, once, at the first reading of the time after it
// is armed.
type raceClock struct {
	base    calendar.Clock
	between func()
}

func (c *raceClock) Now() time.Time {
	if b := c.between; b != nil {
		c.between = nil
		b()
	}
	return c.base.Now()
}

// TestConfirmBindsTheCheckedSecret: a binding begun again while a code of
// the first is being confirmed (another tab, a thief's request) is not
// bound by the first one's code.
func TestConfirmBindsTheCheckedSecret(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		first, err := f.auth.BeginEnrol(ctx, f.zhang, pw, office)
		if err != nil {
			t.Fatal(err)
		}
		code := auth.TOTPCode(first.Secret, f.clock.Now())
		var second *auth.Enrolment
		c := &raceClock{base: f.clock}
		c.between = func() {
			if second, err = f.auth.BeginEnrol(ctx, f.zhang, pw, attacker); err != nil {
				t.Error(err)
			}
		}
		auth.SetClock(f.auth, c)
		_, cerr := f.auth.ConfirmEnrol(ctx, f.zhang, code, office)
		auth.SetClock(f.auth, f.clock)
		if second == nil {
			t.Fatal("the second binding did not run in between")
		}
		if cerr == nil {
			st, _ := f.auth.FactorStatus(ctx, f.zhang)
			t.Fatalf("the first binding's code bound the second secret (%v)", st.Enrolled)
		}
		if st, err := f.auth.FactorStatus(ctx, f.zhang); err != nil || st.Enrolled || st.Pending == nil || st.Pending.Secret != second.Secret {
			t.Fatalf("after the race: %+v %v", st, err)
		}
	})
}

// TestRecoveryCodeWithoutTheKey: a secret that cannot be decrypted (a
// factor key gone wrong) still lets a recovery code sign in.
func TestRecoveryCodeWithoutTheKey(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		_, codes := f.enrol(f.zhang)
		other := apptest.New(t, db, app.Wiring{Clock: f.clock, FactorKey: []byte("another factor key, 32 bytes....")}).Auth
		in, err := other.SignIn(ctx, "zhang", pw, office)
		if err != nil || in.Challenge == "" {
			t.Fatalf("sign-in: %+v %v", in, err)
		}
		done, err := other.CompleteSignIn(ctx, in.Challenge, codes[0], office)
		if err != nil || done.Session == "" {
			t.Fatalf("a recovery code under another key: %v", err)
		}
	})
}

// TestOldTokensGetATerm: the tokens made before tokens had areas (every
// area, no expiry) get the default term at the server's start, once, and
// are refused after it.
func TestOldTokensGetATerm(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		old := "anw_made-before-scopes"
		sum := sha256.Sum256([]byte(old))
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)",
				hex.EncodeToString(sum[:]), f.zhang.UserID, "旧令牌", f.clock.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if n, err := f.auth.TermOldTokens(ctx); err != nil || n != 1 {
			t.Fatalf("first start: %d %v", n, err)
		}
		f.clock.Advance(time.Hour)
		if n, err := f.auth.TermOldTokens(ctx); err != nil || n != 0 {
			t.Fatalf("next start: %d %v, want none (the term is not pushed back)", n, err)
		}
		ts, err := f.auth.ListTokens(ctx, f.zhang)
		if err != nil || len(ts) != 1 || ts[0].ExpiresAt == nil || ts[0].Area != auth.AllAreas {
			t.Fatalf("listed: %+v %v", ts, err)
		}
		if _, _, err := f.auth.AuthenticateToken(ctx, old, office); err != nil {
			t.Fatalf("within its term: %v", err)
		}
		f.clock.Advance(time.Duration(auth.DefaultTokenDays) * 24 * time.Hour)
		if _, _, err := f.auth.AuthenticateToken(ctx, old, office); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("after its term: %v", err)
		}
	})
}
