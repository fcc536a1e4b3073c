package web

import (
	"net/url"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
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
