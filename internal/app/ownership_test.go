package app_test

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestTableOwnership: every table the migrations create has exactly one
// owner in ARCHITECTURE.md's map, and no package under internal/ or cmd/
// names in its SQL a table it does not own (issue 12 item 2). A package's
// sub-packages count as the package (org/scope renders org's tables). The
// migrations themselves (internal/store/migrations, SQL files, not Go) are
// the schema and name every table; the store package's Go code owns only
// goose's version table and is scanned like any other package.
func TestTableOwnership(t *testing.T) {
	root := repoRoot(t)
	owners := readOwnerMap(t, filepath.Join(root, "ARCHITECTURE.md"))

	// The migrations are the schema: each table they leave has one owner,
	// and each table of the map is made by a migration (or is goose's).
	made := map[string]bool{}
	for _, dialect := range []string{"sqlite", "postgres"} {
		for tb := range migratedTables(t, filepath.Join(root, "internal", "store", "migrations", dialect)) {
			made[tb] = true
			if owners[tb] == "" {
				t.Errorf("table %s (migrations/%s) has no owner in ARCHITECTURE.md", tb, dialect)
			}
		}
	}
	for tb, owner := range owners {
		if meta, ok := metaTables[tb]; ok && owner != meta {
			t.Errorf("ARCHITECTURE.md gives %s to %s; it is %s's", tb, owner, meta)
		}
		if _, ok := metaTables[tb]; !made[tb] && !ok {
			t.Errorf("ARCHITECTURE.md lists table %s (owner %s), which no migration creates", tb, owner)
		}
		if st, err := os.Stat(filepath.Join(root, "internal", owner)); err != nil || !st.IsDir() {
			t.Errorf("ARCHITECTURE.md: the owner of %s, %s, is no package under internal/", tb, owner)
		}
	}

	var found []violation
	for _, top := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if n := d.Name(); n == "testdata" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			v, err := checkSource(filepath.ToSlash(rel), src, owners)
			if err != nil {
				return err
			}
			found = append(found, v...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range found {
		t.Errorf("%s: read it through a view of %s, write it through %s's functions (ARCHITECTURE.md)", v, v.owner, v.owner)
	}

	t.Run("a violating edit is reported", func(t *testing.T) {
		// What hazard did before it read enterprises through their view,
		// and what enterprise did before it wrote units through org.
		src := "package hazard\n\nconst byName = `SELECT h.id\n\tFROM hazards h\n\tJOIN enterprises e ON e.unit_id = h.unit_id`\n\n" +
			"var q = \"SELECT name FROM \" + \"enterprises WHERE unit_id = ?\"\n\n" +
			"var ok = \"SELECT h.id FROM hazards h JOIN \" + enterprise.NamesView + \" e ON e.unit_id = h.unit_id\"\n\n" +
			"var msg = \"隐患所在 units 与 enterprises 不符\"\n\n" +
			"func f() { tx.Exec(ctx, \"UPDATE units SET name = ?\", n); tx.Query(ctx, \"SELECT nextval(pg_get_serial_sequence('units', 'id'))\") }\n" +
			"\nfunc g() { b.Copy(ctx, \"supervisions\", cols, n, row) }\n\nvar kept = &store.Rows{Table: \"inbox\", Cols: \"unit_id\"}\n"
		got, err := checkSource("internal/hazard/bad.go", []byte(src), owners)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, v := range got {
			lines = append(lines, v.String())
		}
		want := []string{
			"internal/hazard/bad.go:5: package internal/hazard touches table enterprises, owned by enterprise",
			"internal/hazard/bad.go:7: package internal/hazard touches table enterprises, owned by enterprise",
			"internal/hazard/bad.go:13: package internal/hazard touches table units, owned by org",
			"internal/hazard/bad.go:13: package internal/hazard touches table units, owned by org",
			"internal/hazard/bad.go:15: package internal/hazard touches table supervisions, owned by org",
			"internal/hazard/bad.go:17: package internal/hazard touches table inbox, owned by inbox",
		}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Fatalf("reported\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
		// The owner itself, and its sub-packages, may name its tables.
		for _, file := range []string{"internal/enterprise/ok.go", "internal/enterprise/sub/ok.go"} {
			own := strings.Replace(src, "package hazard", "package enterprise", 1)
			got, err := checkSource(file, []byte(own), owners)
			if err != nil {
				t.Fatal(err)
			}
			var tables []string
			for _, v := range got {
				tables = append(tables, v.table)
			}
			if strings.Join(tables, " ") != "hazards hazards units units supervisions inbox" {
				t.Errorf("%s: reported %v, want only hazards and units", file, got)
			}
		}
	})
}

// metaTables are the tables no migration creates, with their owners: goose
// keeps its record of applied migrations itself, and store runs goose.
var metaTables = map[string]string{"goose_db_version": "store"}

type violation struct {
	file  string
	line  int
	pkg   string
	table string
	owner string
}

func (v violation) String() string {
	return v.file + ":" + strconv.Itoa(v.line) + ": package " + v.pkg + " touches table " + v.table + ", owned by " + v.owner
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s: %v", root, err)
	}
	return root
}

// readOwnerMap reads the table under "## Tables and their owners": one row
// per table, `| `table` | owner | what |`. A table listed twice fails.
func readOwnerMap(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	owners := map[string]string{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "## ") {
			in = line == "## Tables and their owners"
			continue
		}
		if !in || !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) < 3 {
			t.Fatalf("ARCHITECTURE.md: row %q has fewer than three columns", line)
		}
		table := strings.Trim(strings.TrimSpace(cells[0]), "`")
		owner := strings.Trim(strings.TrimSpace(cells[1]), "`")
		if table == "table" || strings.Trim(table, "-: ") == "" {
			continue // the header and its rule
		}
		if !identRe.MatchString(table) || !regexp.MustCompile(`^[a-z][a-z0-9]*$`).MatchString(owner) {
			t.Fatalf("ARCHITECTURE.md: row %q does not name a table and a package", line)
		}
		if prev, ok := owners[table]; ok {
			t.Errorf("ARCHITECTURE.md lists table %s twice (owners %s and %s)", table, prev, owner)
		}
		owners[table] = owner
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(owners) == 0 {
		t.Fatal("ARCHITECTURE.md has no table under ## Tables and their owners")
	}
	return owners
}

