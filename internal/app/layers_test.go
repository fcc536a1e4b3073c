package app_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The house rules of ARCHITECTURE.md ("Layers"), checked on the source: a
// package imports only packages of lower layers (siblings of the common and
// mechanism layers may import each other), rules imports only apperr and
// calendar, store only apperr, web never store; no package outside app
// builds a service.

const module = "anwei/"

// layers reads the table of ARCHITECTURE.md's "Layers" section: rank,
// packages (comma-separated paths under the module), what the layer may
// import besides lower layers.
func layers(t *testing.T, root string) (rank map[string]int, siblings map[int]bool) {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join(root, "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	sec := section(string(doc), "## Layers")
	rank, siblings = map[string]int{}, map[int]bool{}
	row := regexp.MustCompile(`^\|\s*(\d+)\s*\|\s*([^|]+)\|\s*([^|]*)\|`)
	for _, line := range strings.Split(sec, "\n") {
		m := row.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		for _, p := range strings.Split(m[2], ",") {
			if p = strings.Trim(strings.TrimSpace(p), "`"); p != "" {
				rank[p] = n
			}
		}
		siblings[n] = strings.Contains(m[3], "each other")
	}
	if len(rank) == 0 {
		t.Fatal("ARCHITECTURE.md: no table under ## Layers")
	}
	return rank, siblings
}

// section is the text of a markdown section up to the next heading of its
// level.
func section(doc, heading string) string {
	i := strings.Index(doc, "\n"+heading+"\n")
	if i < 0 {
		return ""
	}
	rest := doc[i+len(heading)+2:]
	if j := strings.Index(rest, "\n## "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// only are the packages some packages may import at most (of ours).
var only = map[string][]string{
	"internal/rules":  {"internal/apperr", "internal/calendar"},
	"internal/store":  {"internal/apperr"},
	"internal/apperr": {},
}

// never are imports forbidden whatever the layers say.
var never = map[string][]string{
	"internal/web": {"internal/store"},
}

// imports are the non-test imports of ours of every package under
// internal/ and cmd/, by package path relative to the module.
func imports(t *testing.T, root string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if !strings.HasPrefix(rel, "internal/") && !strings.HasPrefix(rel, "cmd/") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(rel))
		if _, ok := out[pkg]; !ok {
			out[pkg] = nil
		}
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if strings.HasPrefix(p, module) && !slices.Contains(out[pkg], p[len(module):]) {
				out[pkg] = append(out[pkg], p[len(module):])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// violations checks imports against the layers and the special rules.
func violations(imps map[string][]string, rank map[string]int, siblings map[int]bool) []string {
	var bad []string
	for pkg, ims := range imps {
		r, ok := rank[pkg]
		if !ok {
			bad = append(bad, fmt.Sprintf("%s: has no layer in ARCHITECTURE.md (## Layers)", pkg))
			continue
		}
		for _, im := range ims {
			ir, ok := rank[im]
			switch {
			case !ok:
				bad = append(bad, fmt.Sprintf("%s imports %s, which has no layer", pkg, im))
			case ir > r || (ir == r && !siblings[r]):
				bad = append(bad, fmt.Sprintf("%s (layer %d) imports %s (layer %d): imports go down the layers only", pkg, r, im, ir))
			case slices.Contains(never[pkg], im):
				bad = append(bad, fmt.Sprintf("%s imports %s, which it must never import", pkg, im))
			}
			if allowed, ok := only[pkg]; ok && !slices.Contains(allowed, im) {
				bad = append(bad, fmt.Sprintf("%s imports %s: it may import only %v of ours", pkg, im, allowed))
			}
		}
	}
	slices.Sort(bad)
	return bad
}

// TestImportsGoDownTheLayers enforces the dependency rule on the source,
// and shows it catches a violating edit.
func TestImportsGoDownTheLayers(t *testing.T) {
	root := repoRoot(t)
	rank, siblings := layers(t, root)
	imps := imports(t, root)
	for _, v := range violations(imps, rank, siblings) {
		t.Error(v)
	}
	for _, want := range []string{"internal/web", "internal/hazard", "internal/store", "internal/rules", "cmd/anwei"} {
		if _, ok := imps[want]; !ok {
			t.Fatalf("the scan found no package %s: is it reading the repository?", want)
		}
	}
	t.Run("a violating edit is caught", func(t *testing.T) {
		for name, edit := range map[string][2]string{
			"a mechanism imports web":    {"internal/hazard", "internal/web"},
			"a mechanism imports app":    {"internal/risk", "internal/app"},
			"web imports the store":      {"internal/web", "internal/store"},
			"rules reads the registry":   {"internal/rules", "internal/org"},
			"common imports a mechanism": {"internal/org", "internal/enterprise"},
			"store imports calendar":     {"internal/store", "internal/calendar"},
		} {
			edited := map[string][]string{edit[0]: append(slices.Clone(imps[edit[0]]), edit[1])}
			if v := violations(edited, rank, siblings); len(v) == 0 {
				t.Errorf("%s (%s → %s) passed", name, edit[0], edit[1])
			}
		}
	})
}

// builders are the constructors only app.NewServices calls.
var builders = regexp.MustCompile(`^(NewService|NewHooks)$`)

// TestOnlyAppBuildsServices: outside internal/app no file — test files
// included — calls another package's service constructor (org.NewService,
// enterprise.NewHooks, files.New …): the command line, bench and the demo
// take the services app built, and tests take them from apptest.
func TestOnlyAppBuildsServices(t *testing.T) {
	root := repoRoot(t)
	found := builtOutsideApp(t, root)
	for _, f := range found {
		t.Error(f)
	}
	t.Run("a violating edit is caught", func(t *testing.T) {
		src := "package main\nimport \"anwei/internal/enterprise\"\nfunc f() { _ = enterprise.NewService(nil, nil, nil, nil, 0) }\n"
		if got := calls(t, "cmd/anwei/x.go", src); len(got) != 1 {
			t.Errorf("a command building the registry: %v", got)
		}
	})
}

func builtOutsideApp(t *testing.T, root string) []string {
	t.Helper()
	var found []string
	for _, dir := range []string{"cmd", "internal"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			if strings.HasPrefix(filepath.ToSlash(rel), "internal/app/") {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			found = append(found, calls(t, filepath.ToSlash(rel), string(src))...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return found
}

// calls lists the calls in src of another package's service constructor
// (pkg.NewService, pkg.NewHooks, files.New).
func calls(t *testing.T, name, src string) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		if builders.MatchString(sel.Sel.Name) || (pkg.Name == "files" && sel.Sel.Name == "New") {
			out = append(out, fmt.Sprintf("%s: %s.%s — build services with app.NewServices (app.Open, app.New; in tests apptest)", fset.Position(call.Pos()), pkg.Name, sel.Sel.Name))
		}
		return true
	})
	return out
}
