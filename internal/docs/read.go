package docs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Limits on what reading one imported sheet may cost. A sheet is read as a
// stream: memory does not grow with its rows, and a row holds no more cells
// than its header has columns, however far to the right the file puts
// formatting or values.
const (
	// DefaultMaxRows is how many data rows an import reads unless
	// configured otherwise; a sheet with more is refused.
	DefaultMaxRows = 500000
	// MaxColumns is the widest header a sheet may have.
	MaxColumns = 256
	// MaxCellChars is the longest cell (Excel's own limit).
	MaxCellChars = 32767
	// MaxUnzipped is what an .xlsx may unpack to in all.
	MaxUnzipped = 256 << 20
	// MaxSharedText and MaxSharedStrings bound the shared string table,
	// the one part of an .xlsx held in memory whole (a register of 500,000
	// rows with unique names and addresses needs about a quarter of it).
	MaxSharedText    = 64 << 20
	MaxSharedStrings = 4 << 20
	// maxRun is the most XML read without a '<': a cell of MaxCellChars
	// written as character references, with room to spare. The decoder
	// returns a text run or a tag as one token, so a longer run would be
	// held whole in memory before any cell limit could see it.
	maxRun = 1 << 20
)

// File is an uploaded sheet: the name it came with (its extension decides
// the format) and its bytes, either in a file on disk or in memory.
type File struct {
	Name string
	Path string // the bytes are in this file, or
	Data []byte // in memory
}

// open returns the file's bytes as a ReaderAt with its size.
func (f File) open() (io.ReaderAt, int64, func() error, error) {
	if f.Path == "" {
		return bytes.NewReader(f.Data), int64(len(f.Data)), func() error { return nil }, nil
	}
	h, err := os.Open(f.Path)
	if err != nil {
		return nil, 0, nil, err
	}
	st, err := h.Stat()
	if err != nil {
		h.Close()
		return nil, 0, nil, err
	}
	return h, st.Size(), h.Close, nil
}

// Hash is the SHA-256 of the file's bytes, in hex.
func (f File) Hash() (string, error) {
	r, size, done, err := f.open()
	if err != nil {
		return "", err
	}
	defer done()
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(r, 0, size)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Rows is a sheet read row by row. Header is the first row (trimmed, up to
// its last non-empty cell); Next returns each following row that is not
// blank, with its line number in the file (the header is line 1), as
// trimmed cells as many as the header has, and io.EOF after the last.
// Errors other than io.EOF are in Chinese and name the row.
type Rows interface {
	Header() []string
	Next() (int, []string, error)
	Close() error
}

// Open reads an .xlsx (its first sheet) or a .csv in UTF-8 (with or without
// BOM) or GB18030/GBK, as the name's extension says. A sheet with more than
// maxRows non-blank data rows (0: DefaultMaxRows) fails at the row past the
// cap; a value to the right of the header's last column fails naming its
// row and column, while formatting there without a value is skipped.
func Open(f File, maxRows int) (Rows, error) {
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}
	lower := strings.ToLower(f.Name)
	var rows Rows
	var err error
	switch {
	case strings.HasSuffix(lower, ".xlsx"):
		rows, err = openXLSX(f, maxRows)
	case strings.HasSuffix(lower, ".csv"):
		rows, err = openCSV(f, maxRows)
	default:
		return nil, fmt.Errorf("只支持 .xlsx 或 .csv 文件")
	}
	if err != nil {
		return nil, err
	}
	if i := badCell(rows.Header()); i >= 0 {
		rows.Close()
		return nil, errBadText(1, i+1)
	}
	return textRows{rows}, nil
}

// textRows refuses a cell that is not UTF-8 or holds a NUL, naming it:
// SQLite would store it as it came and PostgreSQL refuses it.
type textRows struct{ Rows }

func (t textRows) Next() (int, []string, error) {
	line, row, err := t.Rows.Next()
	if i := badCell(row); err == nil && i >= 0 {
		return line, nil, errBadText(line, i+1)
	}
	return line, row, err
}

// badCell is the index of the first cell that is not UTF-8 or holds a NUL,
// or -1.
func badCell(row []string) int {
	for i, c := range row {
		if !utf8.ValidString(c) || strings.IndexByte(c, 0) >= 0 {
			return i
		}
	}
	return -1
}

func errBadText(line, col int) error {
	return fmt.Errorf("第%d行第%s列含有无效字符 (非 UTF-8 或 NUL)", line, colName(col))
}

// SliceRows is Rows over rows held in memory (rows[0] the header), for
// generated sheets; it applies no cap.
func SliceRows(rows [][]string) Rows {
	s := &sliceRows{rows: rows}
	if len(rows) > 0 {
		s.header = rows[0]
	}
	return s
}

type sliceRows struct {
	rows   [][]string
	header []string
	i      int
}

func (s *sliceRows) Header() []string { return s.header }
func (s *sliceRows) Close() error     { return nil }
func (s *sliceRows) Next() (int, []string, error) {
	for s.i+1 < len(s.rows) {
		s.i++
		if !blank(s.rows[s.i]) {
			return s.i + 1, s.rows[s.i], nil
		}
	}
	return 0, nil, io.EOF
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// sheetWidth is the header's width: up to its last non-empty cell.
func sheetWidth(header []string) int {
	n := len(header)
	for n > 0 && header[n-1] == "" {
		n--
	}
	return n
}

// colName is a column's letters (1 → A).
func colName(col int) string {
	s, err := excelize.ColumnNumberToName(col)
	if err != nil {
		return fmt.Sprint(col)
	}
	return s
}

// errOutside is a value to the right of the header.
func errOutside(line, col, width int) error {
	if line == 1 {
		return fmt.Errorf("第1行第%s列: 表头最多 %d 列", colName(col), MaxColumns)
	}
	return fmt.Errorf("第%d行第%s列有内容，但表头 (第1行) 只有 %d 列；请删除表头以外的内容后再导入", line, colName(col), width)
}

// errTooMany is a sheet past the row cap.
func errTooMany(line, maxRows int) error {
	return fmt.Errorf("文件的数据超过 %d 行 (第%d行)，请分成多个文件导入", maxRows, line)
}

// errLongCell is a cell past MaxCellChars.
func errLongCell(line, col int) error {
	return fmt.Errorf("第%d行第%s列超过 %d 个字符", line, colName(col), MaxCellChars)
}
