package app_test

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"anwei/internal/app/apptest"
	"anwei/internal/calendar"
	"anwei/internal/enforce"
)

// enforceIDs are a county's enforcement objects as the scope matrix names
// them.
func enforceIDs(c *county) map[string]string {
	ids := map[string]string{
		"enforce-plan": sid(c.enf.plan), "enforce-draft": sid(c.enf.drafts[0]), "enforce-draft2": sid(c.enf.drafts[1]),
		"enforce-approved": sid(c.enf.approved[0]), "enforce-approved2": sid(c.enf.approved[1]),
		"draw": sid(c.enf.draw), "draw2": sid(c.enf.draw2), "draw-open": sid(c.enf.open[0]), "draw-open2": sid(c.enf.open[1]),
		"draw-officer": sid(c.enf.team1), "draw2-officer": sid(c.enf.team2), "officer": sid(c.enf.officer3.UserID),
		"enforce-draft-version": c.enf.versions[0], "enforce-draft2-version": c.enf.versions[1],
	}
	for k, v := range c.enf.insp.ids {
		ids["insp-"+k] = sid(v)
	}
	for k, v := range c.enf.insp.tokens {
		ids["token-"+k] = v
	}
	ids["insp-item"], ids["insp-media"], ids["insp-writ"] = c.enf.insp.item, sid(c.enf.insp.media), sid(c.enf.insp.writ)
	ids["officer2"], ids["officer3"] = sid(c.enf.officer2.UserID), sid(c.enf.officer3.UserID)
	ids["case-served"], ids["case-file"], ids["case-writ"] = sid(c.enf.cases.served), sid(c.enf.cases.file), sid(c.enf.cases.writ)
	ids["case-pub"], ids["case-flag"] = sid(c.enf.cases.pub), sid(c.enf.cases.escalation)
	ids["dept-user"] = sid(c.deptUser.UserID) // an officer of the 名录库 with no declared conflict (officer3 declares one with the firm)
	return ids
}

func enfPlanBody(*side) map[string]any {
	return map[string]any{"year": 2035, "officers": 3, "other_enforcement_days": 10, "non_enforcement_days": 10, "team_size": 2,
		"days_per_inspection": 1, "sample_percent": 10, "first_month": 1}
}

func enfDrawBody(*side) map[string]any {
	return map[string]any{"count": 1, "per_enterprise": 2, "include_key": true, "public_source": "见证人", "public_format": `^\d+$`}
}

func enfCapsBody(*side) map[string]any {
	return map[string]any{"rows": []map[string]any{
		{"sector": "coal", "caps": map[string]int{"A": 2, "B": 4, "C": 6, "D": 4}}, {"sector": "mine", "caps": map[string]int{"A": 1, "B": 1, "C": 2, "D": 4}},
		{"sector": "hazchem", "caps": map[string]int{"1": 2, "2": 4, "3": 8, "": 12}}, {"sector": "other", "caps": map[string]int{"1": 1, "2": 2, "3": 4, "": 6}}},
		"frequent_cases": 4, "supervisory": 3, "note": "本省规定"}
}

func enfCapsForm(*side) map[string]any {
	b := map[string]any{"supervisory": 3, "frequent_cases": 4, "note": "本省规定"}
	for k, v := range map[string]int{"coal_A": 2, "coal_B": 4, "coal_C": 6, "coal_D": 4, "mine_A": 1, "mine_B": 1, "mine_C": 2, "mine_D": 4,
		"hazchem_1": 2, "hazchem_2": 4, "hazchem_3": 8, "hazchem_": 12, "other_1": 1, "other_2": 2, "other_3": 4, "other_": 6} {
		b["cap_"+k] = strconv.Itoa(v)
	}
	return b
}

