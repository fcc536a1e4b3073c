package org

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Level is an administrative level: 0 national, 1 province (2-digit code),
// 2 city (4), 3 county (6), 4 township/street (9).
type Level int

const (
	LevelNation Level = iota
	LevelProvince
	LevelCity
	LevelCounty
	LevelTownship
)

var levelNames = []string{"国家", "省级", "市级", "县级", "乡镇/街道"}

// Name is the level's Chinese name.
func (l Level) Name() string {
	if l < 0 || int(l) >= len(levelNames) {
		return ""
	}
	return levelNames[l]
}

// LevelOf returns the level of a region code by its length.
func LevelOf(code string) (Level, bool) {
	switch len(code) {
	case 0:
		return LevelNation, true
	case 2:
		return LevelProvince, true
	case 4:
		return LevelCity, true
	case 6:
		return LevelCounty, true
	case 9:
		return LevelTownship, true
	}
	return 0, false
}

// ParentCode returns the code of the region's parent ("" for a province).
func ParentCode(code string) string {
	switch len(code) {
	case 9:
		return code[:6]
	case 6:
		return code[:4]
	case 4:
		return code[:2]
	}
	return ""
}

// Region is one administrative division.
type Region struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Level      Level  `json:"level"`
	ParentCode string `json:"parent_code"`
	Active     bool   `json:"active"`             // false: 撤销
	Children   int    `json:"children,omitempty"` // filled by listings
}

//go:embed data/provinces.csv data/cities.csv data/areas.csv data/streets.csv
var divisionFiles embed.FS

var (
	nationOnce sync.Once
	nation     map[string]Region
	nationErr  error
)

// Divisions returns the embedded national division table, by code.
func Divisions() (map[string]Region, error) {
	nationOnce.Do(func() { nation, nationErr = loadDivisions() })
	return nation, nationErr
}

func loadDivisions() (map[string]Region, error) {
	out := make(map[string]Region, 45000)
	for _, f := range []string{"provinces", "cities", "areas", "streets"} {
		b, err := divisionFiles.ReadFile("data/" + f + ".csv")
		if err != nil {
			return nil, err
		}
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			return nil, fmt.Errorf("区划数据 %s: %w", f, err)
		}
		for _, r := range rows[1:] {
			code, name := r[0], r[1]
			lvl, ok := LevelOf(code)
			if !ok {
				return nil, fmt.Errorf("区划数据 %s: 代码 %q 长度不对", f, code)
			}
			out[code] = Region{Code: code, Name: name, Level: lvl, ParentCode: ParentCode(code), Active: true}
		}
	}
	return out, nil
}

// Subtree returns the root region, its ancestors and all its descendants,
// sorted by code: what a deployment rooted at root loads. An empty root is
// the whole nation.
func Subtree(root string) ([]Region, error) {
	all, err := Divisions()
	if err != nil {
		return nil, err
	}
	if root != "" {
		if _, ok := all[root]; !ok {
			return nil, fmt.Errorf("行政区划代码 %s 不存在", root)
		}
	}
	var out []Region
	for code, r := range all {
		if strings.HasPrefix(code, root) || strings.HasPrefix(root, code) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// OfficialName is the name a government of the region signs with:
// 济南市天桥区, 山东省, 北京市东城区 (a 市辖区 city is skipped), 济南市天桥区无影山街道.
func OfficialName(code string) string {
	all, err := Divisions()
	if err != nil {
		return code
	}
	r, ok := all[code]
	if !ok {
		return code
	}
	switch r.Level {
	case LevelProvince:
		return r.Name
	case LevelCity:
		if skipCity(r.Name) {
			return all[r.ParentCode].Name
		}
		return r.Name
	case LevelCounty:
		city := all[r.ParentCode]
		if skipCity(city.Name) {
			return all[city.ParentCode].Name + r.Name
		}
		return city.Name + r.Name
	case LevelTownship:
		return OfficialName(r.ParentCode) + r.Name
	}
	return r.Name
}

func skipCity(name string) bool {
	return name == "市辖区" || name == "县" || strings.Contains(name, "直辖")
}
