package web

import (
	"mime"
	"net/http"

	"anwei/internal/hazard"
)

// stepBody is a lifecycle step as the API takes it (photos go through the
// page form, or POST /hazards/{id}/photos).
type stepBody struct {
	Action    hazard.Action `json:"action"`
	Level     string        `json:"level,omitempty"`
	Criterion string        `json:"criterion,omitempty"`
	Reasoning string        `json:"reasoning,omitempty"`
	Deadline  string        `json:"deadline,omitempty"`
	Writ      string        `json:"writ,omitempty"`
	Evidence  string        `json:"evidence,omitempty"`
	Reason    string        `json:"reason,omitempty"`
}

// hazardFile is a hazard with its history, photos and listings.
type hazardFile struct {
	hazard.Hazard
	History  []hazard.Event   `json:"history"`
	Photos   []hazard.Photo   `json:"photos"`
	Listings []hazard.Listing `json:"listings"`
	Actions  []hazard.Action  `json:"actions"` // the steps the caller may take now
}

func (s *Server) apiHazards(_ http.ResponseWriter, r *http.Request) (any, error) {
	f, err := hazardFilter(r, 0)
	if err != nil {
		return nil, err
	}
	f.Page = apiPage(r)
	hs, n, err := s.Hazards.List(r.Context(), actorOf(r), f)
	return newList(hs, n, f.Page), err
}

// apiHazardCreate takes the report as JSON, or as the page's multipart form
// (its fields, with the photos as files and the photos after a 即查即改 as
// after_files), within the page's limit.
func (s *Server) apiHazardCreate(w http.ResponseWriter, r *http.Request) (any, error) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, filesBody)
		if err := checkForm(r, filesBody); err != nil {
			return nil, err
		}
		in, done, err := reportFormInput(r, uploadsOf)
		defer done()
		if err != nil {
			return nil, err
		}
		return s.Hazards.Report(r.Context(), actorOf(r), in)
	}
	in, err := body[hazard.ReportInput](r)
	if err != nil {
		return nil, err
	}
	return s.Hazards.Report(r.Context(), actorOf(r), in)
}

func (s *Server) apiHazard(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	a, ctx := actorOf(r), r.Context()
	var f hazardFile
	if f.Hazard, err = s.Hazards.Get(ctx, a, id); err != nil {
		return nil, err
	}
	if f.History, err = s.Hazards.GetHistory(ctx, a, id); err != nil {
		return nil, err
	}
	if f.Photos, err = s.Hazards.ListPhotos(ctx, a, id); err != nil {
		return nil, err
	}
	if f.Listings, err = s.Hazards.ListingsOf(ctx, a, id); err != nil {
		return nil, err
	}
	f.Actions = hazard.Allowed(a, f.Hazard)
	return f, nil
}

func (s *Server) apiHazardAct(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, b, err := idBody[stepBody](r)
	if err != nil {
		return nil, err
	}
	return s.Hazards.Act(r.Context(), actorOf(r), id, hazard.Step{Action: b.Action, Level: b.Level, Criterion: b.Criterion,
		Reasoning: b.Reasoning, Deadline: b.Deadline, Writ: b.Writ, Evidence: b.Evidence, Reason: b.Reason})
}

func (s *Server) apiHazardListing(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBody[hazard.ListingInput](r)
	if err != nil {
		return nil, err
	}
	return s.Hazards.AddListing(r.Context(), actorOf(r), id, in)
}

func (s *Server) apiListings(_ http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	f := hazard.ListingFilter{Mine: q.Get("mine") == "1", Active: q.Get("active") == "1", Page: apiPage(r)}
	ls, n, err := s.Hazards.Listings(r.Context(), actorOf(r), f)
	return newList(ls, n, f.Page), err
}

func (s *Server) apiHazardFigures(_ http.ResponseWriter, r *http.Request) (any, error) {
	return s.Hazards.Figures(r.Context(), actorOf(r), figuresYear(r))
}

func (s *Server) apiHazardTrend(_ http.ResponseWriter, r *http.Request) (any, error) {
	return s.Hazards.Trend(r.Context(), actorOf(r), figuresYear(r))
}

func (s *Server) apiBulletin(_ http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	return s.Hazards.Bulletin(r.Context(), actorOf(r), q.Get("from"), q.Get("to"))
}
