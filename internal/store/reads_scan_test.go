package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoWriteGoesToAReadMethod reads every Go file of the module, tests
// included, and fails on a Query or QueryRow call whose SQL, as far as its
// string literals show, writes: the runtime refusal (reads.go) catches
// such a call when a test runs it, this catches it where no test does.
func TestNoWriteGoesToAReadMethod(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	calls := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok || len(c.Args) < 2 {
				return true
			}
			sel, ok := c.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Query" && sel.Sel.Name != "QueryRow" {
				return true
			}
			q := literals(c.Args[1])
			if !looksLikeSQL(q) {
				return true
			}
			calls++
			if !reads(q) {
				t.Errorf("%s: %s given a statement that writes (use Tx.Exec, ExecRow or ExecRows): %.80q",
					fset.Position(c.Pos()), sel.Sel.Name, q)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 100 {
		t.Fatalf("found only %d Query/QueryRow calls with SQL: the scan is broken", calls)
	}
}

// literals joins the string literals of a + chain (or a call's first
// argument, as in fmt.Sprintf; or the value a name of the same file was
// declared with), with a space for each part it cannot see.
func literals(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.BasicLit:
		if s, err := strconv.Unquote(x.Value); err == nil && x.Kind == token.STRING {
			return s
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			return literals(x.X) + literals(x.Y)
		}
	case *ast.CallExpr:
		if len(x.Args) > 0 {
			return literals(x.Args[0])
		}
	case *ast.ParenExpr:
		return literals(x.X)
	case *ast.Ident: // a constant or variable of the same file
		if x.Obj != nil {
			if v, ok := x.Obj.Decl.(*ast.ValueSpec); ok {
				for i, name := range v.Names {
					if name.Name == x.Name && i < len(v.Values) {
						return literals(v.Values[i])
					}
				}
			}
		}
	}
	return " "
}

// looksLikeSQL tells SQL text from other strings (a value passed to a
// Query method of something else).
func looksLikeSQL(q string) bool {
	first, _ := sqlWords(q)()
	switch first {
	case "SELECT", "WITH", "VALUES", "EXPLAIN", "INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "PRAGMA", "CREATE", "DROP", "ALTER":
		return true
	}
	return false
}
