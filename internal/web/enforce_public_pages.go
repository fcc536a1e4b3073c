package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"anwei/internal/apperr"
	"anwei/internal/codes"
	"anwei/internal/enforce"
)

// publicDraw is the signed-out page of a draw (双随机一公开): anyone holding
// the commitment the office published sees the lists' size, the public
// value, the result and whether the record verifies, and downloads it.
func (s *Server) publicDrawPage(w http.ResponseWriter, r *http.Request) error {
	d, v, err := s.Enforce.Published(r.Context(), r.PathValue("commitment"))
	if err != nil {
		return err
	}
	s.pages.render(w, r, "enforce/public_draw", pageData{Title: d.Title + " (公示)", Actor: actorOf(r),
		Data: drawView{D: d, Check: v, Recused: recusedOf(d)}})
	return nil
}

// publicDrawRecord sends the record (anwei.draw/v1) to anyone holding the
// commitment: `anwei draw verify --commitment … FILE` checks it.
func (s *Server) publicDrawRecord(w http.ResponseWriter, r *http.Request) error {
	d, _, err := s.Enforce.Published(r.Context(), r.PathValue("commitment"))
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(d.Record(), "", " ")
	if err != nil {
		return apperr.Wrap(err, "记录无法生成")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("双随机抽查记录-"+d.Commitment[:12]+".json"))
	_, err = w.Write(b)
	return err
}

// recusedOf are the enterprises of a draw with a recusal.
func recusedOf(d enforce.Draw) map[int64]bool {
	out := map[int64]bool{}
	for _, x := range d.Recusals {
		out[x.Enterprise] = true
	}
	return out
}

// publicEnforceView is the public page of 公示.
type publicEnforceView struct {
	List   []enforce.Publication
	Filter enforce.PublicFilter
	Kinds  []enforceChoice
	Pager  pager
}

// publicEnforcePage is the deployment's 公示 page (安全生产法 Art. 78;
// 行政处罚法 Art. 48), signed out: penalty decisions and 双随机 results as
// published, withdrawals with their reasons. Everyone is served the same
// page, whoever is signed in, so browsers and proxies may keep it; they
// revalidate it on every use (a withdrawal shows at once) by its ETag,
// which changes with what is published: a 304 costs one count.
func (s *Server) publicEnforcePage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := enforce.PublicFilter{Kind: q.Get("kind"), Q: q.Get("q")}
	if f.Kind != "" && codes.NameOf(enforce.PublicationKinds, f.Kind) == f.Kind {
		f.Kind = ""
	}
	f.Page = pageOf(r, 20)
	version, err := s.Enforce.PublicVersion(r.Context())
	if err != nil {
		return err
	}
	// The validator names what is published, the query, the build's
	// templates and whether htmx asked for the content alone (render
	// answers it a fragment), which Vary tells a shared cache too.
	fragment := r.Header.Get("HX-Request") + "|" + r.Header.Get("HX-Boosted")
	sum := sha256.Sum256([]byte(version + "?" + r.URL.RawQuery + "|" + fragment + "|" + templatesHash()))
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h := w.Header()
	h.Set("Cache-Control", "public, no-cache")
	h.Set("Vary", "HX-Request, HX-Boosted")
	h.Set("ETag", etag)
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	list, total, err := s.Enforce.Public(r.Context(), f)
	if err != nil {
		return err
	}
	v := publicEnforceView{List: list, Filter: f, Pager: newPager(r, 20, total)}
	for _, c := range enforce.PublicationKinds {
		v.Kinds = append(v.Kinds, enforceChoice{c.Key, c.Name})
	}
	s.pages.render(w, r, "enforce/public", pageData{Title: "执法信息公示", Data: v})
	return nil
}

// templatesHash is a hash of the templates this build carries: a new
// build's page is a new page to a cache.
var templatesHash = sync.OnceValue(func() string {
	h := sha256.New()
	_ = fs.WalkDir(templateFiles, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFiles.ReadFile(path)
		h.Write([]byte(path))
		h.Write(b)
		return err
	})
	return hex.EncodeToString(h.Sum(nil)[:8])
})
