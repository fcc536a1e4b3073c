package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/org"
)

// auditFilter reads the audit search from the query string. Dates are
// Asia/Shanghai calendar days.
func auditFilter(q url.Values, size int) (audit.Filter, error) {
	f := audit.Filter{Action: q.Get("action"), ObjectKind: q.Get("object_kind"), ObjectID: q.Get("object_id"), Actor: q.Get("actor")}
	for _, d := range []struct {
		key string
		dst *time.Time
		add int
	}{{"since", &f.Since, 0}, {"until", &f.Until, 1}} {
		if v := q.Get(d.key); v != "" {
			t, err := time.ParseInLocation("2006-01-02", v, calendar.Shanghai)
			if err != nil {
				return f, apperr.Field(d.key, "日期格式应为 2026-01-31")
			}
			*d.dst = t.AddDate(0, 0, d.add)
		}
	}
	f.Limit = size
	return f, nil
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(org.PermAuditRead); err != nil {
		return err
	}
	q := r.URL.Query()
	d := pageData{Title: "审计日志", Actor: a, Form: q}
	f, err := auditFilter(q, listSize)
	if err != nil {
		d.Err = apperr.As(err)
		d.Data = map[string]any{"Events": nil, "Pager": newPager(r, listSize, 0)}
		w.WriteHeader(statusOf(apperr.Invalid))
		s.pages.render(w, r, "audit", d)
		return nil
	}
	f.Offset = pageOf(r, listSize).Offset
	events, total, err := s.Audit.List(r.Context(), a.Scope, f)
	if err != nil {
		return err
	}
	data := map[string]any{"Events": events, "Pager": newPager(r, listSize, total)}
	d.Data = data
	if keeper, err := s.keepsHead(r, a); err != nil {
		return err
	} else if keeper {
		seq, hash, err := s.Audit.Head(r.Context())
		if err != nil {
			return err
		}
		data["HeadSeq"], data["HeadHash"] = seq, hash
	}
	s.pages.render(w, r, "audit", d)
	return nil
}

// auditHead downloads the chain head as `anwei audit head` prints it
// ("SEQ HASH"), for the office to keep outside the database: `anwei audit
// verify --head HASH` later proves that nothing up to it has changed.
func (s *Server) auditHead(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(org.PermAuditRead); err != nil {
		return err
	}
	if keeper, err := s.keepsHead(r, a); err != nil {
		return err
	} else if !keeper {
		return apperr.New(apperr.Forbidden, "审计链头由本系统最高一级的安委办保存")
	}
	seq, hash, err := s.Audit.Head(r.Context())
	if err != nil {
		return err
	}
	name := fmt.Sprintf("anwei-audit-head-%d-%s.txt", seq, s.Clock.Now().In(calendar.Shanghai).Format("20060102-150405"))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename="+name)
	w.Header().Set("Cache-Control", "no-store")
	_, err = fmt.Fprintf(w, "%d %s\n", seq, hash)
	return err
}

// keepsHead reports whether a keeps the audit chain's head: the office
// whose jurisdiction is the whole deployment. The chain is one for all
// levels, so its head (an event count among others) says how much happens
// outside a lower office's jurisdiction.
func (s *Server) keepsHead(r *http.Request, a *org.Actor) (bool, error) {
	if a.Scope.All {
		return true, nil
	}
	root, _, err := s.Org.RootRegion(r.Context())
	if err != nil {
		return false, err
	}
	for _, reg := range a.Scope.Regions {
		if strings.HasPrefix(root, reg) {
			return true, nil
		}
	}
	return false, nil
}

// prettyJSON indents a stored canonical JSON value for display.
func prettyJSON(s string) string {
	if s == "" || s == "null" {
		return ""
	}
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(s), "", "  "); err != nil {
		return s
	}
	return b.String()
}
