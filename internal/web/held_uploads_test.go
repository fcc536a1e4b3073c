package web_test

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestAFormKeepsItsFilesOnAnError: an enterprise reports a hazard with a
// photo but no description; the form comes back saying so and keeping the
// photo (named on the page, held in the data directory); sent again with
// the description only, the hazard has its photo, and nothing is left held
// (issue 16.2: the photo had to be chosen again).
func TestAFormKeepsItsFilesOnAnError(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent := e.login("enterprise")
	form := url.Values{"place": {"二号库房"}, "handling": {"department"}}
	code, page, _ := e.post(ent, "/hazards/new", form, part{"files", "库房前.png", "image/png", pngOf(2048)})
	if code != 422 || !strings.Contains(page, "请描述隐患情况") || !strings.Contains(page, "库房前.png") {
		t.Fatalf("the form with an error: %d %.2000s", code, page)
	}
	tok := regexp.MustCompile(`name="held_files" value="([0-9a-f]{32})"`).FindStringSubmatch(page)
	if tok == nil {
		t.Fatalf("no held file on the page: %.2000s", page)
	}
	pending := filepath.Join(e.app.Config.DataDir, "attachments", "pending")
	if n := countFiles(t, pending); n != 2 { // the file and its name
		t.Errorf("%d files held under %s, want the photo and its record", n, pending)
	}
	form.Set("description", "货架标识缺失")
	form.Set("held_files", tok[1])
	code, page, hdr := e.post(ent, "/hazards/new", form)
	if code != 303 && code != 200 {
		t.Fatalf("sent again: %d %.1000s", code, page)
	}
	loc := hdr.Get("Location")
	if loc == "" {
		loc = regexp.MustCompile(`/hazards/\d+`).FindString(page)
	}
	_, photos := e.do(ent, "GET", "/api/v1/hazards/"+strings.TrimPrefix(strings.Split(loc, "?")[0], "/hazards/"), "")
	if !strings.Contains(photos, "库房前.png") {
		t.Errorf("the hazard's photos: %.500s", photos)
	}
	if n := countFiles(t, pending); n != 0 {
		t.Errorf("%d files still held after the form went through", n)
	}
}

// countFiles counts the files under dir (none when it does not exist).
func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		if os.IsNotExist(err) {
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
