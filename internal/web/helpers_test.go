package web_test

import (
	"strconv"

	"anwei/internal/org"
)

func orgFilter(q string) org.UnitFilter { return org.UnitFilter{Q: q} }

func fmtID(id int64) string { return strconv.FormatInt(id, 10) }
