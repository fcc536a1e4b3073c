package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/org"
)

// auditPage searches the audit log (org.AuditEvents checks who may); the
// office that keeps the chain's head (org.AuditHead) sees it too. A filter
// that does not read shows the form again with its mistake.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	a, q := actorOf(r), r.URL.Query()
	f, ferr := auditFilter(q, listSize)
	f.Offset = pageOf(r, listSize).Offset
	events, total, err := s.Org.AuditEvents(r.Context(), a, f)
	if err != nil {
		return err
	}
	d := pageData{Title: "审计日志", Actor: a, Form: q}
	if ferr != nil {
		d.Err = apperr.As(ferr)
		d.Data = map[string]any{"Events": nil, "Pager": newPager(r, listSize, 0)}
		w.WriteHeader(statusOf(apperr.Invalid))
		s.pages.render(w, r, "audit", d)
		return nil
	}
	data := map[string]any{"Events": s.eventViews(r.Context(), a, events), "Pager": newPager(r, listSize, total)}
	switch seq, hash, err := s.Org.AuditHead(r.Context(), a); {
	case err == nil:
		data["HeadSeq"], data["HeadHash"] = seq, hash
	case !apperr.Is(err, apperr.Forbidden): // Forbidden: not the keeper, no head shown
		return err
	}
	d.Data = data
	s.pages.render(w, r, "audit", d)
	return nil
}

// auditHead downloads the chain head as `anwei audit head` prints it
// ("SEQ HASH"), for the office to keep outside the database: `anwei audit
// verify --head HASH` later proves that nothing up to it has changed.
func (s *Server) auditHead(w http.ResponseWriter, r *http.Request) error {
	seq, hash, err := s.Org.AuditHead(r.Context(), actorOf(r))
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

// eventViews names the events' actions, objects and actors (issue 16.3),
// each object looked up once, through the services, so an object the
// reader may not see is named by its kind and number only, without a link.
func (s *Server) eventViews(ctx context.Context, a *org.Actor, events []audit.Event) []eventView {
	type named struct{ name, link string }
	objects, people, regions := map[string]named{}, map[int64]string{}, map[string]string{}
	regionName := func(code string) string {
		if code == "" {
			return ""
		}
		if n, ok := regions[code]; ok {
			return n
		}
		n := code
		if r, err := s.Org.GetRegion(ctx, a, code); err == nil {
			n = r.Name + "（" + code + "）"
		}
		regions[code] = n
		return n
	}
	object := func(kind, id string) named {
		key := kind + ":" + id
		if o, ok := objects[key]; ok {
			return o
		}
		o := named{name: audit.KindName(kind) + " 编号 " + id}
		n, _ := strconv.ParseInt(id, 10, 64)
		switch kind {
		case "unit":
			if u, err := s.Org.GetUnit(ctx, a, n); err == nil {
				o = named{u.Name, "/org/units/" + id}
			}
		case "user":
			if u, err := s.Org.GetUser(ctx, a, n); err == nil {
				o.name = "用户 " + u.DisplayName
			}
		case "region":
			if r, err := s.Org.GetRegion(ctx, a, id); err == nil {
				o = named{r.Name, "/org/regions?parent=" + url.QueryEscape(id)}
			}
		case "enterprise":
			if e, err := s.Ents.Get(ctx, a, n); err == nil {
				o = named{e.Name, "/enterprises/" + id}
			}
		case "hazard":
			if h, err := s.Hazards.Get(ctx, a, n); err == nil {
				o = named{"隐患 " + h.Number + "（" + h.Place + "）", "/hazards/" + id}
			}
		case "risk_point":
			if p, err := s.Risks.Get(ctx, a, n); err == nil {
				o = named{"风险点 " + p.Name + "（" + p.Enterprise + "）", "/risks/" + id}
			}
		case "plan":
			if p, err := s.Plans.GetPlan(ctx, a, n); err == nil {
				o = named{p.Title, "/plans/" + id}
			}
		case "holidays":
			o = named{id + " 年节假日安排", "/org/calendar"}
		case "enforce_publication":
			o = named{"执法公示 (编号 " + id + ")", "/enforce/publications#p" + id}
		case "enforce_case":
			if c, err := s.Enforce.GetCase(ctx, a, n); err == nil {
				o = named{"行政处罚案件 " + c.Number + "（" + c.Enterprise + "）", "/enforce/cases/" + id}
			}
		case "plan_notice":
			if p, err := s.Plans.GetNotice(ctx, a, n); err == nil {
				o = named{p.DocNumber + " " + p.Title, "/notices/" + id}
			}
		}
		objects[key] = o
		return o
	}
	out := make([]eventView, len(events))
	for i, e := range events {
		o := object(e.ObjectKind, e.ObjectID)
		v := eventView{Event: e, ActionName: audit.ActionName(e.Action), ObjectName: o.name, Link: o.link, ActorName: e.Actor}
		if e.ObjectKind == "" || e.ObjectID == "" {
			v.ObjectName = audit.KindName(e.ObjectKind)
		}
		if e.ActorID != 0 {
			name, ok := people[e.ActorID]
			if !ok {
				name = e.Actor
				if u, err := s.Org.GetUser(ctx, a, e.ActorID); err == nil && u.DisplayName != "" {
					name = u.DisplayName + "（" + e.Actor + "）"
				}
				people[e.ActorID] = name
			}
			v.ActorName = name
		} else if e.Actor == audit.System.Name {
			v.ActorName = "系统"
		}
		v.Changes = changeLines(e.Before, e.After, regionName)
		out[i] = v
	}
	return out
}
