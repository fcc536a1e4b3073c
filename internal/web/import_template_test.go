package web_test

import (
	"slices"
	"strings"
	"testing"

	"anwei/internal/docs"
	"anwei/internal/enforce"
	"anwei/internal/enterprise"
	"anwei/internal/plan"
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

// TestEveryImportPageOffersItsTemplate: the plan import offers a plan to fill
// in that the import reads, and the progress import its task sheet (issue
// 16.4).
func TestEveryImportPageOffersItsTemplate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	office := e.login("office")
	if _, page := e.do(office, "GET", "/plans", ""); !strings.Contains(page, `href="/plans/import/template.txt"`) {
		t.Error("the plan import links no template")
	}
	code, body := e.do(office, "GET", "/plans/import/template.txt", "")
	if code != 200 || body != plan.Template {
		t.Fatalf("plan template: %d %.100s", code, body)
	}
	if p, err := plan.Parse(body, 0); err != nil || len(p.Items) == 0 {
		t.Errorf("the template does not parse: %v", err)
	}
	if code, _ := e.do(e.login("enterprise"), "GET", "/plans/import/template.txt", ""); code != 403 {
		t.Errorf("an enterprise gets the plan template: %d", code)
	}
	runScenarios(t, e, []scenario{{Name: "the progress import links its sheet", URL: "/plans/{plan:济天安发〔2026〕2号}", As: "member",
		Status: 200, Want: []string{`id="progress-template"`, `/sheet.xlsx" id="progress-template"`}}})
}

// TestTheCaseImportOffersItsTemplate: the import of past cases offers its
// empty sheet, whose columns are the import's (issue 25), to a department
// only.
func TestTheCaseImportOffersItsTemplate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.login("officer")
	if _, page := e.do(officer, "GET", "/enforce/cases/import", ""); !strings.Contains(page, `href="/enforce/cases/import/template.xlsx"`) {
		t.Error("the case import page links no template")
	}
	code, body := e.do(officer, "GET", "/enforce/cases/import/template.xlsx", "")
	if code != 200 {
		t.Fatalf("template: %d", code)
	}
	rows, err := docs.Open(docs.File{Name: "t.xlsx", Data: []byte(body)}, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if h := rows.Header(); !slices.Equal(h, enforce.CaseSheetHeader) {
		t.Errorf("the template's columns %v, want %v", h, enforce.CaseSheetHeader)
	}
	if code, _ := e.do(e.login("enterprise"), "GET", "/enforce/cases/import/template.xlsx", ""); code != 403 {
		t.Errorf("an enterprise gets the template: %d", code)
	}
}
