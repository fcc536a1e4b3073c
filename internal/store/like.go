package store

import "strings"

// LikeContains is the pattern for "contains q" in LIKE … ESCAPE '\', with
// q's own %, _ and \ taken literally.
func LikeContains(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(q) + "%"
}
