package paging

import (
	"fmt"
	"slices"
	"strings"
)

// Sort is the order a listing is asked for (?sort=<key>&desc=1 on a page
// and in the API): one of the listing's Orders keys, ascending unless Desc.
// The zero Sort is the listing's own order.
type Sort struct {
	Key  string
	Desc bool
}

// Orders are the keys a listing may be sorted by, each mapped to the SQL
// expression it orders by. The keys are the whole whitelist: what a
// request names is looked up here and never put into SQL itself. An
// expression must never be NULL (SQLite and PostgreSQL put NULLs at
// opposite ends): COALESCE it. One expression each: the direction is
// written after it.
type Orders map[string]string

// By is the ORDER BY list (without the keywords) for s: the key's
// expression, then tie (the listing's id) in the same direction, so that
// equal values keep one order from page to page; def when s names no key.
// An unknown key is an error naming the keys there are.
func (o Orders) By(s Sort, def, tie string) (string, error) {
	if s.Key == "" {
		return def, nil
	}
	expr, ok := o[s.Key]
	if !ok {
		key := []rune(s.Key)
		if len(key) > 20 {
			key = append(key[:20], '…')
		}
		return "", fmt.Errorf("排序字段（sort）不能是「%s」，可选：%s", string(key), strings.Join(o.Keys(), "、"))
	}
	dir := ""
	if s.Desc {
		dir = " DESC"
	}
	return expr + dir + ", " + tie + dir, nil
}

// Keys are the listing's sort keys, in order.
func (o Orders) Keys() []string {
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
