package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"anwei/internal/paging"
)

// listSize is how many rows a page of an HTML listing shows.
const listSize = 20

// list is the body of every listing: the page of items and the total.
type list[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

func newList[T any](items []T, total int, p paging.Page) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, Total: total, Offset: p.Offset, Limit: p.Limit}
}

// apiPage reads offset and limit (default paging.APIDefault, at most
// paging.Max).
func apiPage(r *http.Request) paging.Page {
	q := r.URL.Query()
	off, _ := strconv.Atoi(q.Get("offset"))
	lim, _ := strconv.Atoi(q.Get("limit"))
	return paging.Page{Offset: off, Limit: lim}.ClampOr(paging.APIDefault)
}

// pager is the pagination of a listing.
type pager struct {
	Page, Size, Total, Pages int
	Query                    url.Values
}

// pageSizes are the page sizes a person may choose (?size=) instead of a
// listing's own (issue 16.4).
var pageSizes = []int{20, 50, 100}

// sizeOf is the page size the request asks for, if it is one of
// pageSizes, else the listing's own.
func sizeOf(r *http.Request, size int) int {
	if n, err := strconv.Atoi(r.URL.Query().Get("size")); err == nil && slices.Contains(pageSizes, n) {
		return n
	}
	return size
}

func newPager(r *http.Request, size, total int) pager {
	size = sizeOf(r, size)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	pages := max(1, (total+size-1)/size)
	page = min(max(page, 1), pages)
	return pager{Page: page, Size: size, Total: total, Pages: pages, Query: r.URL.Query()}
}

func pageOf(r *http.Request, size int) paging.Page {
	size = sizeOf(r, size)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	return paging.Page{Offset: (max(page, 1) - 1) * size, Limit: size}
}

// Link returns the query string for page n, keeping the filters.
func (p pager) Link(n int) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return "?" + q.Encode()
}

// Sizes are the page sizes to offer, with the link to each (first page).
func (p pager) Sizes() []struct {
	Size    int
	Link    string
	Current bool
} {
	var out []struct {
		Size    int
		Link    string
		Current bool
	}
	for _, n := range pageSizes {
		q := url.Values{}
		for k, v := range p.Query {
			q[k] = v
		}
		q.Set("size", strconv.Itoa(n))
		q.Del("page")
		out = append(out, struct {
			Size    int
			Link    string
			Current bool
		}{n, "?" + q.Encode(), n == p.Size})
	}
	return out
}

// Keep are the query's other fields, for the page-jump form to send again.
func (p pager) Keep() url.Values {
	q := url.Values{}
	for k, v := range p.Query {
		if k != "page" {
			q[k] = v
		}
	}
	return q
}

// Prev and Next are the neighbouring pages (0 if none).
func (p pager) Prev() int {
	if p.Page > 1 {
		return p.Page - 1
	}
	return 0
}

func (p pager) Next() int {
	if p.Page < p.Pages {
		return p.Page + 1
	}
	return 0
}

// sortOf is the order a listing's page or API request asks for:
// ?sort=<key>&desc=1 (issue 16.4). The listing's service checks the key
// against its paging.Orders and refuses an unknown one (422, field sort).
func sortOf(r *http.Request) paging.Sort {
	q := r.URL.Query()
	return paging.Sort{Key: q.Get("sort"), Desc: q.Get("desc") == "1"}
}

// sortHead is a sortable column heading: its label, the link that sorts by
// its key (ascending, or the other way when it is the current order,
// keeping the filters and the page size, from the first page) and the
// arrow of the current order.
type sortHead struct {
	Label, Link, Arrow, Aria string
}

// SortBy is the heading of the column sorted by key.
func (p pager) SortBy(key, label string) sortHead {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Del("page")
	cur := p.Query.Get("sort") == key
	desc := p.Query.Get("desc") == "1"
	q.Set("sort", key)
	q.Del("desc")
	if cur && !desc {
		q.Set("desc", "1")
	}
	h := sortHead{Label: label, Link: "?" + q.Encode()}
	if cur {
		h.Arrow = map[bool]string{false: "↑", true: "↓"}[desc]
		h.Aria = map[bool]string{false: "ascending", true: "descending"}[desc]
	}
	return h
}
