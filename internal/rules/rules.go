// Package rules holds the regulations and standards anwei computes with, as
// embedded tables and pure functions, each result carrying its basis
// (法规名称 + 条款) so the UI and `anwei rules` can cite it:
//
//   - GB 32100-2015 法人和其他组织统一社会信用代码编码规则: the check character;
//   - GB 18218-2018 危险化学品重大危险源辨识: Σq/Q, R = αΣβq/Q and the grade;
//   - GB/T 4754-2017 国民经济行业分类: the industry codes.
//
// Nothing here does I/O; the tables are read from the embedded data folder
// once. data/SOURCE.md records where each table comes from.
package rules

import (
	"embed"
	"encoding/csv"
	"fmt"
)

//go:embed data
var data embed.FS

// readTable reads an embedded CSV and returns its rows keyed by header.
func readTable(name string) ([]map[string]string, error) {
	f, err := data.Open("data/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("%s: empty", name)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			if i < len(r) {
				m[h] = r[i]
			}
		}
		out = append(out, m)
	}
	return out, nil
}
