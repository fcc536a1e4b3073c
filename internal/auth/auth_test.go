package auth_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/auth"
	"anwei/internal/auth/passwd"
	"anwei/internal/calendar"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// TestMain makes new hashes cheap (the tests count argon2id checks, they do
// not need them slow) and runs the tests through storetest.Main (databases
// copied from one migrated once).
func TestMain(m *testing.M) {
	passwd.Default = passwd.Params{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32}
	os.Exit(storetest.Main(m))
}

const (
	pw       = "Anquan2026"
	attacker = "203.0.113.66"
	office   = "198.51.100.7"
)

// fixture is a root region with an administrator (boss) and a user
// (zhang), and an auth service whose password checks are counted.
type fixture struct {
	t      *testing.T
	db     *store.DB
	clock  *calendar.Fixed
	org    *org.Service
	auth   *auth.Service
	boss   *org.Actor
	zhang  *org.Actor
	checks atomic.Int64 // password checks of any hash
	real   atomic.Int64 // checks against zhang's stored hash
	gate   func()       // when set, every check calls it first
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, db: db, clock: calendar.NewFixed(time.Date(2026, 5, 6, 2, 0, 0, 0, time.UTC))}
	s := apptest.New(t, db, app.Wiring{Clock: f.clock})
	f.org = s.Org
	gov, err := f.org.Bootstrap(ctx, "370105")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []org.UserInput{
		{Username: "boss", DisplayName: "管理员", UnitID: gov.ID, Roles: []org.Role{org.RoleAdmin}, Password: pw},
		{Username: "zhang", DisplayName: "张三", UnitID: gov.ID, Roles: []org.Role{org.RoleTerritorial}, Password: pw},
	} {
		if _, err := f.org.CreateUser(ctx, org.System, u); err != nil {
			t.Fatal(err)
		}
	}
	f.boss, f.zhang = f.actor("boss"), f.actor("zhang")
	c, err := f.org.CredentialsFor(ctx, "zhang")
	if err != nil {
		t.Fatal(err)
	}
	f.auth = s.Auth
	auth.SetCheck(f.auth, func(p, encoded string) (bool, error) {
		if f.gate != nil {
			f.gate()
		}
		f.checks.Add(1)
		if encoded == c.PasswordHash {
			f.real.Add(1)
		}
		return passwd.Check(p, encoded)
	})
	return f
}

func (f *fixture) actor(name string) *org.Actor {
	f.t.Helper()
	a, err := f.org.ActorByUsername(context.Background(), name)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// login logs in and reports the error.
func (f *fixture) login(user, password, source string) (string, error) {
	session, _, err := f.auth.Login(context.Background(), user, password, source)
	return session, err
}

// mustLogin fails the test unless the login succeeds.
func (f *fixture) mustLogin(user, source string) string {
	f.t.Helper()
	session, err := f.login(user, pw, source)
	if err != nil {
		f.t.Fatalf("%s from %s: %v", user, source, err)
	}
	return session
}

// refused fails the test unless err is the one answer every failed login
// gets.
func refused(t *testing.T, what string, err error) {
	t.Helper()
	e := apperr.As(err)
	if err == nil || e.Code != apperr.Unauthenticated || e.Message != "用户名或密码错误" {
		t.Fatalf("%s: %v, want unauthenticated 用户名或密码错误", what, err)
	}
}

// TestParallelWrongLoginsCannotOutrunTheLock: 40 wrong passwords sent at
// once (all reaching the password check together) check zhang's real hash
// at most five times; the lock then refuses the right password from that
// source until it ends.
func TestParallelWrongLoginsCannotOutrunTheLock(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		const n = 40
		var arrived sync.WaitGroup
		arrived.Add(n)
		f.gate = func() { arrived.Done(); arrived.Wait() }
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.login("zhang", fmt.Sprintf("wrong%04d", i), attacker)
			}()
		}
		wg.Wait()
		f.gate = nil
		for i, err := range errs {
			refused(t, fmt.Sprintf("wrong password %d", i), err)
		}
		if got, limit := f.real.Load(), int64(auth.DefaultPolicy.LockAfter); got > limit {
			t.Errorf("%d of %d parallel wrong passwords were checked against the real hash, want at most %d", got, n, limit)
		}
		_, err := f.login("zhang", pw, attacker)
		refused(t, "the right password while locked", err)
		f.clock.Advance(auth.DefaultPolicy.LockFor + time.Second)
		f.mustLogin("zhang", attacker)
	})
}

