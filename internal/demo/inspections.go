package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"slices"
	"strings"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/enforce"
	"anwei/internal/enterprise"
	"anwei/internal/files"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// The inspections' numbers: how many the year holds on site, how many of
// the plan's 重点 tasks stay unstaffed (the planner's next months), how
// many case inspections at least (举报、投诉、转办), and how many tasks wait
// approved for the officers to go.
const (
	yearsInspections = 30
	keepPlanned      = 10
	fewCases         = 4
	waitingTasks     = 2
)

// LoadInspections adds 区应急局's inspections on site up to today, after
// LoadEnforcement: the plan's 重点 tasks of the past months (ten of them
// left to staff), the draws' tasks and a few case inspections, each staffed
// by two officers, approved by the 局长, entered by the enterprise's code,
// checked item by item, its findings recorded, signed and closed with its
// writs; the orders re-checked when their deadlines passed (all rectified
// but one 拒不改正), the latest still open, and two tasks approved and not
// yet entered. Every step runs on its day, never after today; a registry
// too small to hold them loads what fits, or nothing.
func LoadInspections(ctx context.Context, orgs *org.Service, ents *enterprise.Service, en *enforce.Service, today time.Time) error {
	y, err := newInspectionYear(ctx, orgs, ents, en, today)
	if err != nil || y == nil {
		return err
	}
	if err := y.schedule(); err != nil {
		return err
	}
	if err := y.run(ctx); err != nil {
		return err
	}
	return loadCases(ctx, y)
}

// inspectionYear is the year being loaded.
type inspectionYear struct {
	en           *enforce.Service
	member, head *org.Actor
	officers     []*org.Actor
	year         int
	today        time.Time // the clock's reading
	last         time.Time // the latest day a step is taken on: yesterday
	tasks        []enforce.Inspection
	ents         map[int64]enterprise.Enterprise
	order        []int64 // the supervised enterprises, as listed
	visits       []*visit
	waiting      []*visit
	sigs         map[string][]byte
}

// visit is one inspection as the year holds it.
type visit struct {
	n        int // its place among the year's visits, by day
	task     enforce.Inspection
	basis    string // a case recorded on the day it is approved (task.ID 0)
	note     string
	theme    *problem // the problem a case's tip points at
	ent      enterprise.Enterprise
	items    []enforce.CheckItem
	team     []int // officers' indexes
	approve  time.Time
	day      time.Time
	slot     int // its order among the day's visits
	findings []*found
	refuse   bool // the party refuses to sign the record
	measures string
	position bool
	recheck  time.Time // the re-check's day; zero: the order is left open
	maxLast  time.Time // the latest deadline its order may set; zero: any
	clean    bool      // nothing found
	onSpot   bool      // only problems put right on the spot
	// set as it runs
	id     int64
	token  string
	closed enforce.Detail
}

// found is a finding as recorded, with what the officers wrote down.
type found struct {
	tpl     *problem
	in      enforce.FindingInput
	id      int64
	refused bool // 拒不改正 at the re-check
	photo   bool
}

func newInspectionYear(ctx context.Context, orgs *org.Service, ents *enterprise.Service, en *enforce.Service, today time.Time) (*inspectionYear, error) {
	member, err := orgs.ActorByUsername(ctx, "member")
	if err != nil {
		return nil, err
	}
	head, err := orgs.ActorByUsername(ctx, "head")
	if err != nil {
		return nil, err
	}
	y := &inspectionYear{en: en, member: member, head: head, today: today, ents: map[int64]enterprise.Enterprise{}, sigs: map[string][]byte{}}
	for _, name := range append([]string{"officer"}, func() []string {
		var u []string
		for _, o := range officers {
			u = append(u, o.user)
		}
		return u
	}()...) {
		a, err := orgs.ActorByUsername(ctx, name)
		if err != nil {
			return nil, err
		}
		y.officers = append(y.officers, a)
	}
	local := calendar.Local(today)
	y.year = local.Year()
	y.last = time.Date(y.year, local.Month(), local.Day(), 0, 0, 0, 0, calendar.Shanghai).AddDate(0, 0, -1)
	if y.last.Before(time.Date(y.year, 1, 20, 0, 0, 0, 0, calendar.Shanghai)) {
		return nil, nil // the year has hardly begun: its tasks are not due yet
	}
	for pg := (paging.Page{Limit: paging.Max}); ; pg.Offset += pg.Limit {
		es, _, err := ents.List(ctx, member, enterprise.Filter{DeptID: member.Unit.ID, Page: pg})
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			if e.Status == "operating" {
				y.ents[e.UnitID] = e
				y.order = append(y.order, e.UnitID)
			}
		}
		if len(es) < pg.Limit {
			break
		}
	}
	if len(y.ents) == 0 {
		return nil, nil
	}
	slices.Sort(y.order)
	for pg := (paging.Page{Limit: paging.Max}); ; pg.Offset += pg.Limit {
		ts, _, err := en.ListInspections(ctx, member, enforce.InspectionFilter{Year: y.year, State: enforce.StatePlanned, Page: pg})
		if err != nil {
			return nil, err
		}
		y.tasks = append(y.tasks, ts...)
		if len(ts) < pg.Limit {
			break
		}
	}
	slices.SortFunc(y.tasks, func(a, b enforce.Inspection) int {
		if a.Month != b.Month {
			return a.Month - b.Month
		}
		return int(a.ID - b.ID)
	})
	return y, nil
}

// date is a day of the year (midnight in Shanghai).
func (y *inspectionYear) date(month, day int) time.Time {
	return time.Date(y.year, time.Month(month), day, 0, 0, 0, 0, calendar.Shanghai)
}

func dayOf(t time.Time) time.Time {
	l := calendar.Local(t)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, calendar.Shanghai)
}

func ymd(t time.Time) string { return t.Format("2006-01-02") }

