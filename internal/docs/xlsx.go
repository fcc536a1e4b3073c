package docs

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// xlsxRows reads a worksheet's XML token by token. A cell is kept only when
// it carries a value and lies within the header; empty cells, styled or
// not, cost nothing however far right they sit. (excelize's Rows.Columns
// pads every row with an empty string per column up to its rightmost
// value: a cell at XFD costs 16,384 strings.)
type xlsxRows struct {
	done           func() error
	part           io.ReadCloser
	dec            *xml.Decoder
	strs           *sharedStrings
	dates          []bool // by style index: a date format
	date1904       bool
	header         []string
	width          int
	maxRows, count int
	line           int // the last row's number
	cells          []xcell
	pending        *pendingRow
	text           []byte
}

// pendingRow is a data row read while looking for the header.
type pendingRow struct {
	line  int
	cells []xcell
}

// xcell is a cell with a value.
type xcell struct {
	col int
	val string
}

func openXLSX(f File, maxRows int) (Rows, error) {
	r, size, done, err := f.open()
	if err != nil {
		return nil, err
	}
	x, err := readXLSX(r, size, maxRows)
	if err != nil {
		done()
		return nil, err
	}
	x.done = done
	return x, nil
}

// readXLSX opens the workbook, reads its shared strings and styles, and the
// first sheet's header.
func readXLSX(r io.ReaderAt, size int64, maxRows int) (*xlsxRows, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("无法读取 Excel 文件: 不是有效的 .xlsx")
	}
	parts := map[string]*zip.File{}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > MaxUnzipped {
			return nil, fmt.Errorf("Excel 文件解压后超过 %d MB，请分成多个文件导入", MaxUnzipped>>20)
		}
		parts[strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(zf.Name, "\\", "/"), "/"))] = zf
	}
	x := &xlsxRows{maxRows: maxRows}
	sheet, err := firstSheet(parts, &x.date1904)
	if err != nil {
		return nil, err
	}
	if x.dates, err = dateStyles(parts["xl/styles.xml"]); err != nil {
		return nil, err
	}
	if x.strs, err = readSharedStrings(parts["xl/sharedstrings.xml"]); err != nil {
		return nil, err
	}
	if x.part, err = sheet.Open(); err != nil {
		return nil, badZip(err)
	}
	x.dec = xml.NewDecoder(&runLimit{r: x.part})
	for {
		line, cells, err := x.row(MaxColumns)
		if err == io.EOF {
			break
		}
		if err != nil {
			x.part.Close()
			return nil, err
		}
		if line == 1 {
			x.header = make([]string, 0, len(cells))
			for _, c := range cells {
				for len(x.header) < c.col-1 {
					x.header = append(x.header, "")
				}
				x.header = append(x.header, c.val)
			}
			x.width = sheetWidth(x.header)
			x.header = x.header[:x.width]
			break
		}
		if len(cells) > 0 { // data before any header: the header is blank
			x.pending = &pendingRow{line, append([]xcell(nil), cells...)}
			break
		}
	}
	return x, nil
}

func (x *xlsxRows) Header() []string { return x.header }

func (x *xlsxRows) Close() error {
	err := x.part.Close()
	if derr := x.done(); err == nil {
		err = derr
	}
	return err
}

func (x *xlsxRows) Next() (int, []string, error) {
	for {
		var line int
		var cells []xcell
		if x.pending != nil {
			line, cells = x.pending.line, x.pending.cells
			x.pending = nil
			for _, c := range cells {
				if c.col > x.width {
					return 0, nil, errOutside(line, c.col, x.width)
				}
			}
		} else {
			var err error
			if line, cells, err = x.row(x.width); err != nil {
				return 0, nil, err
			}
		}
		if len(cells) == 0 {
			continue
		}
		if x.count++; x.count > x.maxRows {
			return 0, nil, errTooMany(line, x.maxRows)
		}
		row := make([]string, x.width)
		for _, c := range cells {
			row[c.col-1] = c.val
		}
		return line, row, nil
	}
}