func init() {
	dept := "department"
	byID := func(kind string) map[string]string { return map[string]string{"id": kind} }
	for k, v := range map[string]mroute{
		"GET /enforce":            {own: "the year of the viewer's own department, or of its region's departments", query: []string{"year"}},
		"GET /enforce/caps":       {own: "the cap table of the viewer's own region"},
		"POST /enforce/caps":      {own: "the cap table of the viewer's own jurisdiction", changes: []string{"settings"}, body: enfCapsForm},
		"GET /enforce/plans/new":  {own: "the plan form of the viewer's own department", query: []string{"year"}},
		"POST /enforce/plans":     {own: "drafts the viewer's own department's plan", changes: []string{"enforce_plans"}, body: enfPlanBody},
		"GET /enforce/plans/{id}": {path: byID("enforce-plan")},
		"POST /enforce/plans/{id}/approve": {path: byID("enforce-draft"), by: dept,
			body: func(s *side) map[string]any { return map[string]any{"version": s.v("enforce-draft-version")} }},
		"POST /enforce/plans/{id}/publish": {path: byID("enforce-approved"), by: dept},
		"GET /enforce/officers":            {own: "the 名录库 of the viewer's own department, or its region's"},
		"POST /enforce/officers": {by: dept, body: func(s *side) map[string]any {
			return map[string]any{"user_id": s.v("officer"), "cert_no": "X1", "active": "1"}
		}},
		"POST /enforce/officers/{id}/conflicts": {path: byID("officer"), by: dept, body: func(s *side) map[string]any {
			return map[string]any{"enterprise_id": s.v("firm"), "reason": "近亲属任职"}
		}},
		"GET /enforce/draws/new":              {own: "the draw form of the viewer's own department", query: []string{"category"}},
		"POST /enforce/draws":                 {own: "fixes the viewer's own department's 名录库", changes: []string{"enforce_draws", "counters"}, body: enfDrawBody},
		"GET /enforce/draws/{id}":             {path: byID("draw")},
		"GET /enforce/draws/{id}/record.json": {path: byID("draw")},
		"POST /enforce/draws/{id}/draw":       {path: byID("draw-open"), by: dept, body: func(*side) map[string]any { return map[string]any{"public_value": "5"} }},
		"POST /enforce/draws/{id}/recusals": {path: byID("draw"), by: dept, body: func(s *side) map[string]any {
			return map[string]any{"slot": s.v("firm") + ":" + s.v("draw-officer"), "reason": "当事人申请"}
		}},
		"GET /public/draws/{commitment}": {lit: map[string]string{"commitment": strings.Repeat("0", 64)},
			own: "双随机一公开: a draw is published to everyone by its commitment, which no id of another side names (an unknown one is not found)"},
		"GET /public/draws/{commitment}/record.json": {lit: map[string]string{"commitment": strings.Repeat("0", 64)},
			own: "双随机一公开: a draw's record for anyone holding its commitment (an unknown one is not found)"},
		"GET /enforce/inspections":  {own: "inspections in the viewer's scope", query: []string{"year", "enterprise"}},
		"POST /enforce/inspections": {by: dept, body: func(s *side) map[string]any { return map[string]any{"enterprise_id": s.v("firm"), "basis": "tip"} }},

		"GET /api/v1/enforce/overview":   {own: "the year of the viewer's own department, or of its region's departments"},
		"GET /api/v1/enforce/plans":      {own: "plans in the viewer's scope"},
		"POST /api/v1/enforce/plans":     {own: "drafts the viewer's own department's plan", changes: []string{"enforce_plans"}, body: enfPlanBody},
		"GET /api/v1/enforce/plans/{id}": {path: byID("enforce-plan")},
		"POST /api/v1/enforce/plans/{id}/approve": {path: byID("enforce-draft2"), by: dept,
			body: func(s *side) map[string]any { return map[string]any{"version": s.v("enforce-draft2-version")} }},
		"POST /api/v1/enforce/plans/{id}/publish": {path: byID("enforce-approved2"), by: dept},
		"GET /api/v1/enforce/officers":            {own: "the 名录库 of the viewer's own department, or its region's"},
		"PUT /api/v1/enforce/officers": {by: dept, body: func(s *side) map[string]any {
			return map[string]any{"user_id": i64(s.v("officer")), "cert_no": "X2", "active": true}
		}},
		"POST /api/v1/enforce/officers/{id}/conflicts": {path: byID("officer"), by: dept, body: func(s *side) map[string]any {
			return map[string]any{"enterprise_id": i64(s.v("firm")), "reason": "曾任职"}
		}},
		"GET /api/v1/enforce/draws":             {own: "draws in the viewer's scope"},
		"GET /api/v1/enforce/draws/preview":     {own: "the size of the viewer's own department's 名录库"},
		"POST /api/v1/enforce/draws":            {own: "fixes the viewer's own department's 名录库", changes: []string{"enforce_draws", "counters"}, body: enfDrawBody},
		"GET /api/v1/enforce/draws/{id}":        {path: byID("draw")},
		"GET /api/v1/enforce/draws/{id}/record": {path: byID("draw")},
		"GET /api/v1/enforce/draws/{id}/verify": {path: byID("draw")},
		"POST /api/v1/enforce/draws/{id}/draw":  {path: byID("draw-open2"), by: dept, body: func(*side) map[string]any { return map[string]any{"public_value": "6"} }},
		"POST /api/v1/enforce/draws/{id}/recusals": {path: byID("draw2"), by: dept, body: func(s *side) map[string]any {
			return map[string]any{"enterprise_id": i64(s.v("firm")), "officer_id": i64(s.v("draw2-officer")), "reason": "当事人申请"}
		}},
		"GET /api/v1/enforce/inspections":  {own: "inspections in the viewer's scope"},
		"POST /api/v1/enforce/inspections": {by: dept, body: func(s *side) map[string]any { return map[string]any{"enterprise_id": i64(s.v("firm")), "basis": "tip"} }},
		"GET /api/v1/enforce/checklist":    {own: "pure: the checklist of the categories asked"},
		"GET /api/v1/enforce/caps":         {own: "the cap table of the viewer's own region"},
		"PUT /api/v1/enforce/caps":         {own: "the cap table of the viewer's own jurisdiction", changes: []string{"settings"}, body: enfCapsBody},
	} {
		matrixRoutes[k] = v
	}
	inspectionRoutes()
	caseRoutes()
}