var (
	identRe     = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
	sqlComment  = regexp.MustCompile(`--[^\n]*`)
	createRe    = regexp.MustCompile(`(?i)\bCREATE\s+(?:VIRTUAL\s+|UNLOGGED\s+|MATERIALIZED\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)`)
	dropRe      = regexp.MustCompile(`(?i)\bDROP\s+(?:TABLE|VIEW|MATERIALIZED\s+VIEW)\s+(?:IF\s+EXISTS\s+)?(\w+)`)
	renameRe    = regexp.MustCompile(`(?i)\bALTER\s+TABLE\s+(\w+)\s+RENAME\s+TO\s+(\w+)`)
	schemaStmts = regexp.MustCompile(createRe.String() + `|` + dropRe.String() + `|` + renameRe.String())
)

// migratedTables returns the tables and views the Up sections of a
// dialect's migrations leave, applied in order.
func migratedTables(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations in %s (%v)", dir, err)
	}
	sort.Strings(files)
	tables := map[string]bool{}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		up := string(b)
		if i := strings.Index(up, "-- +goose Down"); i >= 0 {
			up = up[:i]
		}
		up = sqlComment.ReplaceAllString(up, "")
		for _, m := range schemaStmts.FindAllStringSubmatch(up, -1) {
			switch {
			case m[1] != "":
				tables[strings.ToLower(m[1])] = true
			case m[2] != "":
				delete(tables, strings.ToLower(m[2]))
			default:
				delete(tables, strings.ToLower(m[3]))
				tables[strings.ToLower(m[4])] = true
			}
		}
	}
	return tables
}

// tableRefRe finds a table where SQL names one: after FROM, JOIN, INTO,
// UPDATE, TABLE, REFERENCES and the like, after ON in CREATE INDEX, and
// quoted in a function that takes a table's name. All of anwei's SQL is
// written with upper-case keywords, so messages, identifiers and JSON keys
// that happen to be table names ("units", "users") never match.
var tableRefRe = regexp.MustCompile(`\b(?:FROM|JOIN|INTO|UPDATE|TABLE|REFERENCES|TRUNCATE|ANALYZE|COPY)\s+(?:ONLY\s+|IF\s+(?:NOT\s+)?EXISTS\s+)?"?([a-z_][a-z0-9_]*)` +
	`|\bON\s+([a-z_][a-z0-9_]*)\s*(?:\(|USING\b)` +
	`|\b(?:pg_get_serial_sequence|pg_total_relation_size|pg_relation_size|table_info)\(\s*'([a-z_][a-z0-9_]*)'`)