// workdayFrom is the first working day on or after d.
func workdayFrom(d time.Time) time.Time {
	for i := 0; i < 12 && !calendar.IsWorkday(d); i++ {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// workdayTo is the last working day on or before d.
func workdayTo(d time.Time) time.Time {
	for i := 0; i < 12 && !calendar.IsWorkday(d); i++ {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// spread picks k of n evenly (indexes ascending).
func spread(n, k int) []int {
	var out []int
	for j := 0; j < k && j < n; j++ {
		out = append(out, (2*j+1)*n/(2*k))
	}
	return out
}

// between is the j-th of k days spread evenly over [from, to].
func between(from, to time.Time, j, k int) time.Time {
	span := int(to.Sub(from).Hours() / 24)
	return from.AddDate(0, 0, span*(2*j+1)/(2*k))
}

// schedule decides the year: which tasks are done on which days by whom,
// with what found, and which are left for later.
func (y *inspectionYear) schedule() error {
	var plan, cases []enforce.Inspection
	draws := map[int64][]enforce.Inspection{}
	var drawIDs []int64
	for _, t := range y.tasks {
		switch {
		case t.Basis == enforce.BasisPlan && t.Officers == "":
			plan = append(plan, t)
		case t.Basis == enforce.BasisDraw && t.DrawID != nil:
			if _, ok := draws[*t.DrawID]; !ok {
				drawIDs = append(drawIDs, *t.DrawID)
			}
			draws[*t.DrawID] = append(draws[*t.DrawID], t)
		case t.Kind == enforce.Case && t.Officers == "":
			cases = append(cases, t)
		}
	}
	slices.Sort(drawIDs)
	busy := map[int64]bool{} // enterprises with a task of their own
	for _, t := range y.tasks {
		busy[t.EnterpriseID] = true
	}
	// The plan's 重点 tasks: those of the past months, spread over them,
	// leaving keepPlanned to staff.
	var eligible []*visit
	for k, t := range plan {
		e, ok := y.ents[t.EnterpriseID]
		if !ok {
			continue
		}
		day := workdayFrom(y.date(t.Month, 5+(k*4)%14))
		if created := dayOf(t.CreatedAt).AddDate(0, 0, 3); day.Before(created) {
			day = workdayFrom(created)
		}
		if day.After(y.last.AddDate(0, 0, -45)) {
			continue
		}
		eligible = append(eligible, &visit{task: t, ent: e, day: day})
	}
	used := map[int64]bool{}
	for _, i := range spread(len(eligible), min(len(eligible), len(plan)-keepPlanned)) {
		y.visits = append(y.visits, eligible[i])
		used[eligible[i].task.ID] = true
	}
	// Enterprises whose plan tasks wait: an order of theirs is re-checked
	// before today, so that a task staffed later finds none open.
	reserved := map[int64]bool{}
	for _, t := range plan {
		if !used[t.ID] {
			reserved[t.EnterpriseID] = true
		}
	}
	// The case tasks already recorded, done in the days after.
	for _, t := range cases {
		e, ok := y.ents[t.EnterpriseID]
		day := workdayFrom(dayOf(t.CreatedAt).AddDate(0, 0, 2))
		if !ok || day.After(y.last.AddDate(0, 0, -1)) {
			reserved[t.EnterpriseID] = true
			continue
		}
		v := &visit{task: t, ent: e, day: day}
		if strings.Contains(t.Note, "动火") {
			v.theme = general[themeHotWork]
		}
		y.visits = append(y.visits, v)
	}
	// The draws' tasks are done over the quarter after their drawing, as
	// many as the year needs.
	waitFrom := workdayTo(y.last) // the waiting tasks: approved on the last working day before today
	quota := yearsInspections - len(y.visits) - fewCases
	var windows []struct {
		ts       []enforce.Inspection
		from, to time.Time
	}
	room := 0
	for _, id := range drawIDs {
		ts := draws[id]
		if len(ts) == 0 {
			continue
		}
		from := dayOf(ts[0].CreatedAt).AddDate(0, 0, 5)
		to := dayOf(ts[0].CreatedAt).AddDate(0, 0, 100)
		if end := y.last.AddDate(0, 0, -2); end.Before(to) {
			to = end
		}
		if to.Before(from) {
			continue
		}
		windows = append(windows, struct {
			ts       []enforce.Inspection
			from, to time.Time
		}{ts, from, to})
		room += len(ts)
	}
	for n, w := range windows {
		k := 0
		if room > 0 && quota > 0 {
			k = min(len(w.ts), (quota*len(w.ts)+room-1)/room)
			if n == len(windows)-1 {
				k = min(len(w.ts), quota)
			}
		}
		for j, i := range spread(len(w.ts), k) {
			t := w.ts[i]
			e, ok := y.ents[t.EnterpriseID]
			if !ok {
				continue
			}
			day := between(w.from, w.to, j, k)
			if d := workdayFrom(day); !d.After(w.to) {
				day = d
			} else {
				day = workdayTo(day)
			}
			y.visits = append(y.visits, &visit{task: t, ent: e, day: day, team: y.teamOf(t)})
		}
		quota -= k
		room -= len(w.ts)
	}
	// Case inspections on tips, complaints and referrals fill the year,
	// each of an enterprise with no task of its own; the last two are the
	// tasks that wait.
	var free []enterprise.Enterprise
	for _, id := range y.order {
		if !busy[id] && !reserved[id] {
			free = append(free, y.ents[id])
		}
	}
	slices.SortFunc(free, func(a, b enterprise.Enterprise) int { return int(a.UnitID - b.UnitID) })
	// The registry's first of them is left uninspected: a record with no
	// inspection of the year (the enforce tests take it for a firm whose
	// case inspections they count from none).
	if len(free) > 0 {
		free = free[1:]
	}
	first, lastCase := y.date(1, 12), y.last.AddDate(0, 0, -2)
	workdays := 0
	for d := first; !d.After(lastCase); d = d.AddDate(0, 0, 1) {
		if calendar.IsWorkday(d) {
			workdays++
		}
	}
	need := min(max(fewCases, yearsInspections-len(y.visits)), 2*workdays) // at most two a working day
	waitCases := waitingTasks
	picks := spread(len(free), min(len(free), need+waitCases))
	k := len(picks) - waitCases
	days := y.caseDays(first, lastCase, k)
	for j, i := range picks {
		c := caseNotes[j%len(caseNotes)]
		v := &visit{basis: c.basis, note: c.note, theme: general[c.theme], ent: free[i]}
		if j >= k {
			v.approve = waitFrom
			y.waiting = append(y.waiting, v)
			continue
		}
		v.day = workdayFrom(days[j])
		if v.day.After(y.last.AddDate(0, 0, -1)) {
			v.day = workdayTo(lastCase)
		}
		y.visits = append(y.visits, v)
	}
	slices.SortStableFunc(y.visits, func(a, b *visit) int { return a.day.Compare(b.day) })
	perDay := map[time.Time]int{}
	for n, v := range y.visits {
		v.n = n
		v.slot = perDay[v.day]
		perDay[v.day]++
		if v.team == nil {
			v.team = pairOf(n)
		}
		v.approve = workdayTo(v.day.AddDate(0, 0, -1-n%3))
		if v.task.ID != 0 {
			if earliest := dayOf(v.task.CreatedAt).AddDate(0, 0, 1); v.approve.Before(earliest) {
				v.approve = earliest
			}
		} else if v.approve.Before(y.date(1, 5)) {
			v.approve = y.date(1, 5)
		}
		items, err := enforce.Checklist(v.ent.Categories, v.ent.MajorGrade != "")
		if err != nil {
			return err
		}
		v.items = items
		v.position = n%3 != 2
	}
	for n, v := range y.waiting { // 赵明 (the officer login) on each, for 扫码入企 today
		v.n = len(y.visits) + n
		v.team = []int{0, 2 + n%6}
	}
	// An enterprise's order is re-checked before its next task is
	// approved, and before today when its plan tasks wait.
	for _, v := range y.visits {
		var limit time.Time
		if reserved[v.ent.UnitID] {
			limit = y.last.AddDate(0, 0, -11)
		}
		for _, w := range append(slices.Clone(y.visits), y.waiting...) {
			if w != v && w.ent.UnitID == v.ent.UnitID && w.approve.After(v.day) {
				if l := w.approve.AddDate(0, 0, -11); limit.IsZero() || l.Before(limit) {
					limit = l
				}
			}
		}
		v.maxLast = limit
	}
	y.findings()
	return nil
}

// caseDays are the days of k case inspections between first and last:
// each in the widest gap the year's other visits leave; of many, the last
// three in the last fortnight (the latest orders still running).
func (y *inspectionYear) caseDays(first, last time.Time, k int) []time.Time {
	var out []time.Time
	if k >= 6 && last.AddDate(0, 0, -50).After(first) {
		for _, d := range []int{-13, -6, 0} {
			out = append(out, last.AddDate(0, 0, d))
		}
		k -= 3
	}
	points := append([]time.Time{first, last}, out...)
	for _, v := range y.visits {
		points = append(points, v.day)
	}
	gap := func(i int) int { return int(points[i+1].Sub(points[i]).Hours() / 24) }
	for range k {
		slices.SortFunc(points, func(a, b time.Time) int { return a.Compare(b) })
		best := 0
		for i := 1; i+1 < len(points); i++ {
			if gap(i) > gap(best) {
				best = i
			}
		}
		d := points[best].AddDate(0, 0, gap(best)/2)
		points = append(points, d)
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// teamOf is a draw's task's officers, as drawn.
func (y *inspectionYear) teamOf(t enforce.Inspection) []int {
	var team []int
	for _, f := range strings.Split(t.Officers, ",") {
		for n, o := range y.officers {
			if fmt.Sprint(o.UserID) == strings.TrimSpace(f) {
				team = append(team, n)
			}
		}
	}
	if len(team) < 2 {
		return nil
	}
	return team
}

// pairOf is the n-th team: 赵明 (the officer login) with each of the others
// in turn, and pairs of the others between.
func pairOf(n int) []int {
	if n%2 == 0 {
		return []int{0, 1 + (n/2)%7}
	}
	return []int{1 + (n*3)%7, 1 + (n*3+2)%7}
}

// findings decides what each visit finds: most find one to three problems
// of the enterprise's kind, some nothing, a few only what was put right on
// the spot; two find a 重大事故隐患, both rectified by today (an open one
// would move the enterprise's class, and which enterprise the draws put in
// the year is chance); one party refuses to sign; one problem is not put
// right by the re-check.
func (y *inspectionYear) findings() {
	n := len(y.visits)
	for _, v := range y.visits {
		recent := v.n >= n-4
		switch {
		case v.n%7 == 3 && !recent:
			v.clean = true
		case v.n%11 == 8 && !recent:
			v.onSpot = true
		}
	}
	// The two major hazards: one a third into the year, one two thirds.
	usedMajor := map[*problem]bool{}
	majorAt := func(v *visit) bool {
		if v.clean || v.onSpot || len(v.findings) > 0 || !v.maxLast.IsZero() {
			return false
		}
		for _, m := range majors {
			if usedMajor[m] || !m.fits(v.ent.Categories) || !v.day.AddDate(0, 0, m.days+11).Before(y.last) {
				continue // another's, of another trade, or not re-checked by today
			}
			if slices.ContainsFunc(v.items, func(it enforce.CheckItem) bool { return it.Key == m.in.Criterion }) {
				v.findings = append(v.findings, &found{tpl: m, photo: true})
				v.measures = m.measures
				usedMajor[m] = true
				return true
			}
		}
		return false
	}
	for _, v := range y.visits[n/3:] {
		if majorAt(v) {
			break
		}
	}
	for k := n * 2 / 3; k > n/3; k-- {
		if majorAt(y.visits[k]) {
			break
		}
	}
	for _, v := range y.visits {
		y.problemsOf(v)
	}
	// The party refusing to sign, and the one 拒不改正.
	for _, v := range y.visits[n*2/5:] {
		if len(v.findings) > 0 && v.measures == "" {
			v.refuse = true
			break
		}
	}
	refusedAt := func(v *visit) bool {
		if v.recheck.IsZero() || v.measures != "" {
			return false
		}
		for _, f := range v.findings {
			if f.in.Violation != "" && f.in.Deadline != "" {
				f.refused = true
				return true
			}
		}
		return false
	}
	done := false
	for _, v := range y.visits[n/2:] {
		if done = refusedAt(v); done {
			break
		}
	}
	for _, v := range y.visits[:n/2] {
		if done || refusedAt(v) {
			break
		}
	}
}

// problemsOf picks the visit's problems and sets their deadlines and the
// re-check's day.
func (y *inspectionYear) problemsOf(v *visit) {
	on := map[string]bool{}
	for _, it := range v.items {
		on[it.Key] = true
	}
	taken := map[string]bool{}
	for _, f := range v.findings {
		taken[f.tpl.in.ItemKey] = true
	}
	add := func(p *problem) bool {
		if !on[p.in.ItemKey] || taken[p.in.ItemKey] || !p.fits(v.ent.Categories) {
			return false
		}
		taken[p.in.ItemKey] = true
		v.findings = append(v.findings, &found{tpl: p, photo: p.in.Hazard && v.n%2 == 0})
		return true
	}
	switch {
	case v.clean:
	case v.onSpot:
		for k := range onTheSpot {
			if add(onTheSpot[(v.n+k)%len(onTheSpot)]) {
				break
			}
		}
	default:
		want := []int{2, 1, 3, 2, 2, 1}[v.n%6]
		if v.theme != nil {
			add(v.theme)
		}
		own := 0
		for k := 0; k < len(problems) && len(v.findings) < want && own < 2; k++ {
			if add(problems[(v.n*5+k)%len(problems)]) {
				own++
			}
		}
		for k := 0; k < len(general) && len(v.findings) < want; k++ {
			add(general[(v.n*3+k)%len(general)])
		}
		if v.n%4 == 1 {
			add(onTheSpot[v.n%len(onTheSpot)])
		}
	}
	var last time.Time
	kept := v.findings[:0]
	for _, f := range v.findings {
		f.in = f.tpl.in
		if f.tpl.days > 0 {
			due := v.day.AddDate(0, 0, f.tpl.days)
			if v.n >= len(y.visits)-3 { // the latest orders: still running today
				due = latest(due, v.day.AddDate(0, 0, 15), y.last.AddDate(0, 0, 5))
			}
			if !v.maxLast.IsZero() && due.After(v.maxLast) {
				due = v.maxLast
			}
			switch {
			case due.Sub(v.day) >= 3*24*time.Hour:
				f.in.Deadline = ymd(due)
				if due.After(last) {
					last = due
				}
			case !f.in.Hazard:
				f.in.Deadline = "" // put right there and then
			default:
				continue // no time left to order it: not found this time
			}
		}
		kept = append(kept, f)
	}
	v.findings = kept
	if last.IsZero() {
		return
	}
	// The re-check, on the first working day after the last deadline
	// within the task's window, when that day is past.
	r := last.AddDate(0, 0, 1)
	for k := 0; k < 9 && !calendar.IsWorkday(r); k++ {
		r = r.AddDate(0, 0, 1)
	}
	if !calendar.IsWorkday(r) {
		r = last
	}
	if !r.After(y.last) {
		v.recheck = r
	}
}

// problem is a kind of finding the demo's officers record: the finding
// (its item on the checklist), how many days it is given, the mark's note,
// what the re-check saw and, for some, the measures taken on the spot.
type problem struct {
	in       enforce.FindingInput
	days     int      // 0: put right on the spot
	cats     []string // the categories it is found in; none: any
	note     string   // the checklist mark's note
	fixed    string   // the re-check: rectified
	refused  string   // the re-check: not
	measures string
}

func (p *problem) fits(cats []string) bool {
	if len(p.cats) == 0 {
		return true
	}
	for _, c := range cats {
		if slices.Contains(p.cats, c) {
			return true
		}
	}
	return false
}

func hz(item, place, desc, violation string, days int, note, fixed string, cats ...string) *problem {
	return &problem{in: enforce.FindingInput{ItemKey: item, Place: place, Description: desc, Hazard: true, Level: hazard.General, Violation: violation},
		days: days, note: note, fixed: fixed, cats: cats}
}

func vi(item, place, desc string, days int, note, fixed string, cats ...string) *problem {
	return &problem{in: enforce.FindingInput{ItemKey: item, Place: place, Description: desc, Violation: item}, days: days, note: note, fixed: fixed, cats: cats}
}

// themeHotWork is the general problem a tip of 动火 points at.
const themeHotWork = 9

// general are problems of any enterprise.
var general = []*problem{
	hz("a105-2", "成品仓库东侧", "消防通道堆放包装材料、木托盘等杂物，占用疏散通道约15米", "a105-2", 7,
		"东侧疏散通道被包装材料和托盘占用", "杂物已清理，疏散通道畅通，已施划禁止占用标线"),
	hz("a99-2", "机修车间", "机修车间配电箱未接地，未安装漏电保护器，进线电缆绝缘层破损裸露", "", 10,
		"配电箱无接地、无漏电保护，电缆破损", "配电箱已可靠接地并加装漏电保护器，破损电缆已更换穿管"),
	vi("a97-7", "维修班组", "一名电焊作业人员未取得特种作业操作证上岗从事焊接作业", 15,
		"电焊工1人无特种作业操作证", "该人员已停止焊接作业，经培训考核取得熔化焊接与热切割作业操作证"),
	vi("a99-1", "配电室、空压机房", "配电室、空压机房未设置明显的安全警示标志", 5,
		"配电室、空压机房门口无警示标志", "已设置「当心触电」「禁止合闸」「注意高温」等警示标志"),
	vi("a97-4", "安全管理部", "安全生产教育和培训档案不全，2名新入职员工无三级安全教育记录", 15,
		"新员工三级安全教育无记录", "已对新员工补开展三级安全教育，培训档案及考试记录齐全"),
	vi("a97-6", "安全管理部", "未按规定组织生产安全事故应急预案演练，最近一次演练记录为上一年度", 30,
		"本年度未组织应急演练", "已组织火灾及泄漏事故综合演练，演练记录和评估报告齐全"),
	hz("a99-3", "生产车间", "车间内4具干粉灭火器压力不足，消防器材未进行月度检查维护", "a99-3", 7,
		"4具灭火器压力表指针在红区", "失效灭火器已更换，已建立消防器材月度检查记录"),
	vi("a99-5", "打磨工位", "打磨作业人员未佩戴防尘口罩和护目镜，企业未按标准配发劳动防护用品", 10,
		"打磨工未配发防尘口罩、护目镜", "已按标准配发防尘口罩和护目镜，建立劳动防护用品发放台账"),
	vi("a97-5", "安全管理部", "事故隐患排查治理情况未如实记录，近三个月隐患排查台账空白", 15,
		"隐患排查台账近三个月无记录", "已补建隐患排查治理台账，排查情况在班前会上通报"),
	hz("a101-3", "厂区东侧管廊", "管廊动火作业未安排专门人员进行现场安全管理，动火作业票审批手续不全", "a101-3", 5,
		"动火作业现场无监护人，作业票无审批签字", "已修订特殊作业管理制度，动火作业票经审批、现场设专人监护"),
}

// onTheSpot are problems put right while the officers were there.
var onTheSpot = []*problem{
	vi("a105-2", "办公楼二层", "二层安全出口疏散指示标志灯损坏不亮", 0, "疏散指示标志灯损坏，已当场更换", ""),
	vi("a99-1", "危险废物暂存间", "危险废物暂存间门口安全警示标识脱落", 0, "警示标识脱落，已当场重新张贴", ""),
	vi("a97-4", "安全管理部", "当月班组安全培训签到表未归档", 0, "签到表未归档，已当场补归档", ""),
}

// problems are those of an enterprise's kind.
var problems = []*problem{
	hz("a99-3", "甲醇储罐区", "甲醇储罐区可燃气体报警器未按规定定期检定，检定证书已过期", "a99-3", 15,
		"可燃气体报警器检定证书过期", "报警器已经有资质的机构检定合格，检定证书已存档", "hazchem"),
	hz("a101-1", "危险化学品装卸区", "装卸作业现场未设置静电接地报警装置，装卸操作规程未上墙", "a101-1", 10,
		"装卸区无静电接地报警装置", "已安装静电接地报警装置，装卸操作规程已上墙公示", "hazchem"),
	hz("a99-2", "液氯储罐区", "液氯储罐区有毒气体报警器未定期检定，2号探头故障未修复", "", 10,
		"液氯储罐区2号有毒气体探头故障", "故障探头已更换，报警系统经检定合格", "hazchem"),
	vi("a101-4", "反应釜区", "新增3号反应釜未开展安全风险辨识，安全风险分级管控清单未更新", 20,
		"新增反应釜未纳入风险分级管控清单", "已完成风险辨识评估，风险分级管控清单已更新公示", "hazchem"),
	hz("a99-3", "打磨车间", "车间地面、设备及梁柱表面积尘未及时清扫，无粉尘清扫记录", "a99-3", 7,
		"车间积尘明显，无清扫记录", "积尘已全面清扫，建立每班清扫记录", "dust"),
	hz("a99-2", "除尘器", "除尘器灰斗锁气卸灰装置损坏，卸灰口敞开", "", 10,
		"除尘器锁气卸灰装置损坏", "锁气卸灰装置已修复并试运行正常", "dust"),
	hz("a99-3", "氨制冷机房", "氨制冷机房氨气泄漏报警装置未定期检测，事故排风机未与报警装置联锁", "a99-3", 15,
		"氨气报警装置未检测，事故风机未联锁", "报警装置已检测合格，事故排风机已与报警装置联锁", "ammonia"),
	vi("a99-5", "冷库", "冷库作业人员未配备防冻服，氨制冷机房未配备正压式空气呼吸器", 10,
		"冷库无防冻服，机房无空气呼吸器", "已配备防冻服和2套正压式空气呼吸器", "ammonia"),
	hz("a101-3", "污水处理站", "有限空间作业未执行「先通风、再检测、后作业」要求，现场未配备气体检测仪", "a101-3", 5,
		"有限空间作业无通风检测", "已配备四合一气体检测仪和通风设备，作业审批制度已落实", "confined"),
	vi("a99-1", "发酵罐区", "有限空间入口未设置安全警示标志和危险告知牌", 5,
		"有限空间入口无警示标志", "各有限空间入口已设置警示标志和告知牌", "confined"),
	hz("a99-2", "熔炼车间", "中频炉冷却水出水温度监测报警装置失效", "", 10,
		"中频炉出水温度报警失效", "监测报警装置已修复并经联动测试", "metallurgy"),
	vi("a97-2", "安全管理部", "专职安全生产管理人员1人未经安全生产知识和管理能力考核合格", 30,
		"安全管理人员1人无考核合格证明", "该人员已参加考核并取得合格证明", "metallurgy", "hazchem", "fireworks"),
	hz("a99-4", "冲压车间", "2台冲床光电保护装置被拆除，双手操作按钮失效", "a99-4", 5,
		"冲床光电保护被拆除", "光电保护装置已恢复安装，双手操作按钮已修复", "trade"),
	hz("a99-3", "装配车间", "桥式起重机限位器失灵，未按期进行定期检验", "a99-3", 10,
		"起重机限位器失灵", "限位器已修复，起重机经特种设备检验机构检验合格", "trade"),
	vi("a99-1", "成品库区", "成品库区未设置明显的防火、防爆安全警示标志", 5,
		"成品库区无防火防爆标志", "已设置防火防爆警示标志", "fireworks"),
	hz("a99-3", "药物总库", "库房防雷、防静电设施未按规定定期检测", "a99-3", 15,
		"防雷防静电设施检测过期", "防雷防静电设施已检测合格", "fireworks"),
}

// majors are the 重大事故隐患 the officers may find, by the criterion of
// the enterprise's own standard, with the measures taken on the spot.
var majors = []*problem{
	{in: enforce.FindingInput{ItemKey: "hg121-12", Place: "甲类仓库", Description: "甲类仓库未按国家标准设置可燃气体检测报警装置，库内照明灯具为非防爆型",
		Hazard: true, Level: hazard.Major, Criterion: "hg121-12"}, days: 30, cats: []string{"hazchem"},
		note: "甲类仓库无可燃气体报警、灯具不防爆", fixed: "已安装可燃气体检测报警装置并接入控制室，灯具已更换为防爆型，经复查合格",
		measures: "责令甲类仓库立即停止使用，库存甲醇、丙酮等易燃液体转移至合规库房存放，重大事故隐患消除前不得恢复使用"},
	{in: enforce.FindingInput{ItemKey: "gm10-11-3", Place: "粉尘涉爆车间除尘系统", Description: "涉粉作业工段的干式除尘系统未采取泄爆、惰化、抑爆等任何一种爆炸防控措施",
		Hazard: true, Level: hazard.Major, Criterion: "gm10-11-3"}, days: 30, cats: []string{"dust"},
		note: "干式除尘器无泄爆、抑爆措施", fixed: "除尘器已加装泄爆片和无焰泄爆装置，经复查合格",
		measures: "责令涉粉作业工段立即停止作业、停止使用该除尘系统，撤出作业人员，重大事故隐患消除并经复查合格后方可恢复"},
	{in: enforce.FindingInput{ItemKey: "hg121-20", Place: "危险化学品库房", Description: "氧化剂与易燃液体混放于同一库房，未按国家标准分区分类储存",
		Hazard: true, Level: hazard.Major, Criterion: "hg121-20"}, days: 15, cats: []string{"hazchem"},
		note: "库房内禁配物质混放", fixed: "禁配物质已分库存放，库房已划分储存区域并设置标识，经复查合格",
		measures: "责令立即将禁配物质分开存放，撤出库房作业人员，隐患消除前停止该库房出入库作业"},
	{in: enforce.FindingInput{ItemKey: "gm10-3-2", Place: "维修车间", Description: "2名焊工未取得特种作业操作证从事电焊作业",
		Hazard: true, Level: hazard.Major, Criterion: "gm10-3-2", Violation: "a97-7"}, days: 20,
		note: "2名焊工无证作业", fixed: "2名焊工已取得特种作业操作证，无证期间未再从事焊接作业",
		measures: "责令无证人员立即停止电焊作业，焊接作业由持证人员进行"},
}

// caseNotes are the tips, complaints and referrals the case inspections
// answer, each with the problem it points at.
var caseNotes = []struct {
	basis, note string
	theme       int
}{
	{enforce.BasisTip, "群众举报: 该企业车间消防通道长期堆放杂物", 0},
	{enforce.BasisComplaint, "相邻单位投诉: 厂区配电设施老化，存在触电风险", 1},
	{enforce.BasisReferral, "市应急局转办: 12345热线反映该企业电焊工无证上岗", 2},
	{enforce.BasisTip, "职工举报: 新入职员工未经安全培训即上岗", 4},
	{enforce.BasisComplaint, "员工投诉: 企业未配发劳动防护用品", 7},
	{enforce.BasisReferral, "区消防救援大队移送: 日常检查发现灭火器失效，涉及安全生产违法行为", 6},
	{enforce.BasisTip, "群众举报: 该企业夜间违规动火作业", themeHotWork},
	{enforce.BasisReferral, "市应急局交办: 12345热线反映该企业从未组织应急演练", 5},
	{enforce.BasisComplaint, "职工投诉: 配电室等危险场所未设置警示标志", 3},
	{enforce.BasisTip, "群众举报: 企业隐患排查走过场，台账造假", 8},
}

// notApplicable are the items that do not concern an enterprise: the
// sectors' criteria of other trades, construction projects, dormitories.
func notApplicable(it enforce.CheckItem, cats []string) bool {
	has := func(c ...string) bool {
		return slices.ContainsFunc(cats, func(x string) bool { return slices.Contains(c, x) })
	}
	k := it.Key
	switch {
	case strings.HasPrefix(k, "a98-"):
		return true // no construction project this year
	case k == "a97-2":
		return !has("hazchem", "metallurgy", "fireworks", "mine")
	case k == "a105-1":
		return !has("hazchem", "fireworks")
	case k == "a99-6":
		return !has("hazchem")
	case slices.Contains([]string{"hg121-6", "hg121-7", "hg121-8", "hg121-19"}, k):
		return true // no liquefied hydrocarbons, no toxic-gas pipelines, no new process
	case strings.HasPrefix(k, "gm10-4-"), strings.HasPrefix(k, "gm10-5-"), k == "gm10-3-3":
		return !has("metallurgy")
	case strings.HasPrefix(k, "gm10-6-"):
		return true
	case strings.HasPrefix(k, "gm10-7-"):
		return !has("metallurgy")
	case strings.HasPrefix(k, "gm10-11-"):
		return !has("dust")
	}
	return false
}

// areasOf names what the officers walked through.
func areasOf(cats []string) string {
	for _, a := range []struct{ cat, words string }{
		{"hazchem", "生产装置、储罐区、危险化学品仓库和装卸区"}, {"fireworks", "药物总库、成品库和生产工房"},
		{"metallurgy", "熔炼车间、铸造区域和配电室"}, {"dust", "粉尘涉爆车间和除尘系统"}, {"ammonia", "氨制冷机房和冷库"},
		{"confined", "生产车间和有限空间作业场所"}, {"trade", "生产车间、仓库和配电室"},
	} {
		if slices.Contains(cats, a.cat) {
			return a.words
		}
	}
	return "生产经营场所"
}

// step is a dated piece of the year: they run in the order of their times,
// so numbers (writs, hazards) follow the days they were given on.
type step struct {
	at  time.Time
	seq int
	run func(ctx context.Context) error
}

// at is the service on a day at a time of day, never after today.
func (y *inspectionYear) at(day time.Time, minutes int) *enforce.Service {
	t := day.Add(time.Duration(minutes) * time.Minute)
	if t.After(y.today) {
		t = y.today
	}
	return y.en.WithClock(calendar.NewFixed(t))
}

func (y *inspectionYear) run(ctx context.Context) error {
	var steps []step
	add := func(day time.Time, minutes int, run func(ctx context.Context) error) {
		steps = append(steps, step{at: day.Add(time.Duration(minutes) * time.Minute), seq: len(steps), run: run})
	}
	for _, v := range y.visits {
		add(v.approve, 15*60+v.n%30, func(ctx context.Context) error { return y.approveTask(ctx, v, v.day) })
		start := 9*60 + 40*v.slot
		add(v.day, start, func(ctx context.Context) error { return y.inspect(ctx, v, start) })
		if !v.recheck.IsZero() {
			add(v.recheck, 14*60+30*v.slot, func(ctx context.Context) error { return y.recheck(ctx, v, 14*60+30*v.slot) })
		}
	}
	for n, v := range y.waiting {
		add(v.approve, 16*60+n, func(ctx context.Context) error { return y.approveTask(ctx, v, time.Time{}) })
	}
	slices.SortStableFunc(steps, func(a, b step) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
	for _, s := range steps {
		if err := s.run(ctx); err != nil {
			return err
		}
	}
	return nil
}

// approveTask records a case the day it comes in, staffs the task and has
// the head approve it: for the day of the visit, or (zero) from tomorrow on
// for the officers to go.
func (y *inspectionYear) approveTask(ctx context.Context, v *visit, day time.Time) error {
	minute := 15*60 + v.n%30
	if day.IsZero() {
		minute = 16 * 60
	}
	v.id = v.task.ID
	if v.id == 0 {
		i, err := y.at(v.approve, minute-20).AddInspection(ctx, y.member, enforce.InspectionInput{EnterpriseID: v.ent.UnitID, Basis: v.basis, Note: v.note})
		if err != nil {
			return fmt.Errorf("个案检查 %s: %w", v.ent.Name, err)
		}
		v.id = i.ID
	}
	in := enforce.TaskInput{From: ymd(v.approve), To: ymd(day.AddDate(0, 0, 7))}
	if day.IsZero() {
		in.From, in.To = ymd(v.approve.AddDate(0, 0, 1)), ymd(v.approve.AddDate(0, 0, 15))
	}
	if end := fmt.Sprintf("%d-12-31", y.year); in.To > end { // a task's window stays in its year
		in.To = end
	}
	if in.From > in.To {
		in.From = in.To
	}
	var err error
	for k := 0; k < len(y.officers); k++ {
		in.Officers = []int64{y.officers[v.team[0]].UserID, y.officers[v.team[1]].UserID}
		if err = y.at(v.approve, minute).SetTask(ctx, y.member, v.id, in); err == nil {
			break
		}
		v.team = pairOf(v.n + k + 1) // an officer who declared an interest: another pair
	}
	if err != nil {
		return fmt.Errorf("检查任务 %s: %w", v.ent.Name, err)
	}
	if err := y.at(v.approve, minute+10).ApproveTask(ctx, y.head, v.id); err != nil {
		return fmt.Errorf("审批检查任务 %s: %w", v.ent.Name, err)
	}
	return nil
}

// inspect is the visit on site, from the entry code to the closed record.
func (y *inspectionYear) inspect(ctx context.Context, v *visit, start int) error {
	o1, o2 := y.officers[v.team[0]], y.officers[v.team[1]]
	token, err := y.en.CheckinToken(ctx, o1, v.ent.UnitID)
	if err != nil {
		return err
	}
	v.token = token
	fail := func(what string, err error) error { return fmt.Errorf("执法检查 %s %s: %w", v.ent.Name, what, err) }
	if id, err := y.at(v.day, start).CheckIn(ctx, o1, token); err != nil || id != v.id {
		return fail("扫码入企", fmt.Errorf("task %d, got %d: %v", v.id, id, err))
	}
	var pos enforce.StartInput
	if v.position {
		lat := 36.62 + 0.07*frac(float64(v.n)*0.618)
		lon := 116.92 + 0.16*frac(float64(v.n)*0.382+0.1)
		pos = enforce.StartInput{Lat: &lat, Lon: &lon}
	}
	if err := y.at(v.day, start+5).Start(ctx, o1, v.id, pos); err != nil {
		return fail("开始检查", err)
	}
	failed := map[string]*found{}
	for _, f := range v.findings {
		failed[f.in.ItemKey] = f
	}
	var marks []enforce.MarkInput
	for _, it := range v.items {
		m := enforce.MarkInput{Item: it.Key, Result: "pass"}
		if f := failed[it.Key]; f != nil {
			m.Result, m.Note = "fail", f.tpl.note
		} else if notApplicable(it, v.ent.Categories) {
			m.Result = "na"
		}
		marks = append(marks, m)
	}
	half := len(marks) / 2
	if err := y.at(v.day, start+60).Mark(ctx, o1, v.id, marks[:half]); err != nil {
		return fail("检查表", err)
	}
	if err := y.at(v.day, start+75).Mark(ctx, o2, v.id, marks[half:]); err != nil {
		return fail("检查表", err)
	}
	for k, f := range v.findings {
		got, err := y.at(v.day, start+80+k).AddFinding(ctx, o1, v.id, f.in)
		if err != nil {
			return fail("发现问题 "+f.in.Description, err)
		}
		f.id = got.ID
		if f.photo {
			if _, err := y.at(v.day, start+85+k).AddMedia(ctx, o2, v.id, enforce.MediaInput{FindingID: f.id,
				Files: []files.Upload{{Name: fmt.Sprintf("%s-%d.png", f.in.Place, k+1), Body: bytes.NewReader(photo(v.n, k))}}}); err != nil {
				return fail("现场照片", err)
			}
		}
	}
	party, post := v.ent.SafetyManager, "安全管理负责人"
	if v.n%3 == 0 || party == "" {
		party, post = v.ent.Principal, "主要负责人"
	}
	if party == "" {
		party, post = "王立新", "现场负责人"
	}
	if err := y.sign(ctx, y.at(v.day, start+95), v, v.id, party, v.refuse); err != nil {
		return fail("签名", err)
	}
	summary := fmt.Sprintf("执法人员出示执法证件、说明检查事由后，在%s（%s）陪同下，按检查表对%s进行了检查，查阅了安全生产责任制、教育培训、隐患排查治理和应急预案演练等资料。",
		party, post, areasOf(v.ent.Categories))
	if (v.task.Kind == enforce.Case || v.basis != "") && v.clean {
		summary += "经现场核查，举报 (投诉) 反映的问题未发现。"
	}
	handling := ""
	if v.onSpot {
		handling = "现场发现的问题已当场督促整改完毕。"
	}
	place := v.ent.Address
	if place == "" {
		place = v.ent.Name + "厂区"
	}
	d, err := y.at(v.day, start+105).Close(ctx, o1, v.id, enforce.CloseInput{Place: place, Party: party, PartyPost: post,
		Summary: summary, Handling: handling, Measures: v.measures})
	if err != nil {
		return fail("完成检查", err)
	}
	v.closed = d
	return nil
}

// recheck is the 整改复查 of the visit's order: each problem rectified,
// but the one 拒不改正.
func (y *inspectionYear) recheck(ctx context.Context, v *visit, start int) error {
	o := y.officers[v.team[1]]
	fail := func(what string, err error) error { return fmt.Errorf("整改复查 %s %s: %w", v.ent.Name, what, err) }
	if id, err := y.at(v.recheck, start).CheckIn(ctx, o, v.token); err != nil || id != v.closed.Recheck {
		return fail("扫码入企", fmt.Errorf("re-check %d, got %d: %v", v.closed.Recheck, id, err))
	}
	id := v.closed.Recheck
	if err := y.at(v.recheck, start+3).Start(ctx, o, id, enforce.StartInput{}); err != nil {
		return fail("开始复查", err)
	}
	var marks []enforce.MarkInput
	for _, f := range v.findings {
		if f.in.Deadline == "" {
			continue
		}
		m := enforce.MarkInput{Item: fmt.Sprint("f", f.id), Result: "pass", Note: f.tpl.fixed}
		if f.refused {
			m.Result, m.Note = "fail", f.tpl.refused
			if m.Note == "" {
				m.Note = "逾期未整改，复查时现场情况与检查时相同，企业未提交整改报告，也未说明理由"
			}
		}
		marks = append(marks, m)
	}
	if err := y.at(v.recheck, start+30).Mark(ctx, o, id, marks); err != nil {
		return fail("复查", err)
	}
	party := v.closed.Party
	if err := y.sign(ctx, y.at(v.recheck, start+35), v, id, party, false); err != nil {
		return fail("签名", err)
	}
	order := ""
	for _, w := range v.closed.Writs {
		if w.Kind == enforce.WritOrder {
			order = w.Number
		}
	}
	if _, err := y.at(v.recheck, start+40).Close(ctx, o, id, enforce.CloseInput{Place: v.closed.Place, Party: party, PartyPost: v.closed.PartyPost,
		Summary: fmt.Sprintf("对%s所列问题逐项进行现场复查，查看了整改现场并查阅整改资料。", order)}); err != nil {
		return fail("完成复查", err)
	}
	return nil
}

// sign has both officers and the party sign the record (or the party
// refuse, the officers noting it).
func (y *inspectionYear) sign(ctx context.Context, s *enforce.Service, v *visit, id int64, party string, refuse bool) error {
	o1, o2 := y.officers[v.team[0]], y.officers[v.team[1]]
	if err := s.Sign(ctx, o1, id, enforce.SignInput{Role: "officer1", PNG: y.signature(o1.Name)}); err != nil {
		return err
	}
	if err := s.Sign(ctx, o2, id, enforce.SignInput{Role: "officer2", PNG: y.signature(o2.Name)}); err != nil {
		return err
	}
	in := enforce.SignInput{Role: "party", Name: party, PNG: y.signature(party)}
	if refuse {
		in = enforce.SignInput{Role: "party", Name: party, Refused: true,
			Reason: "现场负责人对检查发现的问题有异议，拒绝在现场检查记录上签字；执法人员已当场注明，全程有执法记录仪录像"}
	}
	return s.Sign(ctx, o1, id, in)
}

func frac(x float64) float64 { return x - math.Floor(x) }

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}

// signature is a name written with a finger: a PNG of strokes, one per
// character, the same each time for the same name.
func (y *inspectionYear) signature(name string) []byte {
	if b, ok := y.sigs[name]; ok {
		return b
	}
	img := image.NewNRGBA(image.Rect(0, 0, 300, 100))
	ink := color.NRGBA{R: 20, G: 24, B: 48, A: 255}
	dot := func(x, y float64) {
		for dx := 0; dx < 2; dx++ {
			for dy := 0; dy < 2; dy++ {
				img.SetNRGBA(int(x)+dx, int(y)+dy, ink)
			}
		}
	}
	for k, r := range []rune(name) {
		if k == 4 {
			break
		}
		x0, a, b := 20+float64(k)*68, float64(r%5)+2, float64(r%7)
		for t := 0.0; t < 1; t += 0.002 {
			dot(x0+52*t+9*math.Sin(2*math.Pi*t*a), 50+28*math.Sin(2*math.Pi*t*(1+float64(r%3))+b)*math.Cos(math.Pi*t))
		}
	}
	for t := 0.0; t < 1; t += 0.002 { // the flourish under it
		dot(30+240*t, 86-6*math.Sin(math.Pi*t))
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	y.sigs[name] = buf.Bytes()
	return y.sigs[name]
}

// photo is a small picture of the place, different for each finding.
func photo(n, k int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 160, 120))
	for x := 0; x < 160; x++ {
		for yy := 0; yy < 120; yy++ {
			g := uint8(120 + (x+yy+n*7)%60)
			img.SetNRGBA(x, yy, color.NRGBA{R: g, G: g, B: uint8(int(g) - 20 + k*10), A: 255})
		}
	}
	for x := 30 + n%40; x < 110+n%40; x++ { // a marked-out thing, in safety yellow and black
		for yy := 40; yy < 80; yy++ {
			c := color.NRGBA{R: 240, G: 200, B: 0, A: 255}
			if (x+yy)/8%2 == 0 {
				c = color.NRGBA{R: 20, G: 20, B: 20, A: 255}
			}
			img.SetNRGBA(x, yy, c)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}