// caseRoutes are the routes of 行政处罚案件 (issue 24): reads of the served
// case, its writ and its evidence; writes opening cases of the firm, and a
// step of the served case.
func caseRoutes() {
	dept := "department"
	served := map[string]string{"id": "case-served"}
	open := func(s *side) map[string]any {
		return map[string]any{"source": "tip", "enterprise_id": s.v("firm"), "violation": "a99-1", "facts": "未设置警示标志",
			"officers": []string{s.v("officer2"), s.v("dept-user")}}
	}
	openJSON := func(s *side) map[string]any {
		return map[string]any{"source": "tip", "enterprise_id": s.n("firm"), "violation": "a99-1", "facts": "未设置警示标志",
			"officers": []int64{s.n("officer2"), s.n("dept-user")}}
	}
	for k, v := range map[string]mroute{
		"GET /enforce/cases":                  {own: "cases in the viewer's scope", query: []string{"state", "overdue"}},
		"GET /api/v1/enforce/cases":           {own: "cases in the viewer's scope"},
		"GET /enforce/cases.xlsx":             {own: "the 台账 of the cases in the viewer's scope", query: []string{"state", "overdue", "article", "unit"}},
		"GET /enforce/cases/{id}":             {path: served},
		"GET /api/v1/enforce/cases/{id}":      {path: served},
		"GET /enforce/cases/{id}/writs/{wid}": {path: map[string]string{"id": "case-served", "wid": "case-writ"}},
		"GET /enforce/cases/{id}/files/{sid}": {path: map[string]string{"id": "case-served", "sid": "case-file"}},
		"GET /api/v1/enforce/case-rules":      {own: "the case rules of the viewer's own region"},
		"GET /enforce/case-rules":             {own: "the case rules of the viewer's own region"},
		"POST /enforce/case-rules": {own: "the case rules of the viewer's own jurisdiction", changes: []string{"settings"}, body: func(*side) map[string]any {
			return map[string]any{"hearing_unit": "50000", "hearing_person": "20000", "statement_days": "3", "extension_days": "30", "review_from": "50000", "collective_from": "50000"}
		}},
		"PUT /api/v1/enforce/case-rules": {own: "the case rules of the viewer's own jurisdiction", changes: []string{"settings"}, body: func(*side) map[string]any {
			return map[string]any{"hearing_unit": 50000, "hearing_person": 20000, "statement_days": 3, "extension_days": 30, "review_from": 50000, "collective_from": 50000}
		}},
		"POST /enforce/cases":        {by: dept, body: open},
		"POST /api/v1/enforce/cases": {by: dept, body: openJSON},
		"POST /enforce/cases/spot": {by: dept, body: func(s *side) map[string]any {
			return map[string]any{"enterprise_id": s.v("firm"), "violation": "a99-1", "facts": "未设置警示标志", "fine": "1000", "officers": s.v("officer2")}
		}},
		"POST /api/v1/enforce/cases/spot": {by: dept, body: func(s *side) map[string]any {
			return map[string]any{"enterprise_id": s.n("firm"), "violation": "a99-1", "facts": "未设置警示标志", "fine": 1000, "officers": []int64{s.n("officer2")}}
		}},
		"POST /enforce/cases/{id}/evidence": {path: served, by: dept, upload: true, body: func(*side) map[string]any {
			return map[string]any{"kind": "evidence", "note": "补充照片"}
		}},
		"POST /enforce/cases/{id}/{step}": {path: served, lit: map[string]string{"step": "payment"}, by: dept, body: func(*side) map[string]any {
			return map[string]any{"amount": "20000", "receipt": "R-1"}
		}},
		"POST /api/v1/enforce/cases/{id}/{step}": {path: served, lit: map[string]string{"step": "reminder"}, by: dept, body: func(*side) map[string]any {
			return map[string]any{}
		}},
	} {
		matrixRoutes[k] = v
	}
	publishRoutes()
}

