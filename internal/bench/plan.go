package bench

import (
	"context"
	"fmt"
	"time"

	"anwei/internal/plan"
)

// benchPlanParse measures decoding and parsing the published plans, in MB/s
// of input, repeated for o.Duration (at most 5 s).
func benchPlanParse(ctx context.Context, o Options, emit func(string, float64, string)) error {
	docs := plan.Samples()
	if len(docs) == 0 {
		return fmt.Errorf("no sample plans embedded")
	}
	deadline := time.Now().Add(min(o.Duration, 5*time.Second))
	begin := time.Now()
	bytes := 0
	for time.Now().Before(deadline) && ctx.Err() == nil {
		for _, b := range docs {
			text, err := plan.Decode(b)
			if err != nil {
				return err
			}
			if _, err := plan.Parse(text, 0); err != nil {
				return err
			}
			bytes += len(b)
		}
	}
	emit("plan_parse", float64(bytes)/1e6/time.Since(begin).Seconds(), "MB/s")
	return nil
}