// TestLockIsPerAccountAndSource: an attacker who locks the administrator
// from its own address does not lock the administrator out elsewhere; an
// IPv6 source is its /64.
func TestLockIsPerAccountAndSource(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for i := range auth.DefaultPolicy.LockAfter {
			_, err := f.login("boss", fmt.Sprintf("guess%d", i), attacker)
			refused(t, "guess", err)
		}
		_, err := f.login("boss", pw, attacker)
		refused(t, "boss from the attacker's address", err)
		f.mustLogin("boss", office)
		// An IPv6 client holds a whole /64: it counts as one source.
		for i := range auth.DefaultPolicy.LockAfter {
			_, err := f.login("zhang", "wrong1234", fmt.Sprintf("2001:db8:1:2::%x", i+1))
			refused(t, "guess over IPv6", err)
		}
		_, err = f.login("zhang", pw, "2001:db8:1:2:ffff::1")
		refused(t, "zhang from the attacker's /64", err)
		f.mustLogin("zhang", "2001:db8:1:3::1")
		// The user list shows the lock.
		us, err := f.org.GetUser(context.Background(), f.boss, f.boss.UserID)
		if err != nil || us.LockedUntil == nil {
			t.Fatalf("boss shows no lock: %+v %v", us, err)
		}
	})
}

// TestSourceLimitCountsFailuresOnly: 30 failed logins from one address
// (spread over many names, so no single account locks) refuse every login
// from it for 15 minutes; successful logins from it never count.
func TestSourceLimitCountsFailuresOnly(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := auth.DefaultPolicy
		for range p.SourceLimit + 5 {
			f.mustLogin("zhang", attacker)
		}
		for i := range p.SourceLimit - 1 {
			_, err := f.login(fmt.Sprintf("user%02d", i), "wrong1234", attacker)
			refused(t, "spray", err)
		}
		f.mustLogin("zhang", attacker) // 29 failures: still allowed
		_, err := f.login("nobody", "wrong1234", attacker)
		refused(t, "the 30th failure", err)
		_, err = f.login("zhang", pw, attacker)
		refused(t, "zhang from an address over the limit", err)
		f.mustLogin("zhang", office)
		f.clock.Advance(p.SourceWindow + time.Second)
		f.mustLogin("zhang", attacker)
	})
}

// TestAdminUnlocks: the administrator lifts a lock (audited); a user who
// may not manage users cannot.
func TestAdminUnlocks(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		for range auth.DefaultPolicy.LockAfter {
			_, _ = f.login("zhang", "wrong1234", office)
		}
		_, err := f.login("zhang", pw, office)
		refused(t, "locked", err)
		if _, err := f.org.UnlockUser(ctx, f.zhang, f.boss.UserID); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("zhang unlocks: %v, want forbidden", err)
		}
		if ok, err := f.org.UnlockUser(ctx, f.boss, f.zhang.UserID); err != nil || !ok {
			t.Fatalf("boss unlocks zhang: %v %v", ok, err)
		}
		f.mustLogin("zhang", office)
		evs, _, err := audit.List(ctx, db, org.System.Scope, audit.Filter{Action: "user.unlock", ObjectID: fmt.Sprint(f.zhang.UserID)})
		if err != nil || len(evs) != 1 || evs[0].Actor != "boss" {
			t.Fatalf("unlock events %+v %v, want one by boss", evs, err)
		}
		if ok, err := f.org.UnlockUser(ctx, f.boss, f.zhang.UserID); err != nil || ok {
			t.Fatalf("unlocking an unlocked user: %v %v", ok, err)
		}
	})
}

