package web_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestListsOfferPageSizeAndJump: a listing offers 20, 50 or 100 rows a page
// and a box to jump to a page, keeping its filters (issue 16.4).
func TestListsOfferPageSizeAndJump(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	office := e.login("office")
	_, page := e.do(office, "GET", "/enterprises?size=20&status=operating", "")
	m := regexp.MustCompile(`第 1 / (\d+) 页，共 (\d+) 条`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no pager: %.300s", page)
	}
	pages, total := atoi(t, m[1]), atoi(t, m[2])
	if pages != (total+19)/20 || pages < 3 {
		t.Errorf("%d pages of 20 for %d enterprises", pages, total)
	}
	if !strings.Contains(page, "<b>20</b>") || !strings.Contains(page, `href="?size=100&amp;status=operating"`) ||
		!strings.Contains(page, `<input type="hidden" name="status" value="operating">`) || !strings.Contains(page, `name="page" min="1" max="`+m[1]+`"`) {
		t.Errorf("the pager: %.1500s", page[strings.Index(page, `class="pager"`):])
	}
	if _, p2 := e.do(office, "GET", "/enterprises?size=500", ""); strings.Contains(p2, "<b>500</b>") {
		t.Error("a page size not offered was taken")
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
