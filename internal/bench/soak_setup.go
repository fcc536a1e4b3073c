package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"

	"anwei/internal/app"
)

// setUp signs the users in and finds what the load works on: the
// enterprise, a hazard, the department's tasks, the PDFs the demo has, and
// which government users handle the enterprise's hazards.
func (s *soakRun) setUp(ctx context.Context, a *app.App) error {
	for _, name := range soakRoles {
		c, err := login(s.client, s.base, name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		act, err := a.Org.ActorByUsername(ctx, name)
		if err != nil {
			return err
		}
		s.users[name] = &soakUser{name: name, cookie: c, unit: act.Unit.ID}
	}
	s.enterp = s.users["enterprise"].unit
	var img bytes.Buffer
	m := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range m.Pix {
		m.Pix[i] = byte(i * 7)
	}
	m.Set(0, 0, color.White)
	if err := png.Encode(&img, m); err != nil {
		return err
	}
	s.photo = img.Bytes()

	var tasks struct {
		Items []struct {
			TaskID int64 `json:"task_id"`
		} `json:"items"`
	}
	if err := s.getJSON(ctx, "member", "/api/v1/assignments?unit_id="+strconv.FormatInt(s.users["member"].unit, 10)+"&limit=50", &tasks); err != nil {
		return err
	}
	for _, t := range tasks.Items {
		s.tasks = append(s.tasks, t.TaskID)
	}
	if len(s.tasks) == 0 {
		return errors.New("区应急局在演示工作要点中没有任务")
	}
	// Who handles the enterprise's hazards: each government user judges
	// one; those that may are the handlers. Only a refusal (403, 404,
	// 422) says a user may not; any other error ends the set-up.
	for _, g := range []string{"officer", "street"} {
		id, err := s.report(ctx, false)
		if err != nil {
			return err
		}
		s.hazard = id
		var he *httpError
		switch err := s.step(ctx, g, id, "judge"); {
		case err == nil:
			s.gov = append(s.gov, g)
			s.pipe = append(s.pipe, &soakHazard{id: id, gov: g, next: "assign"})
		case !errors.As(err, &he) || !refused(he.status):
			return fmt.Errorf("%s 判定隐患: %w", g, err)
		}
	}
	if len(s.gov) == 0 {
		return errors.New("区应急局和街道都不能判定演示企业的隐患")
	}
	// The bulletin is every official's; the writs found are the office's.
	s.pdfs = []string{"/hazards/bulletin.pdf"}
	var ids struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := s.getJSON(ctx, "office", "/api/v1/notices?limit=1", &ids); err != nil {
		return err
	}
	for _, n := range ids.Items {
		s.pdfs = append(s.pdfs, fmt.Sprintf("/notices/%d/pdf", n.ID))
	}
	ids.Items = nil
	if err := s.getJSON(ctx, "office", "/api/v1/hazard-listings?limit=1", &ids); err != nil {
		return err
	}
	for _, n := range ids.Items {
		s.pdfs = append(s.pdfs, fmt.Sprintf("/hazard-listings/%d/pdf", n.ID))
	}
	return nil
}

// refused reports whether status says the user may not (or the object is
// not theirs, or the step is not theirs to take).
func refused(status int) bool {
	return status == http.StatusForbidden || status == http.StatusNotFound || status == http.StatusUnprocessableEntity
}
