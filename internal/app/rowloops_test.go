package app_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// rowLoopExceptions may loop over query rows by hand, with the reason
// ARCHITECTURE.md gives ("Pages and rows").
var rowLoopExceptions = map[string]bool{
	"internal/audit/verify.go:walk": true, // audit.Verify: a stateful walk of the chain that stops with success at the head
}

// rowLoops finds the functions of a file that loop over the rows a Query
// returned (`rows, err := x.Query(…)` … `for rows.Next()`), as
// "path:Func".
func rowLoops(rel string, f *ast.File) []string {
	var out []string
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		queried := map[string]bool{}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok && len(as.Rhs) == 1 {
				if call, ok := as.Rhs[0].(*ast.CallExpr); ok {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Query" || sel.Sel.Name == "QueryContext") {
						if id, ok := as.Lhs[0].(*ast.Ident); ok {
							queried[id.Name] = true
						}
					}
				}
			}
			return true
		})
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			loop, ok := n.(*ast.ForStmt)
			if !ok {
				return true
			}
			if call, ok := loop.Cond.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Next" {
					if id, ok := sel.X.(*ast.Ident); ok && queried[id.Name] {
						out = append(out, rel+":"+fn.Name.Name)
					}
				}
			}
			return true
		})
	}
	return out
}

// TestRowsAreReadThroughTheStore: outside internal/store no file loops over
// query rows by hand; store.Collect and store.Each close the rows and
// check rows.Err in one place.
func TestRowsAreReadThroughTheStore(t *testing.T) {
	root := repoRoot(t)
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || rel == "internal/store" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			(!strings.HasPrefix(rel, "internal/") && !strings.HasPrefix(rel, "cmd/")) {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files++
		for _, at := range rowLoops(rel, f) {
			if !rowLoopExceptions[at] {
				t.Errorf("%s loops over query rows by hand: use store.Collect (a list) or store.Each (rows folded into something else)", at)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("scanned %d files: is it reading the repository?", files)
	}
	t.Run("a violating edit is caught", func(t *testing.T) {
		const src = `package x
func (s *S) List(ctx context.Context) ([]int64, error) {
	rows, err := s.db.Query(ctx, "SELECT id FROM t")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}
func (s *S) Fine(ctx context.Context) ([]int64, error) {
	rows, err := s.db.Query(ctx, "SELECT id FROM t")
	return store.Collect(rows, err, store.Value[int64])
}`
		f, err := parser.ParseFile(fset, "x.go", src, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := rowLoops("internal/x/x.go", f); len(got) != 1 || got[0] != "internal/x/x.go:List" {
			t.Fatalf("found %v, want [internal/x/x.go:List]", got)
		}
	})
}
