// Package calendar keeps anwei's time: an injected clock (so tests can travel
// in time) and the Asia/Shanghai zone in which dates are shown and deadlines
// fall. Storage is always UTC.
package calendar

import (
	"sync"
	"time"
)

// Clock tells the time. Every "now" in anwei comes from a Clock.
type Clock interface {
	Now() time.Time
}

// System is the real clock.
type System struct{}

// Now returns the current time in UTC.
func (System) Now() time.Time { return time.Now().UTC() }

// Fixed is a settable clock for tests.
type Fixed struct {
	mu sync.Mutex
	t  time.Time
}

// NewFixed returns a clock standing at t.
func NewFixed(t time.Time) *Fixed { return &Fixed{t: t.UTC()} }

// Now returns the clock's time.
func (f *Fixed) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Advance moves the clock forward by d.
func (f *Fixed) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

// Shanghai is the zone dates are shown in (UTC+8, no daylight saving).
var Shanghai = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

// Local converts t to Asia/Shanghai for display.
func Local(t time.Time) time.Time { return t.In(Shanghai) }
