package org

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/store"
)

// The State Council's holiday notices of the years after the built-in
// table (国务院办公厅关于YYYY年部分节假日安排的通知), loaded by an
// administrator the day one is published: each is the setting
// holidays:YYYY, holding the notice's CSV (calendar.Notice.Text). Every
// server loads them into calendar at start and every few minutes
// (LoadHolidays, app's scheduler), so every "N 个工作日" counts by them.

// holidaysKey is the settings key prefix of the notices.
const holidaysKey = "holidays:"

// HolidayTable is the holiday table as a page shows it: its years, how
// far it is known, whether that ends soon (calendar.HolidaysRunOut), and
// the stored notices that could not be read (to be loaded again).
type HolidayTable struct {
	calendar.Known
	RunsOut    bool     `json:"runs_out"`
	Unreadable []string `json:"unreadable,omitempty"`
}

// ImportHolidays stores a year's notice (the CSV an administrator
// uploads: date,kind,name) and loads it: from then on the working days of
// that year are exact on this server at once, on the others within the
// scheduler's interval. A notice of a built-in year replaces it; a notice
// loaded again the same changes nothing. Its event holds the counts and
// the file's SHA-256.
func (s *Service) ImportHolidays(ctx context.Context, a *Actor, csv []byte) (calendar.YearInfo, error) {
	if err := a.Require(PermCalendarWrite); err != nil {
		return calendar.YearInfo{}, err
	}
	n, err := calendar.ParseNotice(csv)
	if err != nil {
		return calendar.YearInfo{}, err
	}
	if next := calendar.Local(s.clock.Now()).Year() + 1; n.Year() > next {
		return calendar.YearInfo{}, apperr.Field("file", fmt.Sprintf("这是 %d 年的安排：国务院办公厅在上一年年底才发布下一年的通知，现在最多可载入 %d 年的；请检查文件中的日期", n.Year(), next))
	}
	info, key, text := n.Info(), holidaysKey+strconv.Itoa(n.Year()), n.Text()
	sum := sha256.Sum256(csv)
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		before, had, err := ReadSetting(ctx, tx, key)
		if err != nil || before == text {
			return err
		}
		if err := WriteSetting(ctx, tx, key, text); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit.Entry{Action: "calendar.import", ObjectKind: "holidays", ObjectID: strconv.Itoa(n.Year()),
			Before: replaced(n.Year(), before, had),
			After:  map[string]any{"year": n.Year(), "holidays": info.Holidays, "workdays": info.Workdays, "sha256": hex.EncodeToString(sum[:])}})
	})
	if err != nil {
		return calendar.YearInfo{}, err
	}
	// The notice is stored: loading the table is this server's catching up,
	// which the scheduler does again within minutes (and logs what fails).
	_, _ = s.loadHolidays(ctx)
	return info, nil
}

// replaced is what an imported notice replaces, for its event: the stored
// notice of its year, the built-in one, or nothing.
func replaced(year int, stored string, had bool) any {
	if had {
		if n, err := calendar.ParseNotice([]byte(stored)); err == nil {
			in := n.Info()
			return map[string]any{"year": year, "holidays": in.Holidays, "workdays": in.Workdays, "source": in.Source}
		}
		return map[string]any{"year": year, "source": "导入 (无法读取)"}
	}
	for _, y := range calendar.Years() {
		if y.Year == year && !y.Imported {
			return map[string]any{"year": year, "holidays": y.Holidays, "workdays": y.Workdays, "source": y.Source}
		}
	}
	return nil
}

// LoadHolidays loads the stored notices into calendar (calendar.Load):
// at start and from the scheduler, so that several servers on one
// database count by the notice one of them imported. A stored notice that
// cannot be read is left out and named in the error; the others load.
func (s *Service) LoadHolidays(ctx context.Context) error {
	_, err := s.loadHolidays(ctx)
	return err
}

// Holidays is the holiday table, after loading the stored notices (so a
// page shows what another server imported a moment ago).
func (s *Service) Holidays(ctx context.Context) (HolidayTable, error) {
	known, err := s.loadHolidays(ctx)
	if err != nil && known.KnownThrough == "" {
		return HolidayTable{}, err
	}
	t := HolidayTable{Known: known, RunsOut: known.RunsOut(calendar.Local(s.clock.Now()).Format("2006-01-02"))}
	if u, ok := err.(unreadable); ok {
		t.Unreadable = u
	}
	return t, nil
}

// unreadable are stored notices that could not be read, each with why.
type unreadable []string

func (u unreadable) Error() string {
	return "无法读取已保存的节假日安排: " + strings.Join(u, "；")
}

func (s *Service) loadHolidays(ctx context.Context) (calendar.Known, error) {
	stored, err := ReadSettings(ctx, s.db, holidaysKey)
	if err != nil {
		return calendar.Known{}, err
	}
	var notices []calendar.Notice
	var bad unreadable
	for _, key := range slices.Sorted(maps.Keys(stored)) {
		n, err := calendar.ParseNotice([]byte(stored[key]))
		switch {
		case err != nil:
			bad = append(bad, key+": "+apperr.As(err).All())
		case key != holidaysKey+strconv.Itoa(n.Year()):
			bad = append(bad, fmt.Sprintf("%s: 内容是 %d 年的安排", key, n.Year()))
		default:
			notices = append(notices, n)
		}
	}
	known := calendar.Load(notices...)
	if len(bad) > 0 {
		return known, bad
	}
	return known, nil
}
