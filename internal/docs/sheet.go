package docs

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
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

// ReadRows reads the first sheet of an .xlsx, or a .csv in UTF-8 (with or
// without BOM) or GB18030/GBK, into rows of trimmed strings. name decides
// the format by its extension; a file that is neither gets a Chinese error.
func ReadRows(name string, data []byte) ([][]string, error) {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".xlsx"):
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("无法读取 Excel 文件: %v", err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, fmt.Errorf("Excel 文件没有工作表")
		}
		rows, err := f.GetRows(sheets[0])
		if err != nil {
			return nil, fmt.Errorf("无法读取工作表 %s: %v", sheets[0], err)
		}
		return trimRows(rows), nil
	case strings.HasSuffix(lower, ".csv"):
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(data) {
			u, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
			if err != nil {
				return nil, fmt.Errorf("CSV 文件既不是 UTF-8 也不是 GBK 编码")
			}
			data = u
		}
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		rows, err := r.ReadAll()
		if err != nil {
			return nil, fmt.Errorf("CSV 格式错误: %v", err)
		}
		return trimRows(rows), nil
	}
	return nil, fmt.Errorf("只支持 .xlsx 或 .csv 文件")
}

func trimRows(rows [][]string) [][]string {
	for _, r := range rows {
		for i := range r {
			r[i] = strings.TrimSpace(r[i])
		}
	}
	return rows
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
