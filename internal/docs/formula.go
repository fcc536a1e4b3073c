package docs

import "strings"

// Formula injection: a spreadsheet program runs a CSV cell that starts with
// = + - @ (or a tab or carriage return before one) as a formula —
// =HYPERLINK(…) or a DDE call in a rejected row sent back to the office
// that imported it. Every CSV the app writes passes its cells through
// SafeCell; the .xlsx writer (Sheet.XLSX) writes every cell as a string,
// which Excel and WPS show as text, never as a formula.

// Formula reports whether a spreadsheet program would take the CSV cell
// s for a formula.
func Formula(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// SafeCell is s written so a spreadsheet program shows it as text: with a
// leading apostrophe when it would be a formula. The CSV reader (Open)
// takes one such apostrophe off again, so a rejects file edited and
// imported again reads as first written; a cell that already starts with
// apostrophes before a formula gets one more, so it too reads back as it
// was.
func SafeCell(s string) string {
	if Formula(strings.TrimLeft(s, "'")) {
		return "'" + s
	}
	return s
}

// SafeCells is SafeCell of every cell, in a new slice.
func SafeCells(row []string) []string {
	out := make([]string, len(row))
	for i, s := range row {
		out[i] = SafeCell(s)
	}
	return out
}

// unsafeCell takes off the apostrophe SafeCell put before a formula.
func unsafeCell(s string) string {
	if strings.HasPrefix(s, "'") && Formula(strings.TrimLeft(s, "'")) {
		return s[1:]
	}
	return s
}
