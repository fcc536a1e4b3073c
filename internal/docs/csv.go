package docs

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// csvRows reads a CSV field by field, so a row keeps no more cells than the
// header has columns however many commas it carries. Quotes are read
// leniently (a stray quote is taken as text), as Excel and WPS write them.
type csvRows struct {
	done           func() error
	in             *bufio.Reader
	header         []string
	width          int
	maxRows, count int
	rec            int // records read; the line numbers of the rows
	field          []byte
}

func openCSV(f File, maxRows int) (Rows, error) {
	r, size, done, err := f.open()
	if err != nil {
		return nil, err
	}
	utf, err := validUTF8(io.NewSectionReader(r, 0, size))
	if err != nil {
		done()
		return nil, err
	}
	var in io.Reader = io.NewSectionReader(r, 0, size)
	br := bufio.NewReaderSize(in, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	if !utf {
		br = bufio.NewReaderSize(simplifiedchinese.GB18030.NewDecoder().Reader(br), 64<<10)
	}
	c := &csvRows{done: done, in: br, maxRows: maxRows}
	for {
		row, empty, err := c.record(MaxColumns)
		if err == io.EOF {
			break
		}
		if err != nil {
			done()
			return nil, err
		}
		if !empty {
			c.header = row
			c.width = sheetWidth(row)
			c.header = c.header[:c.width]
			break
		}
	}
	return c, nil
}

// validUTF8 reads r through and reports whether it is UTF-8.
func validUTF8(r io.Reader) (bool, error) {
	buf := make([]byte, 64<<10)
	carry := 0
	for {
		n, err := r.Read(buf[carry:])
		n += carry
		end := n
		// Hold back an incomplete sequence at the end for the next read.
		for i := n - 1; i >= 0 && i >= n-utf8.UTFMax+1; i-- {
			if utf8.RuneStart(buf[i]) {
				if !utf8.FullRune(buf[i:n]) {
					end = i
				}
				break
			}
		}
		if err == io.EOF {
			end = n
		}
		if !utf8.Valid(buf[:end]) {
			return false, nil
		}
		carry = copy(buf, buf[end:n])
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return false, err
		}
	}
}

func (c *csvRows) Header() []string { return c.header }
func (c *csvRows) Close() error     { return c.done() }

func (c *csvRows) Next() (int, []string, error) {
	for {
		row, empty, err := c.record(c.width)
		if err != nil {
			return 0, nil, err
		}
		if empty {
			continue
		}
		if blank(row) {
			continue
		}
		if c.count++; c.count > c.maxRows {
			return 0, nil, errTooMany(c.rec, c.maxRows)
		}
		for len(row) < c.width {
			row = append(row, "")
		}
		return c.rec, row, nil
	}
}

// record reads one record, keeping its first keep fields (trimmed); a
// non-empty field past them is an error naming it. empty is an empty line,
// which does not count as a record.
func (c *csvRows) record(keep int) (row []string, empty bool, err error) {
	line := c.rec + 1
	col := 0
	for {
		if col == 0 {
			p, err := c.in.Peek(2)
			switch {
			case len(p) == 0 && err == io.EOF:
				return nil, false, io.EOF
			case len(p) == 0:
				return nil, false, readErr(err)
			case p[0] == '\n':
				_, _ = c.in.Discard(1)
				return nil, true, nil
			case len(p) == 2 && p[0] == '\r' && p[1] == '\n':
				_, _ = c.in.Discard(2)
				return nil, true, nil
			}
		}
		col++
		last, err := c.readField(line, col)
		if err != nil {
			return nil, false, err
		}
		v := strings.TrimSpace(unsafeCell(string(c.field)))
		if col <= keep {
			row = append(row, v)
		} else if v != "" {
			if keep == MaxColumns {
				line = 1
			}
			return nil, false, errOutside(line, col, keep)
		}
		if last {
			c.rec++
			return row, false, nil
		}
	}
}

// eol consumes the \n of a \r\n and reports whether there was one.
func (c *csvRows) eol() bool {
	if p, _ := c.in.Peek(1); len(p) == 1 && p[0] == '\n' {
		_, _ = c.in.Discard(1)
		return true
	}
	return false
}

// readField reads one field into c.field; last says the record ended with it.
func (c *csvRows) readField(line, col int) (last bool, err error) {
	c.field = c.field[:0]
	add := func(b byte) error {
		if len(c.field) >= 4*MaxCellChars {
			return errLongCell(line, col)
		}
		c.field = append(c.field, b)
		return nil
	}
	quoted := false
	if p, _ := c.in.Peek(1); len(p) == 1 && p[0] == '"' {
		_, _ = c.in.Discard(1)
		quoted = true
	}
	for {
		b, err := c.in.ReadByte()
		if err == io.EOF {
			return true, c.checkLen(line, col)
		}
		if err != nil {
			return false, readErr(err)
		}
		switch {
		case quoted && b == '"':
			n, err := c.in.ReadByte()
			switch {
			case err == io.EOF:
				return true, c.checkLen(line, col)
			case err != nil:
				return false, readErr(err)
			case n == '"':
				err = add('"')
			case n == ',':
				return false, c.checkLen(line, col)
			case n == '\n':
				return true, c.checkLen(line, col)
			case n == '\r' && c.eol():
				return true, c.checkLen(line, col)
			default: // a stray quote: text, and the field goes on
				_ = c.in.UnreadByte()
				err = add('"')
			}
			if err != nil {
				return false, err
			}
		case !quoted && b == ',':
			return false, c.checkLen(line, col)
		case !quoted && b == '\n':
			return true, c.checkLen(line, col)
		case !quoted && b == '\r' && c.eol():
			return true, c.checkLen(line, col)
		default:
			if err := add(b); err != nil {
				return false, err
			}
		}
	}
}

func (c *csvRows) checkLen(line, col int) error {
	if utf8.RuneCount(c.field) > MaxCellChars {
		return errLongCell(line, col)
	}
	return nil
}

// readErr is a read failure; an undecodable byte means neither encoding.
func readErr(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("CSV 文件不完整")
	}
	return fmt.Errorf("CSV 文件既不是 UTF-8 也不是 GBK 编码: %v", err)
}
