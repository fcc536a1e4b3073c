package plan

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

// clauseCase is a row of testdata/clauses.json: a responsibility clause as
// printed, the units a careful reader takes from it, and where it comes
// from (a published plan's address, or "made up" for a family's pattern
// the issue names). family lists issue 21's families it exercises: 1 等/和
// endings, 2 shared heads, 3 parenthesised alternatives, 4 organ lists
// under one prefix. optional units are neither required nor refused.
type clauseCase struct {
	Clause   string   `json:"clause"`
	Lead     []string `json:"lead"`
	Support  []string `json:"support"`
	Optional []string `json:"optional"`
	Source   string   `json:"source"`
	Family   []int    `json:"family"`
}

// TestClauseTable reads every clause of the table and reports the share
// read exactly right (lead and support as sets, optional units aside);
// every one must be.
func TestClauseTable(t *testing.T) {
	b, err := os.ReadFile("testdata/clauses.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []clauseCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	right := 0
	for _, c := range cases {
		lead, support := unitsOf(normalizer.Replace(c.Clause))
		drop := func(us []string) []string {
			return slices.DeleteFunc(slices.Clone(us), func(u string) bool { return slices.Contains(c.Optional, u) })
		}
		if sameSet(drop(lead), c.Lead) && sameSet(drop(support), c.Support) {
			right++
			continue
		}
		t.Errorf("%s\n  lead %q, want %q\n  support %q, want %q\n  (%s)", c.Clause, lead, c.Lead, support, c.Support, c.Source)
	}
	t.Logf("clause table: %d of %d clauses exactly right (%.3f)", right, len(cases), float64(right)/float64(len(cases)))
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// FuzzUnits: any clause reads without panicking into units that are not
// empty, hold no separator of the list they came from, and are not both
// lead and support.
func FuzzUnits(f *testing.F) {
	b, err := os.ReadFile("testdata/clauses.json")
	if err != nil {
		f.Fatal(err)
	}
	var cases []clauseCase
	if err := json.Unmarshal(b, &cases); err != nil {
		f.Fatal(err)
	}
	for _, c := range cases {
		f.Add(c.Clause)
	}
	f.Add("各(")
	f.Add("等、和及,会同")
	f.Fuzz(func(t *testing.T, clause string) {
		lead, support := unitsOf(normalizer.Replace(clause))
		for _, u := range append(append([]string{}, lead...), support...) {
			if u == "" || strings.ContainsAny(u, "、,;") {
				t.Errorf("%q gave the unit %q", clause, u)
			}
		}
		for _, u := range lead {
			if slices.Contains(support, u) {
				t.Errorf("%q: %q both leads and supports", clause, u)
			}
		}
	})
}
