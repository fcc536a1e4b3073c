package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"anwei/internal/enforce"
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
