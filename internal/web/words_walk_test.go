package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"anwei/internal/audit"
	"anwei/internal/codes"
	"anwei/internal/docs"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/risk"
	"anwei/internal/store/storetest"
)

// codeWalk is one finding of TestPeopleSeeWordsNotCodes: a page (or
// export) that shows an internal code where a word exists.
type codeWalk struct{ role, page, what, snippet string }

// codePatterns are the codes people must not meet in a page's visible
// text (issue 16.3). The audit actions come from audit.ActionNames, the
// list every action has a Chinese name in, so the pattern is exactly the
// dotted names the code writes, not any word with a dot in it.
func codePatterns() map[string]*regexp.Regexp {
	actions := make([]string, 0, len(audit.ActionNames))
	for a := range audit.ActionNames {
		if strings.Contains(a, ".") {
			actions = append(actions, regexp.QuoteMeta(a))
		}
	}
	slices.SortFunc(actions, func(a, b string) int { return len(b) - len(a) })
	// The codes of the coded fields people see the words of: categories,
	// statuses, scales, risk colours and control levels, hazard states.
	var values []string
	for _, c := range enterprise.Categories {
		values = append(values, c.Key)
	}
	for _, cs := range [][]codes.Choice{enterprise.Statuses, enterprise.Scales, hazard.Sources, hazard.Handlings} {
		for _, c := range cs {
			values = append(values, c.Key)
		}
	}
	for _, c := range risk.ControlLevels {
		values = append(values, c.Key)
	}
	values = append(values, risk.Colours...)
	for _, st := range []hazard.State{hazard.Reported, hazard.Judged, hazard.Assigned, hazard.Rectifying, hazard.Rectified, hazard.Closed, hazard.SelfRectifying} {
		values = append(values, string(st))
	}
	return map[string]*regexp.Regexp{
		"coded value":        regexp.MustCompile(`\b(?:` + strings.Join(values, "|") + `)\b`),
		"dotted action name": regexp.MustCompile(`(?:^|[^a-z_.])(` + strings.Join(actions, "|") + `)(?:$|[^a-z_.])`),
		"#id reference":      regexp.MustCompile(`[a-z_]* ?#\d+`),
		"raw region code":    regexp.MustCompile(`(?:^|[^A-Za-z\d(（\-])(3701\d{2}(?:\d{3})?)(?:$|[^A-Za-z\d)）\-])`),
		"literal <br>":       regexp.MustCompile(`(?i)<br\s*/?>`),
		"English JSON key":   regexp.MustCompile(`\b(?:[A-Z][a-z]+(?:[A-Z][a-z]+)+|[a-z]+_(?:id|code|name|kind|rule|at|by|level|class|type|count))\b|"[a-z_]+"\s*:`),
		"bare criterion key": regexp.MustCompile(`(?:^|[^a-z0-9\-/])((?:hg|gm|yh|zh|gb)\d+-\d+)(?:$|[^a-z0-9\-])`),
	}
}

var (
	scriptRe = regexp.MustCompile(`(?is)<(script|style)\b[^>]*>.*?</(?:script|style)>`)
	attrRe   = regexp.MustCompile(`(?i)\s(?:title|placeholder|aria-label)="([^"]*)"`)
	tagRe    = regexp.MustCompile(`(?s)<[^>]*>`)
	hrefRe   = regexp.MustCompile(`(?i)\shref="([^"]*)"`)
	digitsRe = regexp.MustCompile(`\d+`)
)

// visibleText is what a person reads of a page: its text and the
// attributes shown to people (title, placeholder, aria-label), without
// scripts and styles; each tag becomes a line break so words of
// neighbouring cells do not join.
func visibleText(page string) string {
	page = scriptRe.ReplaceAllString(page, "\n")
	var b strings.Builder
	for _, m := range attrRe.FindAllStringSubmatch(page, -1) {
		b.WriteString(html.UnescapeString(m[1]))
		b.WriteByte('\n')
	}
	b.WriteString(html.UnescapeString(tagRe.ReplaceAllString(page, "\n")))
	return b.String()
}

// skipLink says which links the walk does not follow: other sites,
// logging out, static files and downloads other than .xlsx.
func skipLink(p string) bool {
	switch {
	case !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//"),
		strings.HasPrefix(p, "/static/"), strings.HasPrefix(p, "/api/"),
		strings.HasPrefix(p, "/attachments/"), strings.HasPrefix(p, "/hazard-photos/"),
		p == "/audit/head", strings.Contains(p, "logout"):
		return true
	}
	path := p
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	for _, ext := range []string{".pdf", ".docx", ".csv", ".zip", ".txt", ".png", ".jpg"} {
		if strings.HasSuffix(path, ext) {
			return true
		}
	}
	return strings.HasSuffix(path, "/pdf") || strings.HasSuffix(path, "/docx")
}

