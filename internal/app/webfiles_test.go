package app_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// webFiles reads the two tables of ARCHITECTURE.md's "Web files" section:
// the areas (first column of the table headed "area") and the shared files
// (of the table headed "shared file").
func webFiles(t *testing.T, root string) (areas, shared []string) {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join(root, "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("^\\|\\s*`([^`]+)`\\s*\\|")
	var into *[]string
	for _, line := range strings.Split(section(string(doc), "## Web files"), "\n") {
		switch {
		case strings.HasPrefix(line, "| area |"):
			into = &areas
		case strings.HasPrefix(line, "| shared file |"):
			into = &shared
		case !strings.HasPrefix(line, "|"):
			into = nil
		}
		if m := row.FindStringSubmatch(line); m != nil && into != nil {
			*into = append(*into, m[1])
		}
	}
	if len(areas) == 0 || len(shared) == 0 {
		t.Fatalf("ARCHITECTURE.md: ## Web files lists %d areas and %d shared files; want both tables", len(areas), len(shared))
	}
	return areas, shared
}

// areaFile is an area's file: <area>_{pages,api,forms,funcs}.go, or
// <area>_<part>_… when the area's pages (or API, forms) fill more than one.
var areaFile = regexp.MustCompile(`^([a-z]+)(_[a-z]+)?_(pages|api|forms|funcs)\.go$`)

// TestWebFilesFollowTheConvention: every non-test Go file of internal/web
// is an area's file (of an area ARCHITECTURE.md lists) or one of the shared
// files it lists; every listed shared file exists and every area has a
// file; and every area's <area>_funcs.go gives <area>Funcs, merged in
// funcs.go's areaFuncs — so the document and the code cannot drift apart.
func TestWebFilesFollowTheConvention(t *testing.T) {
	root := filepath.Join("..", "..")
	areas, shared := webFiles(t, root)
	dir := filepath.Join(root, "internal", "web")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var funcFiles []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		seen[name] = true
		if slices.Contains(shared, name) {
			continue
		}
		m := areaFile.FindStringSubmatch(name)
		switch {
		case m == nil:
			t.Errorf("internal/web/%s is neither <area>_{pages,api,forms,funcs}.go nor a shared file listed in ARCHITECTURE.md (## Web files)", name)
		case !slices.Contains(areas, m[1]):
			t.Errorf("internal/web/%s: area %q is not listed in ARCHITECTURE.md (## Web files)", name, m[1])
		default:
			seen[m[1]] = true
			if m[3] == "funcs" {
				funcFiles = append(funcFiles, name)
			}
		}
	}
	for _, f := range shared {
		if !seen[f] {
			t.Errorf("ARCHITECTURE.md lists the shared file %s, which internal/web does not have", f)
		}
	}
	for _, a := range areas {
		if !seen[a] {
			t.Errorf("ARCHITECTURE.md lists the area %s, which has no file in internal/web", a)
		}
	}
	merged := areaFuncsOf(t, filepath.Join(dir, "funcs.go"))
	for _, f := range funcFiles {
		area := areaFile.FindStringSubmatch(f)[1]
		if !slices.Contains(merged, area+"Funcs") {
			t.Errorf("internal/web/%s: %sFuncs is not in funcs.go's areaFuncs, so its template functions are not merged", f, area)
		}
	}
}

// areaFuncsOf lists the names in the areaFuncs variable of funcs.go.
func areaFuncsOf(t *testing.T, path string) []string {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	ast.Inspect(file, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "areaFuncs" || len(vs.Values) != 1 {
			return true
		}
		if lit, ok := vs.Values[0].(*ast.CompositeLit); ok {
			for _, el := range lit.Elts {
				if id, ok := el.(*ast.Ident); ok {
					names = append(names, id.Name)
				}
			}
		}
		return false
	})
	if len(names) == 0 {
		t.Fatal("funcs.go: no areaFuncs list")
	}
	return names
}
