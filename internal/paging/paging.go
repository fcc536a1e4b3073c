// Package paging is the one page type every listing takes, and the one
// place its sizes are decided: a listing clamps the page it is asked for
// with Clamp and passes Limit and Offset to its SQL, never a bound of its
// own.
package paging

const (
	// Default is the size of a page that asks for no size, or for more
	// than Max.
	Default = 50
	// Max is the most rows one page of any listing returns; a caller that
	// needs everything walks the pages (or, in SQL, the keys) until one
	// comes back short.
	Max = 500
	// APIDefault is the size of an API page whose request names no limit
	// (the JSON API's documented default).
	APIDefault = 20
)

// Page is which slice of a listing to return: Limit rows from Offset.
type Page struct {
	Offset int
	Limit  int
}

// Clamp is the page a listing runs: an offset of at least 0 and a limit
// of 1 to Max, Default when p asks for none or for more than Max.
func (p Page) Clamp() Page { return p.ClampOr(Default) }

// ClampOr is Clamp with def instead of Default.
func (p Page) ClampOr(def int) Page {
	if p.Limit <= 0 || p.Limit > Max {
		p.Limit = def
	}
	p.Offset = max(p.Offset, 0)
	return p
}