// row reads the next row element: its number and its cells with a value
// (x.cells, reused). A value right of column keep is an error.
func (x *xlsxRows) row(keep int) (int, []xcell, error) {
	for {
		tok, err := x.dec.RawToken()
		if err == io.EOF {
			return 0, nil, io.EOF
		}
		if err != nil {
			return 0, nil, badXML(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				return 0, nil, io.EOF
			}
		case xml.StartElement:
			if t.Name.Local != "row" {
				continue
			}
			line := x.line + 1
			if v, ok := attr(t, "r"); ok {
				if line, err = strconv.Atoi(v); err != nil || line < 1 {
					return 0, nil, fmt.Errorf("Excel 文件的行号「%s」无效", v)
				}
			}
			if line > excelize.TotalRows {
				return 0, nil, fmt.Errorf("第%d行超出 Excel 的最大行数", line)
			}
			x.line = line
			x.cells = x.cells[:0]
			if err := x.rowCells(line, keep); err != nil {
				return 0, nil, err
			}
			return line, x.cells, nil
		}
	}
}

// rowCells reads a row's cells up to its end tag.
func (x *xlsxRows) rowCells(line, keep int) error {
	col := 0
	for {
		tok, err := x.dec.RawToken()
		if err != nil {
			return badXML(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Local == "row" {
				return nil
			}
		case xml.StartElement:
			if t.Name.Local != "c" {
				continue
			}
			col++
			if ref, ok := attr(t, "r"); ok {
				if col, _, err = excelize.CellNameToCoordinates(ref); err != nil {
					return fmt.Errorf("第%d行的单元格「%s」无效", line, ref)
				}
			}
			val, err := x.cellValue(t, line, col)
			if err != nil {
				return err
			}
			if val == "" {
				continue
			}
			if col > keep {
				return errOutside(line, col, x.width)
			}
			x.cells = append(x.cells, xcell{col, val})
		}
	}
}

// cellValue reads a cell up to its end tag and returns its trimmed value as
// Excel shows it: shared and inline strings, TRUE/FALSE, numbers without
// float noise, dates as 2006-01-02.
func (x *xlsxRows) cellValue(start xml.StartElement, line, col int) (string, error) {
	typ, _ := attr(start, "t")
	style := -1
	if v, ok := attr(start, "s"); ok {
		style, _ = strconv.Atoi(v)
	}
	var v, inline string
	var hasInline bool
	for {
		tok, err := x.dec.RawToken()
		if err != nil {
			return "", badXML(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Local == "c" {
				return x.value(typ, style, v, inline, hasInline, line, col)
			}
		case xml.StartElement:
			switch t.Name.Local {
			case "v":
				if v, err = x.textUntil("v", line, col); err != nil {
					return "", err
				}
			case "is":
				hasInline = true
				if inline, err = x.richText("is", line, col); err != nil {
					return "", err
				}
			}
		}
	}
}

func (x *xlsxRows) value(typ string, style int, v, inline string, hasInline bool, line, col int) (string, error) {
	switch typ {
	case "s":
		if strings.TrimSpace(v) == "" {
			return "", nil
		}
		i, err := strconv.Atoi(strings.TrimSpace(v))
		s, ok := x.strs.get(i)
		if err != nil || !ok {
			return "", fmt.Errorf("第%d行第%s列引用了不存在的共享字符串", line, colName(col))
		}
		return strings.TrimSpace(s), nil
	case "inlineStr":
		if hasInline {
			return strings.TrimSpace(inline), nil
		}
	case "b":
		switch strings.TrimSpace(v) {
		case "1":
			return "TRUE", nil
		case "0":
			return "FALSE", nil
		}
	case "d":
		d, _, _ := strings.Cut(strings.TrimSpace(v), "T")
		return d, nil
	case "", "n":
		return x.number(strings.TrimSpace(v), style), nil
	}
	return strings.TrimSpace(v), nil
}

// number is a numeric cell as Excel shows it in the General format (15
// significant digits), or as a date when its style is one.
func (x *xlsxRows) number(v string, style int) string {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return v
	}
	if style >= 0 && style < len(x.dates) && x.dates[style] {
		if t, err := excelize.ExcelDateToTime(f, x.date1904); err == nil {
			return t.Format("2006-01-02")
		}
	}
	f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// textUntil collects the text up to the end tag of name.
func (x *xlsxRows) textUntil(name string, line, col int) (string, error) {
	x.text = x.text[:0]
	for {
		tok, err := x.dec.RawToken()
		if err != nil {
			return "", badXML(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if x.text = append(x.text, t...); len(x.text) > 4*MaxCellChars {
				return "", errLongCell(line, col)
			}
		case xml.EndElement:
			if t.Name.Local == name {
				if utf8.RuneCount(x.text) > MaxCellChars {
					return "", errLongCell(line, col)
				}
				return string(x.text), nil
			}
		}
	}
}

// richText collects the <t> texts (not the phonetic <rPh> runs) up to the
// end tag of name.
func (x *xlsxRows) richText(name string, line, col int) (string, error) {
	b, err := x.appendRich(nil, name, line, col)
	return string(b), err
}

// appendRich appends the <t> texts (not the phonetic <rPh> runs) up to the
// end tag of name to dst, refusing more than 4×MaxCellChars bytes.
func (x *xlsxRows) appendRich(dst []byte, name string, line, col int) ([]byte, error) {
	start, phonetic, inText := len(dst), 0, false
	for {
		tok, err := x.dec.RawToken()
		if err != nil {
			return dst, badXML(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "rPh":
				phonetic++
			case "t":
				inText = phonetic == 0
			}
		case xml.CharData:
			if inText {
				if dst = append(dst, t...); len(dst)-start > 4*MaxCellChars {
					return dst, errLongCell(line, col)
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "rPh":
				phonetic--
			case "t":
				inText = false
			case name:
				if utf8.RuneCount(dst[start:]) > MaxCellChars {
					return dst, errLongCell(line, col)
				}
				return dst, nil
			}
		}
	}
}

func attr(t xml.StartElement, name string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// badZip is the error of a part the zip cannot open (a damaged entry, an
// unknown compression).
func badZip(err error) error {
	return fmt.Errorf("无法读取 Excel 文件: 压缩包内容损坏 (%v)", err)
}

func badXML(err error) error {
	return fmt.Errorf("无法读取 Excel 文件: 工作表内容损坏 (%v)", err)
}

// firstSheet finds the workbook's first sheet, and whether its dates count
// from 1904.
func firstSheet(parts map[string]*zip.File, date1904 *bool) (*zip.File, error) {
	none := fmt.Errorf("Excel 文件没有工作表")
	var rid string
	err := scanPart(parts["xl/workbook.xml"], func(t xml.StartElement) bool {
		switch t.Name.Local {
		case "workbookPr":
			v, _ := attr(t, "date1904")
			*date1904 = v == "1" || v == "true"
		case "sheet":
			for _, a := range t.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" {
					rid = a.Value
				}
			}
			return false
		}
		return true
	})
	if err != nil || rid == "" {
		return nil, none
	}
	var target string
	err = scanPart(parts["xl/_rels/workbook.xml.rels"], func(t xml.StartElement) bool {
		if id, _ := attr(t, "Id"); t.Name.Local == "Relationship" && id == rid {
			target, _ = attr(t, "Target")
			return false
		}
		return true
	})
	if err != nil || target == "" {
		return nil, none
	}
	if strings.HasPrefix(target, "/") {
		target = strings.TrimPrefix(target, "/")
	} else {
		target = path.Join("xl", target)
	}
	sheet := parts[strings.ToLower(target)]
	if sheet == nil {
		return nil, none
	}
	return sheet, nil
}

// scanPart calls fn with each start element of a part until fn returns
// false. A missing part is an error.
func scanPart(zf *zip.File, fn func(xml.StartElement) bool) error {
	if zf == nil {
		return fmt.Errorf("缺少 %s", "part")
	}
	rc, err := zf.Open()
	if err != nil {
		return badZip(err)
	}
	defer rc.Close()
	dec := xml.NewDecoder(&runLimit{r: rc})
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return badXML(err)
		}
		if t, ok := tok.(xml.StartElement); ok && !fn(t) {
			return nil
		}
	}
}

// maxStyles is how many cell formats are read (Excel allows 64,000).
const maxStyles = 65536

// dateStyles says for each cell format (by index) whether it shows a date.
func dateStyles(zf *zip.File) ([]bool, error) {
	if zf == nil {
		return nil, nil
	}
	custom := map[string]bool{}
	var dates []bool
	inXfs := false
	err := scanPart(zf, func(t xml.StartElement) bool {
		switch t.Name.Local {
		case "numFmt":
			id, _ := attr(t, "numFmtId")
			code, _ := attr(t, "formatCode")
			custom[id] = dateFormat(code)
		case "cellXfs":
			inXfs = true
		case "cellStyles", "dxfs":
			return false
		case "xf":
			if inXfs {
				id, _ := attr(t, "numFmtId")
				n, _ := strconv.Atoi(id)
				d, ok := custom[id]
				if !ok {
					d = n >= 14 && n <= 17 || n == 22 || n >= 27 && n <= 36 || n >= 50 && n <= 58
				}
				dates = append(dates, d)
				return len(dates) < maxStyles
			}
		}
		return true
	})
	return dates, err
}

// dateFormat reports whether a number format code shows a date: it has a
// year or day outside quoted text, brackets and escapes.
func dateFormat(code string) bool {
	if strings.EqualFold(code, "General") {
		return false
	}
	quoted, bracket, escaped := false, false, false
	for _, r := range strings.ToLower(code) {
		switch {
		case escaped:
			escaped = false
		case quoted:
			quoted = r != '"'
		case bracket:
			bracket = r != ']'
		case r == '\\':
			escaped = true
		case r == '"':
			quoted = true
		case r == '[':
			bracket = true
		case r == 'y' || r == 'd':
			return true
		}
	}
	return false
}

// sharedStrings is the shared string table: its texts one after another,
// and where each ends.
type sharedStrings struct {
	text []byte
	ends []uint32
}

func (s *sharedStrings) get(i int) (string, bool) {
	if s == nil || i < 0 || i >= len(s.ends) {
		return "", false
	}
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return string(s.text[start:s.ends[i]]), true
}

// readSharedStrings reads the table into one buffer (its texts without
// the XML around them).
func readSharedStrings(zf *zip.File) (*sharedStrings, error) {
	s := &sharedStrings{}
	if zf == nil {
		return s, nil
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, badZip(err)
	}
	defer rc.Close()
	// The text is shorter than the part's XML: one allocation of at most
	// MaxSharedText (and the one string or token that may pass it before
	// the check) instead of a copy at every growth.
	s.text = make([]byte, 0, min(zf.UncompressedSize64, MaxSharedText+4*MaxCellChars+maxRun))
	x := &xlsxRows{dec: xml.NewDecoder(&runLimit{r: rc})}
	for {
		tok, err := x.dec.RawToken()
		if err == io.EOF {
			return s, nil
		}
		if err != nil {
			return nil, badXML(err)
		}
		if t, ok := tok.(xml.StartElement); ok && t.Name.Local == "si" {
			if s.text, err = x.appendRich(s.text, "si", 0, 0); err != nil {
				return nil, fmt.Errorf("Excel 文件的共享字符串超过 %d 个字符", MaxCellChars)
			}
			if len(s.text) > MaxSharedText || len(s.ends) >= MaxSharedStrings {
				return nil, fmt.Errorf("Excel 文件的共享字符串超过 %d MB 或 %d 个，请分成多个文件导入", MaxSharedText>>20, MaxSharedStrings)
			}
			s.ends = append(s.ends, uint32(len(s.text)))
		}
	}
}

// runLimit fails a part whose XML runs longer than maxRun bytes without a
// '<' (one text run or one tag), before the decoder buffers it whole.
type runLimit struct {
	r   io.Reader
	run int
}

func (l *runLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, b := range p[:n] {
		if b == '<' {
			l.run = 0
		} else if l.run++; l.run > maxRun {
			return 0, fmt.Errorf("Excel 文件含有超过 %d MB 的连续文本，无法读取", maxRun>>20)
		}
	}
	return n, err
}