// fromListRe continues "FROM a x, b y" past the first table.
var fromListRe = regexp.MustCompile(`^(?:\s+(?:AS\s+)?[a-z_][a-z0-9_]*)?\s*,\s*([a-z_][a-z0-9_]*)`)

// checkSource reports every table a Go file's string literals name in SQL
// that the file's package does not own. rel is the file's path from the
// repository root; a package under internal/ is owned by the first
// directory below internal/, one under cmd/ owns nothing.
func checkSource(rel string, src []byte, owners map[string]string) ([]violation, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	pkg := filepath.ToSlash(filepath.Dir(rel))
	unit := pkg
	if rest, ok := strings.CutPrefix(pkg, "internal/"); ok {
		unit, _, _ = strings.Cut(rest, "/")
	}
	var out []violation
	report := func(lits []*ast.BasicLit) {
		// The literals of one + chain are read as one text (a non-literal
		// operand becomes a blank), so "FROM " + "hazards" is seen.
		var text strings.Builder
		type piece struct {
			start int
			lit   *ast.BasicLit
			raw   bool
		}
		var pieces []piece
		for _, l := range lits {
			if l == nil {
				text.WriteString(" ? ")
				continue
			}
			s, err := strconv.Unquote(l.Value)
			if err != nil {
				continue
			}
			pieces = append(pieces, piece{text.Len(), l, strings.HasPrefix(l.Value, "`")})
			text.WriteString(s)
		}
		s := text.String()
		at := func(off int) int {
			p := pieces[0]
			for _, q := range pieces {
				if q.start <= off {
					p = q
				}
			}
			line := fset.Position(p.lit.Pos()).Line
			if p.raw {
				line += strings.Count(s[p.start:off], "\n")
			}
			return line
		}
		seen := map[string]bool{}
		add := func(table string, off int) {
			owner, ok := owners[table]
			if !ok || owner == unit {
				return
			}
			v := violation{file: rel, line: at(off), pkg: pkg, table: table, owner: owner}
			if k := v.String(); !seen[k] {
				seen[k] = true
				out = append(out, v)
			}
		}
		for _, m := range tableRefRe.FindAllStringSubmatchIndex(s, -1) {
			g := 2
			for m[g] < 0 {
				g += 2
			}
			add(s[m[g]:m[g+1]], m[g])
			for end := m[g+1]; ; {
				n := fromListRe.FindStringSubmatchIndex(s[end:])
				if n == nil || !strings.HasPrefix(s[m[0]:], "FROM") {
					break
				}
				add(s[end+n[2]:end+n[3]], end+n[2])
				end += n[1]
			}
		}
	}
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch e := n.(type) {
		case *ast.BinaryExpr:
			if e.Op != token.ADD {
				return true
			}
			var lits []*ast.BasicLit
			var others []ast.Expr
			var flat func(x ast.Expr)
			flat = func(x ast.Expr) {
				if b, ok := x.(*ast.BinaryExpr); ok && b.Op == token.ADD {
					flat(b.X)
					flat(b.Y)
					return
				}
				if l, ok := x.(*ast.BasicLit); ok && l.Kind == token.STRING {
					lits = append(lits, l)
					return
				}
				lits = append(lits, nil)
				others = append(others, x)
			}
			flat(e)
			if len(lits) > len(others) {
				report(lits)
			}
			for _, x := range others {
				ast.Inspect(x, visit)
			}
			return false
		case *ast.BasicLit:
			if e.Kind == token.STRING {
				report([]*ast.BasicLit{e})
			}
		case *ast.CallExpr: // b.Copy(ctx, "table", …) names its table bare
			if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Copy" && len(e.Args) >= 2 {
				if l, ok := e.Args[1].(*ast.BasicLit); ok && l.Kind == token.STRING {
					if t, err := strconv.Unquote(l.Value); err == nil {
						report([]*ast.BasicLit{{ValuePos: l.ValuePos, Kind: token.STRING, Value: strconv.Quote("INTO " + t)}})
					}
				}
			}
		case *ast.KeyValueExpr: // store.Rows{Table: "table", …}
			if k, ok := e.Key.(*ast.Ident); ok && k.Name == "Table" {
				if l, ok := e.Value.(*ast.BasicLit); ok && l.Kind == token.STRING {
					if t, err := strconv.Unquote(l.Value); err == nil {
						report([]*ast.BasicLit{{ValuePos: l.ValuePos, Kind: token.STRING, Value: strconv.Quote("INTO " + t)}})
					}
				}
			}
		}
		return true
	}
	ast.Inspect(f, visit)
	return out, nil
}
