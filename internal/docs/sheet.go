package docs

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Sheet is a table to write as .xlsx: a header row and string rows.
type Sheet struct {
	Name   string
	Header []string
	Widths []float64 // column widths in characters; 0 or missing means 14
	Rows   [][]string
}

// XLSX writes the sheet as an Excel workbook with a bold, frozen header row.
func (s Sheet) XLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	name := s.Name
	if name == "" {
		name = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF6"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i := range s.Header {
		wd := 14.0
		if i < len(s.Widths) && s.Widths[i] > 0 {
			wd = s.Widths[i]
		}
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := func(n int, vals []string, style int) error {
		cells := make([]any, len(vals))
		for i, v := range vals {
			cells[i] = excelize.Cell{Value: v, StyleID: style}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, cells)
	}
	if err := row(1, s.Header, bold); err != nil {
		return err
	}
	for i, r := range s.Rows {
		if err := row(i+2, r, wrap); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// Columns maps header names to column indexes; a header missing from the
// first row is an error naming it.
func Columns(header []string, want ...string) (map[string]int, error) {
	at := map[string]int{}
	for i, h := range header {
		at[strings.TrimSpace(h)] = i
	}
	var missing []string
	for _, w := range want {
		if _, ok := at[w]; !ok {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("第1行缺少列: %s", strings.Join(missing, "、"))
	}
	return at, nil
}

// Cell returns row[i], or "" when the row is short.
func Cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}