// publishRoutes are the routes of 公示 and escalations (issue 25): the
// served case's publication (due; the control may publish it before it
// tries the withdrawal, which then meets its state or not) and an accident
// case's 移送司法 flag.
func publishRoutes() {
	dept := "department"
	pub, flag := map[string]string{"id": "case-pub"}, map[string]string{"id": "case-flag"}
	rawFiles["cases.csv"] = strings.Join(enforce.CaseSheetHeader, ",") + "\n"
	for k, v := range map[string]mroute{
		"GET /enforce/cases/import":               {own: "the import page of the viewer's own department"},
		"GET /enforce/cases/import/template.xlsx": {own: "the import's empty template"},
		"POST /enforce/cases/import": {own: "imports into the viewer's own department, parties among the enterprises it supervises (a party of the other side is a refused row: scope_publish_test.go)",
			raw: "cases.csv", upload: true, changes: []string{"enforce_cases", "enforce_case_steps"}},
		"POST /api/v1/enforce/cases/import": {own: "imports into the viewer's own department, as the page", raw: "cases.csv",
			changes: []string{"enforce_cases", "enforce_case_steps"}},
		"GET /enforce/publications":                      {own: "publications in the viewer's scope", query: []string{"state", "overdue", "kind"}},
		"GET /api/v1/enforce/case-figures":               {own: "the year's cases and publications in the viewer's scope"},
		"GET /api/v1/enforce/publications":               {own: "publications in the viewer's scope"},
		"GET /enforce/escalations":                       {own: "escalations in the viewer's scope", query: []string{"state", "kind"}},
		"GET /api/v1/enforce/escalations":                {own: "escalations in the viewer's scope"},
		"GET /public/enforce":                            {own: "公示 for everyone: only what a department published, and in the matrix's world no side has published anything (publication and masking: internal/enforce TestPublicationClocks, browser TestBrowserPublication)", query: []string{"kind", "q"}},
		"GET /api/v1/public/enforce":                     {own: "公示 for everyone, as the page"},
		"POST /enforce/publications/{id}/publish":        {path: pub, by: dept},
		"POST /api/v1/enforce/publications/{id}/publish": {path: pub, by: dept, body: func(*side) map[string]any { return map[string]any{} }},
		"POST /enforce/publications/{id}/withdraw": {path: pub, by: dept, body: func(*side) map[string]any {
			return map[string]any{"reason": "决定已撤销"}
		}},
		"POST /api/v1/enforce/publications/{id}/withdraw": {path: pub, by: dept, body: func(*side) map[string]any {
			return map[string]any{"reason": "决定已撤销"}
		}},
		"POST /enforce/escalations/{id}": {path: flag, by: dept, body: func(*side) map[string]any {
			return map[string]any{"action": "dismiss", "note": "经查不涉嫌犯罪"}
		}},
		"POST /api/v1/enforce/escalations/{id}": {path: flag, by: dept, body: func(*side) map[string]any {
			return map[string]any{"action": "dismiss", "note": "经查不涉嫌犯罪"}
		}},
	} {
		matrixRoutes[k] = v
	}
}