// TestFailedLoginsLookAlike: an unknown name, a wrong password, a locked
// account and a disabled one get the same answer after the same password
// work: one argon2id check each.
func TestFailedLoginsLookAlike(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		for range auth.DefaultPolicy.LockAfter {
			_, _ = f.login("boss", "wrong1234", office)
		}
		if err := f.org.SetUserActive(ctx, f.boss, f.zhang.UserID, false); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ what, user, password string }{
			{"unknown user", "nosuchuser", pw},
			{"wrong password (first)", "boss", "wrong1234"},
			{"locked, right password", "boss", pw},
			{"locked, wrong password", "boss", "wrong5678"},
			{"disabled, wrong password", "zhang", "wrong1234"},
			{"unknown user again", "nosuchuser", "wrong1234"},
		} {
			source := office
			if c.what == "wrong password (first)" {
				source = "192.0.2.1"
			}
			before := f.checks.Load()
			_, err := f.login(c.user, c.password, source)
			refused(t, c.what, err)
			if n := f.checks.Load() - before; n != 1 {
				t.Errorf("%s: %d password checks, want 1", c.what, n)
			}
		}
	})
}

// TestResetAndDisableEndSessionsAndTokens: a password reset, and disabling
// (then re-enabling) a user, end the user's sessions and API tokens.
func TestResetAndDisableEndSessionsAndTokens(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		newPW := "Xinmima2026"
		for _, c := range []struct {
			what   string
			do     func() error
			after  string // zhang's password afterwards
			action string
		}{
			{"password reset", func() error { return f.org.SetPassword(ctx, f.boss, f.zhang.UserID, newPW) }, newPW, "user.set_password"},
			{"disable and enable", func() error {
				if err := f.org.SetUserActive(ctx, f.boss, f.zhang.UserID, false); err != nil {
					return err
				}
				return f.org.SetUserActive(ctx, f.boss, f.zhang.UserID, true)
			}, newPW, "user.disable"},
		} {
			current := pw
			if c.action != "user.set_password" {
				current = newPW
			}
			session, _, err := f.auth.Login(ctx, "zhang", current, office)
			if err != nil {
				t.Fatalf("%s: login: %v", c.what, err)
			}
			token, _, err := f.auth.CreateToken(ctx, f.zhang, auth.TokenInput{Name: "对接", Area: "hazard", Password: current, Source: office})
			if err != nil {
				t.Fatalf("%s: token: %v", c.what, err)
			}
			if _, err := f.auth.Authenticate(ctx, session); err != nil {
				t.Fatalf("%s: session before: %v", c.what, err)
			}
			if err := c.do(); err != nil {
				t.Fatalf("%s: %v", c.what, err)
			}
			if _, err := f.auth.Authenticate(ctx, session); !apperr.Is(err, apperr.Unauthenticated) {
				t.Errorf("%s: the old session still works (%v)", c.what, err)
			}
			if _, _, err := f.auth.AuthenticateToken(ctx, token, office); !apperr.Is(err, apperr.Unauthenticated) {
				t.Errorf("%s: the old token still works (%v)", c.what, err)
			}
			evs, _, err := audit.List(ctx, db, org.System.Scope, audit.Filter{Action: c.action, ObjectID: fmt.Sprint(f.zhang.UserID), Page: paging.Page{Limit: 1}})
			if err != nil || len(evs) != 1 {
				t.Fatalf("%s: %d %s events (%v)", c.what, len(evs), c.action, err)
			}
			var after struct{ SessionsEnded, TokensRevoked int }
			if err := json.Unmarshal([]byte(strings.ReplaceAll(evs[0].After, "_", "")), &after); err != nil || after.SessionsEnded < 1 || after.TokensRevoked != 1 {
				t.Errorf("%s: audit after = %s, want the ended sessions and token", c.what, evs[0].After)
			}
			if _, _, err := f.auth.Login(ctx, "zhang", c.after, office); err != nil {
				t.Fatalf("%s: login afterwards: %v", c.what, err)
			}
		}
	})
}

