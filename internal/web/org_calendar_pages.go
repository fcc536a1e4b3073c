package web

import (
	"io"
	"net/http"

	"anwei/internal/apperr"
	"anwei/internal/calendar"
)

// The holiday table (节假日安排): the years every "N 个工作日" counts by,
// and the administrator's upload of a year's State Council notice
// (org.ImportHolidays).

// calendarPage lists the table's years.
func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCalendar(w, r, nil)
}

// renderCalendar renders the table; ferr, when not nil, is what was wrong
// with the uploaded notice, row by row.
func (s *Server) renderCalendar(w http.ResponseWriter, r *http.Request, ferr error) error {
	t, err := s.Org.Holidays(r.Context())
	if err != nil {
		return err
	}
	p := pageData{Title: "节假日安排", Actor: actorOf(r), Flash: flashOf(r), Data: t}
	if ferr != nil {
		return s.formErr(w, r, "org/calendar", p, ferr)
	}
	s.pages.render(w, r, "org/calendar", p)
	return nil
}

// calendarImport loads the uploaded notice (the form's file).
func (s *Server) calendarImport(w http.ResponseWriter, r *http.Request) error {
	text, err := formNotice(r)
	if err == nil {
		_, err = s.Org.ImportHolidays(r.Context(), actorOf(r), text)
	}
	if err != nil {
		return s.renderCalendar(w, r, err)
	}
	redirectOK(w, r, "/org/calendar", "holidays")
	return nil
}

// formNotice reads the form's file: no more than a notice can be (a
// larger one is refused by calendar.ParseNotice).
func formNotice(r *http.Request) ([]byte, error) {
	f, _, err := r.FormFile("file")
	if err != nil {
		return nil, apperr.Field("file", "请选择通知的 CSV 文件 (列 date,kind,name)")
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, calendar.MaxNoticeBytes+1))
}