// inspectionRoutes are the routes of an inspection (issue 23); each write
// takes an inspection of its own in the state it needs (scope_inspect_test.go).
func inspectionRoutes() {
	rawFiles["photo.png"] = string(apptest.Signature())
	dept := "department"
	on := func(kind string) map[string]string { return map[string]string{"id": kind} }
	window := func(s *side) map[string]any {
		return map[string]any{"officers": []string{s.v("officer2"), s.v("officer3")}, "from": todayISO(), "to": todayISO()}
	}
	finding := func(*side) map[string]any {
		return map[string]any{"place": "仓库", "description": "堆放杂物", "violation": "a99-1", "deadline": "2099-01-01"}
	}
	closing := func(*side) map[string]any {
		return map[string]any{"place": "厂区", "party": "张三", "summary": "检查"}
	}
	sign := func(*side) map[string]any {
		return map[string]any{"role": "officer1", "signature": "data:image/png;base64," + base64.StdEncoding.EncodeToString(apptest.Signature())}
	}
	for k, v := range map[string]mroute{
		"GET /enforce/inspections/{id}":                   {path: on("insp-closed")},
		"GET /enforce/inspections/{id}/record.json":       {path: on("insp-closed")},
		"GET /enforce/inspections/{id}/writs/{wid}":       {path: map[string]string{"id": "insp-closed", "wid": "insp-writ"}},
		"GET /enforce/inspections/{id}/media/{mid}":       {path: map[string]string{"id": "insp-closed", "mid": "insp-media"}},
		"GET /enforce/inspections/{id}/signatures/{role}": {path: on("insp-closed"), lit: map[string]string{"role": "officer1"}},
		"GET /enforce/inspections.xlsx":                   {own: "the ledger of inspections in the viewer's scope"},
		"GET /enterprises/{id}/entry-code":                {path: on("firm")},
		"GET /enforce/checkin/{token}": {path: map[string]string{"token": "token-approved"}, by: dept,
			own: "a scan names the other side's firm by its entry code: the page shows the firm's name only to an officer (enforce.inspect); the check-in itself is refused"},
		"POST /enforce/checkin/{token}":                        {path: map[string]string{"token": "token-approved"}, by: dept},
		"POST /enforce/checkin":                                {by: dept, body: func(s *side) map[string]any { return map[string]any{"token": s.v("token-approved2")} }},
		"POST /enforce/inspections/{id}/task":                  {path: on("insp-planned"), by: dept, body: window},
		"POST /enforce/inspections/{id}/approve":               {path: on("insp-staffed"), by: dept},
		"POST /enforce/inspections/{id}/start":                 {path: on("insp-in"), by: dept},
		"POST /enforce/inspections/{id}/marks":                 {path: on("insp-started"), by: dept, body: func(s *side) map[string]any { return map[string]any{"result_" + s.v("insp-item"): "na"} }},
		"POST /enforce/inspections/{id}/findings":              {path: on("insp-started"), by: dept, upload: true, body: finding},
		"POST /enforce/inspections/{id}/findings/{fid}/remove": {path: map[string]string{"id": "insp-started", "fid": "insp-finding"}, by: dept},
		"POST /enforce/inspections/{id}/media":                 {path: on("insp-started"), by: dept, upload: true, raw: "photo.png", field: "files"},
		"POST /enforce/inspections/{id}/signatures":            {path: on("insp-started"), by: dept, body: sign},
		"POST /enforce/inspections/{id}/close":                 {path: on("insp-ready"), by: dept, body: closing},

		"GET /api/v1/enforce/inspections/{id}":          {path: on("insp-closed")},
		"GET /api/v1/enforce/inspections/{id}/exchange": {path: on("insp-closed")},
		"GET /api/v1/enforce/figures":                   {own: "the year's inspections in the viewer's scope"},
		"GET /api/v1/enterprises/{id}/entry-code":       {path: on("firm")},
		"PUT /api/v1/enforce/inspections/{id}/task": {path: on("insp-planned2"), by: dept, body: func(s *side) map[string]any {
			return map[string]any{"officers": []int64{s.n("officer2"), s.n("officer3")}, "from": todayISO(), "to": todayISO()}
		}},
		"POST /api/v1/enforce/inspections/{id}/approve": {path: on("insp-staffed2"), by: dept},
		"POST /api/v1/enforce/checkin":                  {by: dept, body: func(s *side) map[string]any { return map[string]any{"token": s.v("token-approved3")} }},
		"POST /api/v1/enforce/inspections/{id}/start":   {path: on("insp-in2"), by: dept, body: func(*side) map[string]any { return map[string]any{} }},
		"PUT /api/v1/enforce/inspections/{id}/marks": {path: on("insp-started"), by: dept, body: func(s *side) map[string]any {
			return map[string]any{"marks": []map[string]any{{"item": s.v("insp-item"), "result": "pass"}}}
		}},
		"POST /api/v1/enforce/inspections/{id}/findings":         {path: on("insp-started"), by: dept, body: finding},
		"DELETE /api/v1/enforce/inspections/{id}/findings/{fid}": {path: map[string]string{"id": "insp-started", "fid": "insp-finding2"}, by: dept},
		"POST /api/v1/enforce/inspections/{id}/media":            {path: on("insp-started"), by: dept, upload: true, raw: "photo.png", field: "files"},
		"PUT /api/v1/enforce/inspections/{id}/signatures": {path: on("insp-started"), by: dept, body: func(*side) map[string]any {
			return map[string]any{"role": "party", "name": "张三", "signature": apptest.Signature()}
		}},
		"POST /api/v1/enforce/inspections/{id}/close": {path: on("insp-ready2"), by: dept, body: closing},
	} {
		matrixRoutes[k] = v
	}
}

// todayISO is today in Shanghai, a task window's day.
func todayISO() string { return calendar.Local(time.Now()).Format("2006-01-02") }