// TestCreateTokenNeedsThePassword: a token is made only with the user's
// current password, checked like a login; a missing or wrong one is
// refused naming the field.
func TestCreateTokenNeedsThePassword(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		for _, c := range []struct{ what, password string }{{"no password", ""}, {"wrong password", "wrong1234"}} {
			before := f.checks.Load()
			_, _, err := f.auth.CreateToken(ctx, f.zhang, auth.TokenInput{Name: "对接", Area: "hazard", Password: c.password, Source: office})
			if e := apperr.As(err); err == nil || e.Code != apperr.Invalid || e.Field != "password" || e.Message == "" {
				t.Errorf("%s: %v, want invalid password", c.what, err)
			}
			if c.password != "" && f.checks.Load()-before != 1 {
				t.Errorf("%s: %d password checks, want 1", c.what, f.checks.Load()-before)
			}
		}
		if ts, err := f.auth.ListTokens(ctx, f.zhang); err != nil || len(ts) != 0 {
			t.Fatalf("tokens after refusals: %v %v", ts, err)
		}
		plain, _, err := f.auth.CreateToken(ctx, f.zhang, auth.TokenInput{Name: "对接", Area: "hazard", Password: pw, Source: office})
		if err != nil {
			t.Fatal(err)
		}
		if a, _, err := f.auth.AuthenticateToken(ctx, plain, office); err != nil || a.UserID != f.zhang.UserID {
			t.Fatalf("the new token: %v %v", a, err)
		}
	})
}

// A server remembers a session it read for Policy.Remember: a change it
// made itself reaches its next request at once; a change another server
// made (a second handle on one PostgreSQL database) reaches it within
// Policy.Remember, and not before (so it did remember).
func TestRememberedSessions(t *testing.T) {
	ctx := context.Background()
	t.Run("one server", func(t *testing.T) {
		f := newFixture(t, storetest.SQLite(t))
		session := f.mustLogin("zhang", office)
		for range 2 {
			if _, err := f.auth.Authenticate(ctx, session); err != nil {
				t.Fatal(err)
			}
		}
		u, err := f.org.UpdateUser(ctx, f.boss, f.zhang.UserID, org.UserInput{Username: "zhang", DisplayName: "张三丰",
			UnitID: f.zhang.Unit.ID, Roles: []org.Role{org.RoleTerritorial}})
		if err != nil {
			t.Fatal(err)
		}
		if a, err := f.auth.Authenticate(ctx, session); err != nil || a.Name != u.DisplayName {
			t.Errorf("after a rename on this server: %v, %v; want %s at once", a, err, u.DisplayName)
		}
		if err := f.auth.Logout(ctx, f.zhang, session); err != nil {
			t.Fatal(err)
		}
		if _, err := f.auth.Authenticate(ctx, session); !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("after logout on this server: %v, want unauthenticated at once", err)
		}
	})
	t.Run("two servers", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		f := newFixture(t, storetest.PostgresAt(t, dsn))
		other := apptest.New(t, storetest.PostgresAt(t, dsn), app.Wiring{Clock: f.clock}).Auth
		session := f.mustLogin("zhang", office)
		if _, err := other.Authenticate(ctx, session); err != nil {
			t.Fatal(err)
		}
		if err := f.org.SetUserActive(ctx, f.boss, f.zhang.UserID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := f.auth.Authenticate(ctx, session); !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("disabled on this server: %v, want unauthenticated at once", err)
		}
		if _, err := other.Authenticate(ctx, session); err != nil {
			t.Errorf("the other server within Remember: %v, want the session it remembers", err)
		}
		f.clock.Advance(auth.DefaultPolicy.Remember)
		if _, err := other.Authenticate(ctx, session); !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("the other server after Remember: %v, want unauthenticated", err)
		}
	})
}
