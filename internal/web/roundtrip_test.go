package web_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestRecordsRoundTrip: for every PUT of the organisation, the registry's
// installations and the risk points, the body its GET answers is taken back
// unchanged — read-only fields (ids, names, computed grades, times) passed
// over — and the record reads the same afterwards (issue 14.1: the API
// refused its own answers). Each row: who, where the record is read (and,
// for a listing, which of its items), where it is written, the status.
func TestRecordsRoundTrip(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		ent := fmtID(e.lookup(t, "enterprise", "济南泺口精细化工有限公司"))
		dept := fmtID(e.lookup(t, "unit", "区应急局"))
		member := fmtID(e.lookup(t, "user", "member"))
		committee := e.firstID(t, "office", "/api/v1/units?kind=committee", "items")
		rows := []struct {
			name, as, get, pick, put string
			status                   int
			moves                    []string // what the write itself sets, besides updated_at
		}{
			{"unit", "admin", "/api/v1/units/" + dept, "", "/api/v1/units/" + dept, 200, nil},
			{"unit active", "admin", "/api/v1/units/" + dept, "", "/api/v1/units/" + dept + "/active", 204, nil},
			{"user", "admin", "/api/v1/users/" + member, "", "/api/v1/users/" + member, 200, nil},
			{"user active", "admin", "/api/v1/users/" + member, "", "/api/v1/users/" + member + "/active", 204, nil},
			{"region", "admin", "/api/v1/regions/370105015", "", "/api/v1/regions/370105015", 200, nil},
			{"region active", "admin", "/api/v1/regions/370105015", "", "/api/v1/regions/370105015/active", 204, nil},
			{"committee member", "office", "/api/v1/committees/" + committee + "/members", "items",
				"/api/v1/committees/" + committee + "/members/{unit.id}", 204, nil},
			{"installation", "member", "/api/v1/enterprises/" + ent + "/file", "installations",
				"/api/v1/enterprises/" + ent + "/installations/{id}", 200, nil},
			{"risk point", "enterprise", "/api/v1/risks/{first:/api/v1/risks?enterprise=" + ent + "}", "",
				"/api/v1/risks/{id}", 200, []string{"assessed_on"}}, // a PUT is a reassessment, dated today
			{"risk scheme", "office", "/api/v1/risks/scheme", "", "/api/v1/risks/scheme", 204, []string{"set_at"}}, // now set at the office's county
		}
		for _, row := range rows {
			t.Run(row.name, func(t *testing.T) {
				c := e.login(row.as)
				get := e.firstIn(t, row.as, row.get)
				code, body := e.do(c, "GET", get, "")
				if code != 200 {
					t.Fatalf("GET %s: %d %.300s", get, code, body)
				}
				record := body
				if row.pick != "" {
					var all map[string]json.RawMessage
					var items []json.RawMessage
					if err := json.Unmarshal([]byte(body), &all); err != nil || json.Unmarshal(all[row.pick], &items) != nil || len(items) == 0 {
						t.Fatalf("GET %s: no %s in %.300s (%v)", get, row.pick, body, err)
					}
					record = string(items[0])
				}
				put := fillFrom(t, row.put, record)
				code, answer := e.do(c, "PUT", put, record)
				if code != row.status {
					t.Fatalf("PUT %s of what GET answered: %d %s\n body %s", put, code, answer, record)
				}
				_, after := e.do(c, "GET", get, "")
				if !sameRecord(t, without(t, body, row.moves), without(t, after, row.moves)) {
					t.Errorf("the record changed by a PUT of itself:\n before %s\n after  %s", body, after)
				}
			})
		}
	})
}

// firstID is the id of the first item of the list at path as user reads
// it, under key.
func (e *env) firstID(t *testing.T, user, path, key string) string {
	t.Helper()
	code, body := e.do(e.login(user), "GET", path, "")
	var l map[string]json.RawMessage
	var items []struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal([]byte(body), &l); code != 200 || err != nil || json.Unmarshal(l[key], &items) != nil || len(items) == 0 {
		t.Fatalf("GET %s: %d %v %.300s", path, code, err, body)
	}
	return fmtID(items[0].ID)
}

// firstIn replaces a {first:path} in p by the id of the first item the
// list at path gives user.
func (e *env) firstIn(t *testing.T, user, p string) string {
	t.Helper()
	pre, rest, ok := strings.Cut(p, "{first:")
	if !ok {
		return p
	}
	list, post, _ := strings.Cut(rest, "}")
	return pre + e.firstID(t, user, list, "items") + post
}

// fillFrom replaces {id} or {unit.id} in path with that field of the JSON
// record.
func fillFrom(t *testing.T, path, record string) string {
	t.Helper()
	var r struct {
		ID   int64 `json:"id"`
		Unit struct {
			ID int64 `json:"id"`
		} `json:"unit"`
	}
	if err := json.Unmarshal([]byte(record), &r); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		key string
		id  int64
	}{{"{id}", r.ID}, {"{unit.id}", r.Unit.ID}} {
		path = strings.Replace(path, f.key, fmtID(f.id), 1)
	}
	return path
}

// without is the JSON object record without its fields named in drop.
func without(t *testing.T, record string, drop []string) string {
	t.Helper()
	if len(drop) == 0 {
		return record
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(record), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range drop {
		delete(m, k)
	}
	b, _ := json.Marshal(m)
	return string(b)
}
