package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/rules"

	_ "modernc.org/sqlite"
)

// demoDir returns a data directory holding a copy of the deployment
// `anwei demo` sets up (apptest.Seeded, loaded once for the package), for
// the tests of other commands; with 20 generated enterprises instead of
// 2,000, which none of them depends on. TestAuditVerifyCatchesHandEditedRow
// runs `anwei demo` itself.
func demoDir(t *testing.T) string {
	t.Helper()
	return apptest.Seeded(t, apptest.SQLite, app.Config{Demo: true, DemoEnterprises: 20}).DataDir
}

func anwei(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String() + errOut.String()
}

func TestHelpListsEverySubcommand(t *testing.T) {
	code, out := anwei(t, "help")
	if code != 0 {
		t.Fatalf("help: %d", code)
	}
	for _, c := range []string{"serve", "migrate", "demo", "user", "backup", "audit", "bench", "version"} {
		if !strings.Contains(out, "  "+c) {
			t.Errorf("help lacks %s", c)
		}
	}
	if code, _ := anwei(t, "nonsense"); code != 2 {
		t.Errorf("unknown subcommand exit %d, want 2", code)
	}
}

// TestAuditVerifyCatchesHandEditedRow: `anwei audit verify` passes on an
// intact chain and fails, naming the event, after a row is edited by hand.
func TestAuditVerifyCatchesHandEditedRow(t *testing.T) {
	dir := t.TempDir()
	if code, out := anwei(t, "demo", "--data", dir); code != 0 || !strings.Contains(out, "office") {
		t.Fatalf("demo: %d %s", code, out)
	}
	code, out := anwei(t, "audit", "verify", "--data", dir)
	if code != 0 || !strings.Contains(out, "审计链完好") {
		t.Fatalf("verify intact: %d %s", code, out)
	}
	code, head := anwei(t, "audit", "head", "--data", dir)
	if code != 0 || len(strings.Fields(head)) != 2 {
		t.Fatalf("head: %d %q", code, head)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "anwei.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE audit_events SET actor = 'mallory' WHERE seq = 7"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out = anwei(t, "audit", "verify", "--data", dir)
	if code != 1 || !strings.Contains(out, "#7") {
		t.Fatalf("verify after edit: exit %d %s", code, out)
	}
}

// TestBackupRestores: a backup opened as the database holds the data. The
// audit key is not in it: restored without the key file, the chain's keyed
// part cannot be checked (nor written); with the key file carried over,
// it verifies.
func TestBackupRestores(t *testing.T) {
	dir := demoDir(t)
	backups := t.TempDir()
	file := filepath.Join(backups, "backup.db")
	if code, out := anwei(t, "backup", "--data", dir, file); code != 0 || !strings.Contains(out, "审计密钥文件不在其中") {
		t.Fatalf("backup: %s", out)
	}
	if code, out := anwei(t, "backup", "--data", dir, file); code == 0 || !strings.Contains(out, "已存在") {
		t.Fatalf("backup over an existing file: %d %s", code, out)
	}
	key, err := os.ReadFile(filepath.Join(dir, "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(backups); len(entries) != 1 {
		t.Fatalf("backup wrote %v", entries)
	}
	if b, err := os.ReadFile(file); err != nil || len(key) == 0 || bytes.Contains(b, key) {
		t.Fatalf("the backup holds the audit key (or could not be read: %v)", err)
	}
	// Restore = put the file in place as <data>/anwei.db, and the key file
	// next to it.
	restored := t.TempDir()
	code, out := anwei(t, "backup", "--db", file, filepath.Join(restored, "anwei.db"))
	if code != 0 {
		t.Fatalf("copy back: %s", out)
	}
	if code, out := anwei(t, "audit", "verify", "--data", restored); code != 1 || !strings.Contains(out, "未提供审计密钥，无法核验带密钥部分") {
		t.Fatalf("restored chain without the key: %d %s", code, out)
	}
	if code, out := anwei(t, "user", "list", "--data", restored); code != 1 || !strings.Contains(out, "不会另生成新密钥") {
		t.Fatalf("restored database opened for writing without the key: %d %s", code, out)
	}
	if err := os.WriteFile(filepath.Join(restored, "audit.key"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	// The factor key too: the database keeps its check value.
	fkey, err := os.ReadFile(filepath.Join(dir, "factor.key"))
	if err != nil {
		t.Fatal(err)
	}
	if code, out := anwei(t, "user", "list", "--data", restored); code != 1 || !strings.Contains(out, "--factor-key-file") {
		t.Fatalf("restored database opened without the factor key: %d %s", code, out)
	}
	if err := os.WriteFile(filepath.Join(restored, "factor.key"), fkey, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out = anwei(t, "user", "list", "--data", restored)
	if code != 0 || !strings.Contains(out, "王建国") || !strings.Contains(out, "共 16 个账号") {
		t.Fatalf("restored users: %d %s", code, out)
	}
	if code, out := anwei(t, "audit", "verify", "--data", restored); code != 0 {
		t.Fatalf("restored chain: %s", out)
	}
}

// TestAuditVerifyKeyed: whoever holds only the database cannot drop the
// newest event and step the head back, or rewrite an event and rehash the
// chain after it, without `anwei audit verify` failing; a head saved with
// `anwei audit head` proves the chain up to it; the key is found through
// --audit-key-file or ANWEI_AUDIT_KEY_FILE.
func TestAuditVerifyKeyed(t *testing.T) {
	dir := demoDir(t)
	code, head := anwei(t, "audit", "head", "--data", dir)
	saved := strings.Fields(head)
	if code != 0 || len(saved) != 2 {
		t.Fatalf("head: %d %q", code, head)
	}
	if code, out := anwei(t, "user", "passwd", "--data", dir, "--username", "office", "--password", "Anquan2026x"); code != 0 {
		t.Fatalf("user passwd: %s", out)
	}
	code, out := anwei(t, "audit", "verify", "--data", dir, "--head", saved[1])
	if code != 0 || !strings.Contains(out, "保存的链头完好") || !strings.Contains(out, "#1–#"+saved[0]) || !strings.Contains(out, "审计链完好") {
		t.Fatalf("verify --head: %d %s", code, out)
	}
	// The key through the environment, from elsewhere.
	moved := filepath.Join(t.TempDir(), "anwei-audit.key")
	if err := os.Rename(filepath.Join(dir, "audit.key"), moved); err != nil {
		t.Fatal(err)
	}
	if code, out := anwei(t, "audit", "verify", "--data", dir); code != 1 || !strings.Contains(out, "未提供审计密钥，无法核验带密钥部分") {
		t.Fatalf("verify without the key: %d %s", code, out)
	}
	t.Setenv("ANWEI_AUDIT_KEY_FILE", moved)
	if code, out := anwei(t, "audit", "verify", "--data", dir); code != 0 {
		t.Fatalf("verify with ANWEI_AUDIT_KEY_FILE: %d %s", code, out)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "anwei.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Drop the newest event and step the head back to the one before.
	var seq int64
	var prev string
	if err := db.QueryRow("SELECT seq, prev_hash FROM audit_events ORDER BY seq DESC LIMIT 1").Scan(&seq, &prev); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("DELETE FROM audit_events WHERE seq = ?", seq); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE audit_head SET seq = ?, hash = ?", seq-1, prev); err != nil {
		t.Fatal(err)
	}
	if code, out := anwei(t, "audit", "verify", "--data", dir); code != 1 || !strings.Contains(out, "链头的密钥签名不符") {
		t.Fatalf("verify after dropping the newest event: %d %s", code, out)
	}
	// The saved head, older than the dropped event, still holds; an edit
	// before it does not.
	if code, out := anwei(t, "audit", "verify", "--data", dir, "--head", saved[1]); code != 1 || !strings.Contains(out, "保存的链头完好") {
		t.Fatalf("verify --head after dropping a later event: %d %s", code, out)
	}
	if _, err := db.Exec("UPDATE audit_events SET actor = 'mallory' WHERE seq = 7"); err != nil {
		t.Fatal(err)
	}
	if code, out := anwei(t, "audit", "verify", "--data", dir, "--head", saved[1]); code != 1 || strings.Contains(out, "保存的链头完好") || !strings.Contains(out, "#7") {
		t.Fatalf("verify --head after an edit before it: %d %s", code, out)
	}
}

func TestUserCommands(t *testing.T) {
	dir := demoDir(t)
	code, out := anwei(t, "user", "add", "--data", dir, "--username", "zhangsan", "--name", "张三", "--unit", "区住建局",
		"--roles", "member", "--password", "Anquan2026")
	if code != 0 || !strings.Contains(out, "济南市天桥区住房和城乡建设局") {
		t.Fatalf("user add: %d %s", code, out)
	}
	code, out = anwei(t, "user", "add", "--data", dir, "--username", "lisi", "--name", "李四", "--unit", "区住建局",
		"--roles", "enterprise", "--password", "Anquan2026")
	if code != 1 || !strings.Contains(out, "不能担任「企业」角色") {
		t.Fatalf("unfit role: %d %s", code, out)
	}
	code, out = anwei(t, "user", "token", "--data", dir, "--username", "zhangsan", "--name", "对接", "--area", "plan", "--write")
	if code != 0 || !strings.HasPrefix(strings.TrimSpace(out), "anw_") {
		t.Fatalf("user token: %d %s", code, out)
	}
	// Five wrong passwords from one address lock zhangsan there; the
	// operator lifts the lock.
	ctx := context.Background()
	a, err := app.New(ctx, app.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for range a.Auth.Policy().LockAfter {
		_, _, _ = a.Auth.Login(ctx, "zhangsan", "wrong1234", "203.0.113.66")
	}
	a.Close()
	for _, want := range []string{"已解除 zhangsan 的登录锁定", "zhangsan 未被锁定"} {
		if code, out := anwei(t, "user", "unlock", "--data", dir, "--username", "zhangsan"); code != 0 || !strings.Contains(out, want) {
			t.Fatalf("user unlock: %d %s, want %s", code, out, want)
		}
	}
	if a, err = app.New(ctx, app.Config{DataDir: dir}); err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, _, err := a.Auth.Login(ctx, "zhangsan", "Anquan2026", "203.0.113.66"); err != nil {
		t.Fatalf("zhangsan after the unlock: %v", err)
	}
}

func TestPlanParse(t *testing.T) {
	code, out := anwei(t, "plan", "parse", "../../internal/plan/testdata/001_24d02479031d2206.txt")
	if code != 0 || !strings.Contains(out, `"schema": "anwei.plan/v1"`) || !strings.Contains(out, `"doc_number": "济天安发〔2023〕2号"`) {
		t.Fatalf("plan parse: %d %.300s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "note.txt")
	if err := os.WriteFile(bad, []byte("这不是一份工作要点。"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := anwei(t, "plan", "parse", bad); code != 1 || !strings.Contains(out, "不是工作要点") {
		t.Fatalf("not a plan: %d %s", code, out)
	}
}

func TestRulesCalculator(t *testing.T) {
	code, out := anwei(t, "rules", "major-source", "--people", "200", "液氯=20", "液氨=30")
	var r struct {
		Sum   float64
		Major bool
		R     float64
		Grade string
		Basis string
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
		t.Fatalf("major-source: %d %v %s", code, err, out)
	}
	if r.Sum != 7 || !r.Major || r.R != 44 || r.Grade != "三级" || !strings.Contains(r.Basis, "GB 18218-2018") {
		t.Errorf("worked example: %+v", r)
	}
	if code, errOut := anwei(t, "rules", "major-source", "--people", "5", "汽油=10"); code != 1 || !strings.Contains(errOut, "危险性类别") {
		t.Errorf("汽油 without category: %d %q", code, errOut)
	}
	if code, out := anwei(t, "rules", "major-source", "--people", "5", "汽油:W5.1=400"); code != 0 || !strings.Contains(out, `"beta_from": "表4 W5.1"`) {
		t.Errorf("汽油:W5.1: %d %s", code, out)
	}
	if code, out := anwei(t, "rules", "lec", "6", "6", "7"); code != 0 || !strings.Contains(out, `"value": 252`) || !strings.Contains(out, `"colour": "橙"`) {
		t.Errorf("lec: %d %s", code, out)
	}
	if code, out := anwei(t, "rules", "lec", "5", "6", "7"); code != 1 || !strings.Contains(out, "不在表中") {
		t.Errorf("lec outside the table: %d %s", code, out)
	}
	if code, out := anwei(t, "rules", "ls", "4", "5"); code != 0 || !strings.Contains(out, `"level": "重大风险"`) {
		t.Errorf("ls: %d %s", code, out)
	}
	if code, out := anwei(t, "rules", "ls", "6", "1"); code != 1 || !strings.Contains(out, "1–5") {
		t.Errorf("ls out of range: %d %s", code, out)
	}
	// The penalty calculator: vectors from the law's text (more in internal/rules).
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--article", "114", "--grade", "较大"}, []string{`"min": 1000000`, `"max": 2000000`, "第一百一十四条第一款第（二）项"}},
		{[]string{"--article", "114", "--grade", "一般", "--aggravated"}, []string{`"min": 600000`, `"max": 5000000`, "第二款"}},
		{[]string{"--article", "95", "--grade", "重大", "--income", "250000"}, []string{`"min": 200000`, `"max": 200000`}},
		{[]string{"--article", "112", "--fine", "20000", "--ordered", "2026-02-27", "--until", "2026-03-02"}, []string{`"days": 3`, `"min": 60000`, `"max": 60000`, "[U]"}},
		{[]string{"--article", "99", "--uncorrected"}, []string{`"min": 50000`, `"max": 200000`, `"person_max": 20000`}},
	} {
		if code, out := anwei(t, append([]string{"rules", "penalty"}, c.args...)...); code != 0 || !containsAll(out, c.want) {
			t.Errorf("rules penalty %v: %d %s", c.args, code, out)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--article", "114"}, "事故等级"},
		{[]string{"--article", "112", "--fine", "100", "--ordered", "2026-03-02", "--until", "2026-03-01"}, "早于责令改正之日"},
		{[]string{"--article", "103"}, "没有第 103 条"},
		{[]string{"--grade", "一般"}, "--article"},
	} {
		if code, out := anwei(t, append([]string{"rules", "penalty"}, c.args...)...); code == 0 || !strings.Contains(out, c.want) {
			t.Errorf("rules penalty %v: %d %s, want a refusal saying %q", c.args, code, out, c.want)
		}
	}
	if code, out := anwei(t, "rules", "violations", "a102"); code != 0 || !strings.Contains(out, `"article": "第一百零二条"`) || !strings.Contains(out, `"max": 50000`) {
		t.Errorf("rules violations a102: %d %s", code, out)
	}
	if code, out := anwei(t, "rules", "violations", "a200"); code != 1 || !strings.Contains(out, "没有违法行为") {
		t.Errorf("rules violations a200: %d %s", code, out)
	}
	if code, out := anwei(t, "rules", "credit-code", "9144030071526726XG"); code != 0 || !strings.Contains(out, `"valid": true`) {
		t.Errorf("valid code: %d %s", code, out)
	}
	if code, errOut := anwei(t, "rules", "credit-code", "914403001922038217"); code != 1 || !strings.Contains(errOut, "校验位错误") {
		t.Errorf("bad code: %d %q", code, errOut)
	}
	// Working days, without a database: across 国庆's 调休, and into a year
	// whose notice is not loaded.
	if code, out := anwei(t, "rules", "workdays", "--from", "2026-09-30", "--add", "3"); code != 0 || !strings.Contains(out, `"date": "2026-10-10"`) ||
		!strings.Contains(out, `"provisional": false`) {
		t.Errorf("workdays: %d %s", code, out)
	}
	if code, out := anwei(t, "rules", "workdays", "--from", "2026-12-28", "--add", "5"); code != 0 || !strings.Contains(out, `"provisional": true`) {
		t.Errorf("workdays into 2027: %d %s", code, out)
	}
	if code, _ := anwei(t, "rules", "workdays", "--from", "2026-13-01", "--add", "5"); code != 2 {
		t.Errorf("a bad date: exit %d, want 2", code)
	}
}

func TestImportEnterprises(t *testing.T) {
	dir := t.TempDir()
	if code, out := anwei(t, "demo", "--data", dir); code != 0 {
		t.Fatalf("demo: %s", out)
	}
	c1, _ := rules.CreditCheckChar("91370105MA3CKT001")
	good := "91370105MA3CKT001" + string(c1)
	bad := "91370105MA3CKT001" + map[bool]string{true: "1", false: "0"}[c1 == '0']
	file := filepath.Join(t.TempDir(), "企业.csv")
	body := "企业名称,统一社会信用代码,所在街道,监管类别,从业人数\n" +
		"济南命令行化工有限公司," + good + ",无影山街道,危险化学品,30\n" +
		"坏代码公司," + bad + ",无影山街道,工贸,3\n"
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := anwei(t, "import", "enterprises", "--data", dir, file)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || lines[len(lines)-1] != "imported 1, rejected 1" || !strings.Contains(out, "第3行: 统一社会信用代码校验位错误") {
		t.Fatalf("import: %d %s", code, out)
	}
	rej, err := os.ReadFile(file + ".rejects.csv")
	if err != nil || !strings.Contains(string(rej), "坏代码公司") || !strings.Contains(string(rej), "校验位错误") {
		t.Fatalf("rejects file: %v %s", err, rej)
	}
	code, out = anwei(t, "import", "enterprises", "--data", dir, file)
	if !strings.HasSuffix(strings.TrimSpace(out), "imported 0, rejected 1") || code != 0 {
		t.Errorf("re-import: %d %s", code, out)
	}
	if code, out := anwei(t, "import", "enterprises", "--data", dir, "--user", "street", file); code != 0 || !strings.Contains(out, "imported 0") {
		t.Errorf("as the street: %d %s", code, out)
	}
}

// containsAll: s holds every one of want.
func containsAll(s string, want []string) bool {
	for _, w := range want {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}
