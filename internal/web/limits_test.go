package web_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"

	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/risk"
)

// TestFormsStateTheLimits: every text limit of the organisation, the
// registry, hazards and risk points is stated in a form (maxlength, through
// orgMax, entMax, hazardMax or riskMax) — a limit the service enforces but
// the form hides would refuse what the browser let one type (issue 14.5).
// Fields no form types are named with their reason.
func TestFormsStateTheLimits(t *testing.T) {
	var all strings.Builder
	err := fs.WalkDir(os.DirFS("templates"), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile("templates/" + path)
		all.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	noForm := map[string]string{
		`orgMax "reason"`:     "a grant is made by the demo and the import, not typed",
		`riskMax "accidents"`: "the form ticks GB 6441's types; the limit bounds what the API sends",
	}
	for fn, limits := range map[string]map[string]int{"orgMax": org.Limits, "entMax": enterprise.Limits, "hazardMax": hazard.Limits, "riskMax": risk.Limits} {
		for field := range limits {
			call := fn + ` "` + field + `"`
			if _, ok := noForm[call]; !ok && !strings.Contains(all.String(), call) {
				t.Errorf("no form states %s (maxlength=\"{{%s}}\")", call, call)
			}
		}
	}
}
