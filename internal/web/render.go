package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"anwei/internal/apperr"
	"anwei/internal/files"
	"anwei/internal/org"
)

//go:embed templates
var templateFiles embed.FS

type pages struct {
	byName map[string]*template.Template
}

// pageData is what every page template receives.
type pageData struct {
	Title string
	Actor *org.Actor
	Path  string
	Flash string
	Data  any
	// Form keeps what the user typed, Err what was wrong with it.
	Form url.Values
	Err  *apperr.Error
	// Unread is the actor's unit's unread inbox messages.
	Unread int
	// Held are the files a form that came back with an error keeps, by
	// field (held_uploads.go).
	Held map[string][]files.Held
}

// parsedPages parses the embedded templates once per process: they and
// their functions are the same for every Server, and a parsed html/template
// may be executed by many goroutines at once. (A process runs one Server;
// the tests run hundreds, and parsing was a tenth of their CPU.)
var parsedPages = sync.OnceValues(parsePages)

func parsePages() (*pages, error) {
	funcs, err := templateFuncs()
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	layout, err := fs.ReadFile(templateFiles, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	entries, err := fs.Glob(templateFiles, "templates/*/*.html")
	if err != nil {
		return nil, err
	}
	more, _ := fs.Glob(templateFiles, "templates/*.html")
	entries = append(entries, more...)
	// Partials (templates/partials/*.html) are blocks several pages share.
	partials, _ := fs.Glob(templateFiles, "templates/partials/*.html")
	var shared []string
	for _, name := range partials {
		b, err := fs.ReadFile(templateFiles, name)
		if err != nil {
			return nil, err
		}
		shared = append(shared, string(b))
	}
	for _, name := range entries {
		if name == "templates/layout.html" || strings.HasPrefix(name, "templates/partials/") {
			continue
		}
		body, err := fs.ReadFile(templateFiles, name)
		if err != nil {
			return nil, err
		}
		key := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		t, err := template.New("layout").Funcs(funcs).Parse(string(layout))
		if err != nil {
			return nil, fmt.Errorf("layout: %w", err)
		}
		for i, sh := range shared {
			if _, err := t.New(partials[i]).Parse(sh); err != nil {
				return nil, fmt.Errorf("%s: %w", partials[i], err)
			}
		}
		if _, err := t.New(key).Parse(string(body)); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		p.byName[key] = t
	}
	return p, nil
}

// render executes a page. An htmx request for a fragment gets only the
// "content" block.
func (p *pages) render(w http.ResponseWriter, r *http.Request, name string, d pageData) {
	t, ok := p.byName[name]
	if !ok {
		http.Error(w, "模板 "+name+" 不存在", http.StatusInternalServerError)
		return
	}
	d.Path = r.URL.Path
	d.Unread = unreadOf(r)
	d.Held = heldOf(r)
	var buf bytes.Buffer
	root := "layout"
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Boosted") == "" {
		root = "content"
	}
	if err := t.ExecuteTemplate(&buf, root, d); err != nil {
		http.Error(w, "页面渲染失败: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = buf.WriteTo(w)
}

// fragment renders one named template of a page (an htmx partial).
func (p *pages) fragment(w http.ResponseWriter, page, name string, data any) error {
	t, ok := p.byName[page]
	if !ok {
		return fmt.Errorf("模板 %s 不存在", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err := buf.WriteTo(w)
	return err
}
