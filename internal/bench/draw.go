package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"anwei/internal/demo"
	"anwei/internal/enforce"
	"anwei/internal/enterprise"
	"anwei/internal/org"
)

// benchDraw times a 双随机 draw over a 200,000-enterprise registry and 500
// officers (each with three declared conflicts, and the last inspectors
// kept off 1,000 enterprises): commit, seed and draw 2,000 enterprises
// with two officers each (draw, ms; target ≤ 1 s), and the same checked
// again from the record's JSON (draw_verify, ms; the record's size in MB).
// Pure computation: no database.
func benchDraw(_ context.Context, o Options, emit func(string, float64, string)) error {
	n := 2 * o.rows()
	r := rand.New(rand.NewPCG(22, 200000))
	l := enforce.DrawLists{Count: max(n/100, 1), PerEnterprise: 2, ExcludeLast: map[string][]int64{}, PublicFormat: `^bench 公开值 \d \d \d$`}
	for i := 1; i <= n; i++ {
		l.Enterprises = append(l.Enterprises, enforce.DrawEnterprise{ID: int64(i), Name: fmt.Sprintf("济南生成工贸%06d有限公司", i),
			CreditCode: fmt.Sprintf("91370105MA%08d", i)})
	}
	for i := 1; i <= 500; i++ {
		l.Officers = append(l.Officers, enforce.DrawOfficer{ID: int64(i), Name: "执法" + strconv.Itoa(i), Unit: "区应急局",
			Conflicts: []int64{int64(r.IntN(n) + 1), int64(r.IntN(n) + 1), int64(r.IntN(n) + 1)}})
	}
	for i := 0; i < 1000; i++ {
		l.ExcludeLast[strconv.Itoa(r.IntN(n)+1)] = []int64{int64(r.IntN(500) + 1), int64(r.IntN(500) + 1)}
	}
	share := make([]byte, 32)
	for i := range share {
		share[i] = byte(r.IntN(256))
	}
	begin := time.Now()
	rec, err := enforce.MakeDraw(l, share, "bench 公开值 1 2 3")
	if err != nil {
		return err
	}
	emit("draw", float64(time.Since(begin).Microseconds())/1000, "ms")
	// Verifying starts from the record as a file holds it, as anwei draw
	// verify reads it.
	doc, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	begin = time.Now()
	var read enforce.DrawRecord
	if err := json.Unmarshal(doc, &read); err != nil {
		return err
	}
	if p := enforce.Verify(read, rec.Commitment); p != nil {
		return fmt.Errorf("the bench's own draw does not verify: %v", p)
	}
	emit("draw_verify", float64(time.Since(begin).Microseconds())/1000, "ms")
	emit("draw_record", float64(len(doc))/1e6, "MB")
	emit("draw_count", float64(len(rec.Result)), "enterprises")
	return nil
}

// benchDrawRegistry is the same draw through the platform: 200,000
// generated enterprises imported into the registry (区应急局 supervising
// every category: its 检查对象名录库 is the registry), 500 officers in its 名录库; step 1
// (the 名录库 read from the registry with each enterprise's inspections of
// the year, checked, committed and stored: draw_commit, ms) and steps 2–3
// (the record read back, drawn, the picks' caps checked again, the
// inspections scheduled: draw_run, ms), 2,000 enterprises with two
// officers each; draw_registry is the 名录库's size.
func benchDrawRegistry(ctx context.Context, o Options, emit func(string, float64, string)) error {
	n := 2 * o.rows()
	a, office, streets, done, err := registryApp(ctx, o, "draw")
	if err != nil {
		return err
	}
	defer done()
	member, err := a.Org.ActorByUsername(ctx, "member")
	if err != nil {
		return err
	}
	// 区应急局 takes every category's duty here, so its 名录库 is the whole
	// registry.
	for _, c := range enterprise.Categories {
		if _, err := a.Ents.SetDutyRule(ctx, office, c.Key, member.Unit.ID, true); err != nil {
			return err
		}
	}
	if err := fill(ctx, a, office, demo.EnterpriseSheet(n, streets, a.Plans.Today(), 13)); err != nil {
		return err
	}
	officers := min(500, max(4, n/400))
	// The officers' accounts four at a time (their password hashes are
	// the slow part).
	errs := make(chan error, officers)
	sem := make(chan struct{}, 4)
	for i := 0; i < officers; i++ {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			u, err := a.Org.CreateUser(ctx, org.System, org.UserInput{Username: fmt.Sprintf("bench-officer-%03d", i), DisplayName: fmt.Sprintf("执法%03d", i),
				UnitID: member.Unit.ID, Roles: []org.Role{org.RoleOfficer}, Password: demo.Password})
			if err == nil {
				err = a.Enforce.SetOfficer(ctx, member, enforce.OfficerInput{UserID: u.ID, CertNo: fmt.Sprintf("370105%08d", i), Active: true})
			}
			errs <- err
		}()
	}
	for i := 0; i < officers; i++ {
		if err := <-errs; err != nil {
			return err
		}
	}
	if err := vacuumed(ctx, a.DB); err != nil {
		return err
	}
	in := enforce.DrawInput{Count: max(n/100, 1), PerEnterprise: 2, IncludeKey: true, ExcludeLast: true,
		PublicSource: "bench 见证人输入的三位数", PublicFormat: `^\d{3}$`}
	begin := time.Now()
	id, err := a.Enforce.CommitDraw(ctx, member, in)
	if err != nil {
		return err
	}
	emit("draw_commit", float64(time.Since(begin).Microseconds())/1000, "ms")
	begin = time.Now()
	if err := a.Enforce.RunDraw(ctx, member, id, "123"); err != nil {
		return err
	}
	emit("draw_run", float64(time.Since(begin).Microseconds())/1000, "ms")
	d, err := a.Enforce.GetDraw(ctx, member, id)
	if err != nil {
		return err
	}
	emit("draw_registry", float64(d.Enterprises), "enterprises")
	return nil
}
