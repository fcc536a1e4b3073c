package store

import "strings"

// InIDs renders "col IN (?, …)" for ids, or a condition that holds for
// every row when ids is nil (the caller means all of them).
func InIDs(col string, ids []int64) (string, []any) {
	if ids == nil {
		return "1=1", nil
	}
	if len(ids) == 0 {
		return "1=0", nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return col + " IN (?" + strings.Repeat(", ?", len(ids)-1) + ")", args
}