// TestPeopleSeeWordsNotCodes walks every page of the demo as each role,
// breadth-first from the home page along same-site links (one of each
// path pattern with its query's numbers taken as one, 150 pages a role),
// opens the .xlsx exports it finds, and fails on the codes people must not
// meet: dotted action names, "kind #id" references, raw region codes, a
// literal <br>, English JSON keys and bare criteria keys (issue 16.3).
func TestPeopleSeeWordsNotCodes(t *testing.T) {
	t.Parallel()
	storetest.SkipWalk(t)
	e := newEnv(t)
	pats := codePatterns()
	var found []codeWalk
	start := time.Now()
	pages := 0
	for _, role := range []string{"admin", "office", "city", "member", "street", "officer", "enterprise", "expert"} {
		c := e.login(role)
		seen := map[string]bool{}
		queue := []string{"/"}
		for n := 0; len(queue) > 0 && n < 150; n++ {
			p := queue[0]
			queue = queue[1:]
			body, ctype := walkGet(t, e, c, p)
			pages++
			text := body
			if strings.Contains(ctype, "spreadsheetml") {
				text = sheetText(t, p, body)
			} else if strings.Contains(ctype, "text/html") {
				for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
					l := html.UnescapeString(m[1])
					if skipLink(l) {
						continue
					}
					if i := strings.IndexByte(l, '#'); i >= 0 {
						l = l[:i]
					}
					key := digitsRe.ReplaceAllString(l, "N")
					if u, err := url.Parse(l); err == nil && u.RawQuery != "" {
						// One query-string variant of each path, and each
						// tab of a page (its own content).
						key = digitsRe.ReplaceAllString(u.Path, "N") + "?" + u.Query().Get("tab")
					}
					if !seen[key] {
						seen[key] = true
						queue = append(queue, l)
					}
				}
				text = visibleText(body)
			} else {
				continue
			}
			for what, re := range pats {
				if what == "raw region code" && strings.HasPrefix(p, "/org/regions") {
					continue // the register of the codes themselves, each beside its name
				}
				for _, m := range re.FindAllStringIndex(text, 3) {
					found = append(found, codeWalk{role, p, what, snippetAround(text, m[0], m[1])})
				}
			}
		}
	}
	t.Logf("walked %d pages in %v", pages, time.Since(start).Round(time.Millisecond))
	slices.SortFunc(found, func(a, b codeWalk) int { return strings.Compare(a.what+a.page+a.role, b.what+b.page+b.role) })
	shown := map[string]bool{}
	for _, f := range found {
		// One report per page pattern and finding.
		k := f.what + digitsRe.ReplaceAllString(f.page, "N") + f.snippet
		if shown[k] {
			continue
		}
		shown[k] = true
		t.Errorf("%s on %s (as %s): %q", f.what, f.page, f.role, f.snippet)
	}
}

func walkGet(t *testing.T, e *env, c *http.Client, p string) (string, string) {
	t.Helper()
	resp, err := c.Get(e.srv.URL + p)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	if resp.StatusCode >= 500 {
		t.Errorf("%s: %d", p, resp.StatusCode)
	}
	return b.String(), resp.Header.Get("Content-Type")
}

// sheetText is an .xlsx export's cells, one line a row.
func sheetText(t *testing.T, p, body string) string {
	t.Helper()
	rows, err := docs.Open(docs.File{Name: "export.xlsx", Data: []byte(body)}, 0)
	if err != nil {
		t.Errorf("%s: %v", p, err)
		return ""
	}
	defer rows.Close()
	var b strings.Builder
	b.WriteString(strings.Join(rows.Header(), "\n"))
	for {
		_, row, err := rows.Next()
		if err != nil || row == nil {
			break
		}
		b.WriteByte('\n')
		b.WriteString(strings.Join(row, "\n"))
	}
	return b.String()
}

func snippetAround(s string, i, j int) string {
	from, to := max(0, i-30), min(len(s), j+30)
	for from > 0 && !utf8Start(s[from]) {
		from--
	}
	for to < len(s) && !utf8Start(s[to]) {
		to++
	}
	return strings.Join(strings.Fields(s[from:to]), " ")
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
