package rules

import (
	"slices"
	"testing"
)

// TestEveryTable3GasHasItsBeta: each toxic gas of GB 18218-2018 表3 that 表1
// lists — under its name, a qualified name such as 氯化氢(无水), an alias or
// its CAS number — is graded with its 表3 β and needs no hazard category.
// 一氧化碳 is the one 表3 gas 表1 does not list (煤气 is a mixture): it is
// given by its 表2 category.
func TestEveryTable3GasHasItsBeta(t *testing.T) {
	t3, err := readTable("gb18218_table3_beta_toxic_gas.csv")
	if err != nil {
		t.Fatal(err)
	}
	chems, err := Chemicals()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range t3 {
		gas, beta := r["toxic_gas_name_cn"], num(r["beta"])
		var c *Chemical
		for i := range chems {
			if chems[i].Category == "" && (slices.Contains(nameForms(chems[i].Name), gas) || slices.Contains(chems[i].Aliases, gas)) {
				c = &chems[i]
			}
		}
		if c == nil {
			if gas != "一氧化碳" {
				t.Errorf("表3 %s: not found in 表1", gas)
			}
			continue
		}
		for _, given := range append(append([]string{c.Name, gas}, c.Aliases...), c.CAS...) {
			m, err := ComputeMajorSource([]Holding{{Chemical: given, Tonnes: c.Q}}, 10)
			if err != nil {
				t.Errorf("%s given as %q: %v", gas, given, err)
				continue
			}
			if l := m.Lines[0]; l.Beta != beta || l.BetaFrom != "表3" {
				t.Errorf("%s given as %q: β %v from %q, want %v from 表3", gas, given, l.Beta, l.BetaFrom, beta)
			}
		}
	}
}
