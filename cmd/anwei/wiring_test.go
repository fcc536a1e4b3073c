package main

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"anwei/internal/app"
	"anwei/internal/auth"
	"anwei/internal/calendar"
	"anwei/internal/codes"
	"anwei/internal/docs"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/rules"
)

// The subcommands by what they write. A new subcommand must be put in one
// of the lists; one that writes a deployment's database must be run by
// TestWritingCommandsComputeAsTheServer, which fails otherwise.
var (
	// writingCommands change a deployment's data: each is compared with
	// what the server does for the same request.
	writingCommands = []string{"migrate", "demo", "import", "user", "calendar"}
	// otherCommands do not: serve is the server itself (the reference),
	// bench writes only its own temporary databases, backup and
	// backup-files write copies, the rest only read.
	otherCommands = []string{"serve", "bench", "backup", "backup-files", "plan", "rules", "draw", "audit", "version", "help"}
)

// TestEverySubcommandIsClassed keeps the two lists above true.
func TestEverySubcommandIsClassed(t *testing.T) {
	for _, c := range commands {
		if slices.Contains(writingCommands, c.name) == slices.Contains(otherCommands, c.name) {
			t.Errorf("subcommand %q must be listed once, as writing or not", c.name)
		}
	}
}

// TestWritingCommandsComputeAsTheServer runs every writing subcommand on one
// demo deployment and what the server does for the same request on a twin
// (the services app.New builds for serve), and compares what each leaves:
// every enterprise's class, points and reason, every account. The command
// line once built its own registry service without the hazard mechanism's
// signal, and re-importing 泺口化工 with only its address changed turned its
// class A (7 points, open major hazard) into B (5).
func TestWritingCommandsComputeAsTheServer(t *testing.T) {
	ctx := context.Background()
	cliDir, srvDir := t.TempDir(), t.TempDir()
	ran := map[string]bool{}
	anwei := func(t *testing.T, args ...string) (int, string) {
		ran[args[0]] = true
		return anwei(t, args...)
	}
	defer func() {
		for _, c := range writingCommands {
			if !ran[c] {
				t.Errorf("the writing subcommand %q has no step here", c)
			}
		}
	}()

	// demo: `anwei demo` against serve --demo.
	if code, out := anwei(t, "demo", "--data", cliDir); code != 0 {
		t.Fatalf("demo: %s", out)
	}
	srv, err := app.New(ctx, app.Config{DataDir: srvDir, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	same(t, "demo", cliDir, srv)
	office, err := srv.Org.ActorByUsername(ctx, "office")
	if err != nil {
		t.Fatal(err)
	}
	lk := find(t, srv, "济南泺口精细化工有限公司")
	if lk.Class != "A" || lk.ClassScore != 7 || !strings.Contains(lk.ClassReason, "未销号重大隐患") {
		t.Fatalf("the demo's 泺口化工 should be A (7 points) with its open major hazard: %+v", lk)
	}

	// import: 泺口化工 as exported, only the address changed.
	sheet := filepath.Join(t.TempDir(), "泺口.csv")
	writeRow(t, sheet, lk, "济南市天桥区泺口街道化工路20号")
	if code, out := anwei(t, "import", "enterprises", "--data", cliDir, "--user", "office", sheet); code != 0 || !strings.HasSuffix(strings.TrimSpace(out), "imported 1, rejected 0") {
		t.Fatalf("import: %d %s", code, out)
	}
	rejects, err := os.Create(filepath.Join(t.TempDir(), "rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer rejects.Close()
	if _, err := srv.Ents.Import(ctx, office, docs.File{Name: sheet, Path: sheet}, rejects); err != nil {
		t.Fatal(err)
	}
	if after := find(t, srv, "济南泺口精细化工有限公司"); after.Class != "A" || after.ClassScore != 7 || after.Address != "济南市天桥区泺口街道化工路20号" {
		t.Fatalf("the server re-imported 泺口化工: %+v", after)
	}
	same(t, "import enterprises", cliDir, srv)

	// user add, passwd, unlock, token.
	unit := strconv.FormatInt(office.Unit.ID, 10)
	if code, out := anwei(t, "user", "add", "--data", cliDir, "--username", "clerk2", "--name", "王五", "--unit", unit, "--roles", "office", "--password", "Clerk2026x"); code != 0 {
		t.Fatalf("user add: %s", out)
	}
	if _, err := srv.Org.CreateUser(ctx, org.System, org.UserInput{Username: "clerk2", DisplayName: "王五", UnitID: office.Unit.ID,
		Roles: []org.Role{org.RoleOffice}, Password: "Clerk2026x"}); err != nil {
		t.Fatal(err)
	}
	same(t, "user add", cliDir, srv)
	uid, err := srv.Org.UserIDByName(ctx, "clerk2")
	if err != nil {
		t.Fatal(err)
	}
	// Locked out on both sides by wrong passwords, then reset and unlocked.
	cli := open(t, cliDir)
	for range 5 {
		_, _, _ = cli.Auth.Login(ctx, "clerk2", "wrong", "10.0.0.9")
		_, _, _ = srv.Auth.Login(ctx, "clerk2", "wrong", "10.0.0.9")
	}
	cli.Close()
	if !slices.ContainsFunc(snapshot(t, srv), func(l string) bool { return strings.HasPrefix(l, "clerk2 ") && strings.HasSuffix(l, " true true") }) {
		t.Fatal("five wrong passwords did not lock clerk2 out")
	}
	same(t, "locked out", cliDir, srv)
	if code, out := anwei(t, "user", "passwd", "--data", cliDir, "--username", "clerk2", "--password", "Clerk2027y"); code != 0 {
		t.Fatalf("user passwd: %s", out)
	}
	if err := srv.Org.SetPassword(ctx, org.System, uid, "Clerk2027y"); err != nil {
		t.Fatal(err)
	}
	if code, out := anwei(t, "user", "unlock", "--data", cliDir, "--username", "clerk2"); code != 0 {
		t.Fatalf("user unlock: %s", out)
	}
	if _, err := srv.Org.UnlockUser(ctx, org.System, uid); err != nil {
		t.Fatal(err)
	}
	same(t, "user passwd, unlock", cliDir, srv)
	cli = open(t, cliDir)
	for _, side := range []*app.App{cli, srv} {
		if _, _, err := side.Auth.Login(ctx, "clerk2", "Clerk2027y", "10.0.0.8"); err != nil {
			t.Errorf("after passwd and unlock the new password does not log in: %v", err)
		}
		if _, _, err := side.Auth.Login(ctx, "clerk2", "Clerk2026x", "10.0.0.8"); err == nil {
			t.Error("after passwd the old password still logs in")
		}
	}
	cli.Close()
	code, out := anwei(t, "user", "token", "--data", cliDir, "--username", "clerk2", "--name", "对接", "--area", "hazard")
	if code != 0 {
		t.Fatalf("user token: %s", out)
	}
	holder, err := srv.Org.ActorByID(ctx, uid)
	if err != nil {
		t.Fatal(err)
	}
	plain, _, err := srv.Auth.IssueToken(ctx, holder, auth.TokenInput{Name: "对接", Area: "hazard"})
	if err != nil {
		t.Fatal(err)
	}
	cli = open(t, cliDir)
	byCLI, _, err := cli.Auth.AuthenticateToken(ctx, strings.TrimSpace(out), "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	cli.Close()
	bySrv, _, err := srv.Auth.AuthenticateToken(ctx, plain, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(byCLI.Username, byCLI.Roles, byCLI.Perms, byCLI.Scope) != fmt.Sprint(bySrv.Username, bySrv.Roles, bySrv.Perms, bySrv.Scope) {
		t.Errorf("user token: the command's token acts as %+v, the server's as %+v", byCLI, bySrv)
	}

	// calendar import: the invented 2027 notice (a test fixture, not the
	// State Council's: internal/calendar/testdata/README.md).
	t.Cleanup(func() { calendar.Load() }) // the holiday table is the process's
	if code, out := anwei(t, "calendar", "import", "--data", cliDir, invented2027); code != 0 || !strings.Contains(out, "已载入 2027 年的节假日安排") {
		t.Fatalf("calendar import: %d %s", code, out)
	}
	notice, err := os.ReadFile(invented2027)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Org.ImportHolidays(ctx, org.System, notice); err != nil {
		t.Fatal(err)
	}
	same(t, "calendar import", cliDir, srv)

	// migrate leaves everything as it was.
	if code, out := anwei(t, "migrate", "--data", cliDir); code != 0 {
		t.Fatalf("migrate: %s", out)
	}
	same(t, "migrate", cliDir, srv)
}

// same compares what the deployment in dir holds with what srv holds.
func same(t *testing.T, step, dir string, srv *app.App) {
	t.Helper()
	cli := open(t, dir)
	defer cli.Close()
	got, want := snapshot(t, cli), snapshot(t, srv)
	if len(got) != len(want) {
		t.Fatalf("%s: the command leaves %d lines, the server %d", step, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: the command leaves\n  %s\nthe server\n  %s", step, got[i], want[i])
		}
	}
}

func open(t *testing.T, dir string) *app.App {
	t.Helper()
	a, err := app.Open(context.Background(), app.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// invented2027 is the calendar package's test fixture.
const invented2027 = "../../internal/calendar/testdata/holidays_2027_invented.csv"

// snapshot is every enterprise's class, every account and every stored
// holiday notice, one line each.
func snapshot(t *testing.T, a *app.App) []string {
	t.Helper()
	ctx := context.Background()
	var lines []string
	if err := a.Ents.Each(ctx, org.System, enterprise.Filter{}, func(e enterprise.Enterprise) error {
		lines = append(lines, fmt.Sprintf("%s %s %s %d %s %s", e.CreditCode, e.Name, e.Class, e.ClassScore, e.ClassReason, e.Address))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	us, _, err := a.Org.ListUsers(ctx, org.System, org.UserFilter{Page: paging.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		lines = append(lines, fmt.Sprintf("%s %s %v %s %v %v", u.Username, u.DisplayName, u.Roles, u.UnitName, u.Active, u.LockedUntil != nil))
	}
	notices, err := org.ReadSettings(ctx, a.DB, "holidays:")
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range notices {
		lines = append(lines, fmt.Sprintf("%s %x", k, sha256.Sum256([]byte(v))))
	}
	slices.Sort(lines)
	return lines
}

func find(t *testing.T, a *app.App, name string) enterprise.Enterprise {
	t.Helper()
	var found []enterprise.Enterprise
	if err := a.Ents.Each(context.Background(), org.System, enterprise.Filter{Q: name}, func(e enterprise.Enterprise) error {
		found = append(found, e)
		return nil
	}); err != nil || len(found) != 1 {
		t.Fatalf("%s: %v %d found", name, err, len(found))
	}
	return found[0]
}

// writeRow writes e as the registry exports it, at another address.
func writeRow(t *testing.T, file string, e enterprise.Enterprise, address string) {
	t.Helper()
	row := []string{e.Name, e.CreditCode, e.RegionCode, address, e.Grid, e.IndustryCode, e.CategoryNames(),
		codes.NameOf(enterprise.Scales, e.Scale), e.LegalRep, e.Principal, e.PrincipalPhone, e.SafetyManager, e.SafetyPhone,
		strconv.Itoa(e.Staff), strconv.Itoa(e.SafetyEngineers), codes.NameOf(enterprise.StdLevels, e.StdLevel), e.Insurer, e.PolicyNo,
		e.PolicyExpires, codes.NameOf(enterprise.Statuses, e.Status)}
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.WriteAll([][]string{enterprise.SheetHeader, row}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestImportWhileServing: `anwei import enterprises` works on the data
// directory a running server holds open (SQLite WAL, no exclusive lock),
// prints "imported N, rejected M" last, and the server sees the rows.
func TestImportWhileServing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	srv, err := app.New(ctx, app.Config{DataDir: dir, Demo: true, DemoEnterprises: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	street := find(t, srv, "济南泺口精细化工有限公司").RegionCode
	c, _ := rules.CreditCheckChar("91370105MA3CKT002")
	file := filepath.Join(t.TempDir(), "企业.csv")
	body := "企业名称,统一社会信用代码,所在街道,监管类别\n济南服务中导入有限公司,91370105MA3CKT002" + string(c) + "," + street + ",工贸\n"
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := anwei(t, "import", "enterprises", "--data", dir, file)
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != 0 || lines[len(lines)-1] != "imported 1, rejected 0" {
		t.Fatalf("import beside a running server: %d %s", code, out)
	}
	if e := find(t, srv, "济南服务中导入有限公司"); e.Class == "" {
		t.Errorf("the server sees the import unclassed: %+v", e)
	}
}
