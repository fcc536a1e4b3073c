package web_test

import (
	"slices"
	"strings"
	"testing"

	"anwei/internal/docs"
	"anwei/internal/enterprise"
)

// TestTheImportPageOffersItsTemplate: the enterprise import page links a
// template whose columns are exactly those the import reads; one who may
// not import gets none (issue 16.4).
func TestTheImportPageOffersItsTemplate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	office := e.login("office")
	if _, page := e.do(office, "GET", "/enterprises/import", ""); !strings.Contains(page, `href="/enterprises/import/template.xlsx"`) {
		t.Error("the import page links no template")
	}
	code, body := e.do(office, "GET", "/enterprises/import/template.xlsx", "")
	if code != 200 {
		t.Fatalf("template: %d", code)
	}
	rows, err := docs.Open(docs.File{Name: "t.xlsx", Data: []byte(body)}, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if h := rows.Header(); !slices.Equal(h, enterprise.SheetHeader) {
		t.Errorf("the template's columns %v, want %v", h, enterprise.SheetHeader)
	}
	if code, _ := e.do(e.login("enterprise"), "GET", "/enterprises/import/template.xlsx", ""); code != 403 {
		t.Errorf("an enterprise gets the template: %d", code)
	}
}
