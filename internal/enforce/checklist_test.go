package enforce

import (
	"strings"
	"testing"
)

// TestChecklist: a 危化 enterprise with a major-hazard installation is
// checked against the 化工和危险化学品 standard's items first (verbatim,
// each a major hazard), then the law's general items, its dangerous goods,
// insurance and construction items and the installation's (Art. 101 (2));
// a restaurant gets the general items and its gas alarm, no 危化 item; no
// item twice; each cites its basis.
func TestChecklist(t *testing.T) {
	hc, err := Checklist([]string{"hazchem"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(hc) < 40 || !hc[0].Major || !strings.HasPrefix(hc[0].Key, "hg") || hc[len(hc)-1].Major {
		t.Fatalf("危化 checklist: %d items, first %+v", len(hc), hc[0])
	}
	keys := map[string]bool{}
	for _, c := range hc {
		if keys[c.Key] {
			t.Errorf("%s twice", c.Key)
		}
		keys[c.Key] = true
		if c.Basis == "" || c.Text == "" || (c.Major == (c.Violation != "")) {
			t.Errorf("item %+v", c)
		}
	}
	for _, k := range []string{"a97-1", "a101-1", "a101-2", "a109", "a98-1", "a102"} {
		if !keys[k] {
			t.Errorf("危化 checklist lacks %s", k)
		}
	}
	if keys["a99-8"] {
		t.Error("a 危化 plant is checked for a restaurant's gas alarm")
	}
	food, err := Checklist([]string{"small"}, false)
	if err != nil {
		t.Fatal(err)
	}
	var has998, major bool
	for _, c := range food {
		has998 = has998 || c.Key == "a99-8"
		major = major || c.Major || c.Key == "a101-2" || c.Key == "a109"
	}
	if !has998 || major || len(food) != len(generalItems)+1 {
		t.Errorf("a 九小场所's checklist: %d items, gas alarm %v, 危化/installation/insurance items %v", len(food), has998, major)
	}
}
