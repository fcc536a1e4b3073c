package app

import (
	"context"
	"time"

	"anwei/internal/inbox"
)

// Job is an action the scheduler repeats. It must be idempotent and keep
// its progress in the database (the overdue sweep marks what it told), so a
// restart or a second server running it changes nothing. A job that must
// act on one server at a time takes Tx.TryLock inside its transaction (the
// sweeps) or, when its work spans several transactions, runs under
// store.DB.Exclusive (the webhook's deliverer).
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) (int, error)
}

// Jobs are the scheduled actions of every mechanism.
func (a *App) Jobs() []Job {
	jobs := []Job{
		{Name: "plan.overdue", Every: time.Minute, Run: a.Plans.SweepOverdue},
		{Name: "hazard.overdue", Every: time.Minute, Run: a.Hazards.SweepOverdue},
		{Name: "enforce.age_out", Every: time.Hour, Run: a.Enforce.AgeOut},
		// Files held for a form that came back with an error go after a
		// day; they age on disk, so by the machine's time, not the app's.
		{Name: "files.pending", Every: time.Hour, Run: func(context.Context) (int, error) { return a.Files.ExpirePending(time.Now()) }},
		// A holiday notice another server on the database imported counts
		// here within the interval (org.LoadHolidays; its own import at once).
		{Name: "calendar.load", Every: 5 * time.Minute, Run: func(ctx context.Context) (int, error) { return 0, a.Org.LoadHolidays(ctx) }},
	}
	if a.Config.WebhookURL != "" {
		// Outbound messages go after their steps committed, from the
		// inbox itself (inbox.Deliverer): no statement more on a step.
		d := inbox.NewDeliverer(a.DB, &inbox.Webhook{URL: a.Config.WebhookURL, Secret: a.Config.WebhookSecret}, a.Config.Log, a.Clock.Now)
		jobs = append(jobs, Job{Name: "inbox.webhook", Every: 5 * time.Second, Run: d.Deliver})
	}
	return jobs
}

// RunScheduler runs every job once at start and then at its interval until
// ctx ends. The jobs read "now" from the app's clock.
func (a *App) RunScheduler(ctx context.Context) {
	for _, j := range a.Jobs() {
		go func(j Job) {
			t := time.NewTicker(j.Every)
			defer t.Stop()
			for {
				n, err := j.Run(ctx)
				switch {
				case err != nil && ctx.Err() == nil:
					a.Config.Log.Error("定时任务失败", "job", j.Name, "err", err)
				case n > 0:
					a.Config.Log.Info("定时任务", "job", j.Name, "acted", n)
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}(j)
	}
}
