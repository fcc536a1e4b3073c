package web_test

import (
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestEveryTextFieldStatesItsLimit: every text input and textarea of every
// template carries a maxlength — a stored field its service's limit, a
// search or filter box a bound of its own (review finding: the limits test
// checked only that each limit was used somewhere, so a new field without
// one passed). Fields that are not typed text (dates, numbers, files,
// choices, hidden ids, passwords) are passed over.
func TestEveryTextFieldStatesItsLimit(t *testing.T) {
	tag := regexp.MustCompile(`(?s)<(input|textarea)\b([^>]*)>`)
	typ := regexp.MustCompile(`\btype="([^"]+)"`)
	notText := map[string]bool{"date": true, "number": true, "file": true, "hidden": true, "checkbox": true, "radio": true,
		"password": true, "submit": true, "month": true, "time": true, "datetime-local": true}
	root := os.DirFS("templates")
	seen := 0
	err := fs.WalkDir(root, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := fs.ReadFile(root, path)
		if err != nil {
			return err
		}
		for _, m := range tag.FindAllStringSubmatch(string(b), -1) {
			if t := typ.FindStringSubmatch(m[2]); t != nil && notText[t[1]] {
				continue
			}
			seen++
			if !strings.Contains(m[2], "maxlength=") {
				t.Errorf("%s: <%s%s> states no maxlength", path, m[1], m[2])
			}
		}
		return nil
	})
	if err != nil || seen < 50 {
		t.Fatalf("read %d text fields (%v)", seen, err)
	}
}
