package web

import (
	"io"
	"net/http"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/org"
)

func (s *Server) apiRegions(_ http.ResponseWriter, r *http.Request) (any, error) {
	p, q := apiPage(r), r.URL.Query()
	rs, n, err := s.Org.ListRegions(r.Context(), actorOf(r), org.RegionFilter{Parent: q.Get("parent"), Q: q.Get("q"), Page: p})
	return newList(rs, n, p), err
}

func (s *Server) apiRegion(_ http.ResponseWriter, r *http.Request) (any, error) {
	return s.Org.GetRegion(r.Context(), actorOf(r), r.PathValue("code"))
}

func (s *Server) apiRegionCreate(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[org.RegionInput](r)
	if err != nil {
		return nil, err
	}
	return s.Org.CreateRegion(r.Context(), actorOf(r), in)
}

func (s *Server) apiRegionRename(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := bodyOf[org.RegionInput, org.Region](r)
	if err != nil {
		return nil, err
	}
	return s.Org.RenameRegion(r.Context(), actorOf(r), r.PathValue("code"), in.Name)
}

func (s *Server) apiRegionActive(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := bodyOf[activeBody, org.Region](r)
	if err != nil {
		return nil, err
	}
	return done(s.Org.SetRegionActive(r.Context(), actorOf(r), r.PathValue("code"), in.Active))
}

func (s *Server) apiUnits(_ http.ResponseWriter, r *http.Request) (any, error) {
	p, q := apiPage(r), r.URL.Query()
	us, n, err := s.Org.ListUnits(r.Context(), actorOf(r), org.UnitFilter{Kinds: unitKindsOf(q.Get("kind")),
		Region: q.Get("region"), Q: q.Get("q"), Active: q.Get("active"), Sort: sortOf(r), Page: p})
	return newList(us, n, p), err
}

func (s *Server) apiUnit(_ http.ResponseWriter, r *http.Request) (any, error) {
	uid, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Org.GetUnit(r.Context(), actorOf(r), uid)
}

func (s *Server) apiUnitCreate(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[org.UnitInput](r)
	if err != nil {
		return nil, err
	}
	return s.Org.CreateUnit(r.Context(), actorOf(r), in)
}

func (s *Server) apiUnitUpdate(_ http.ResponseWriter, r *http.Request) (any, error) {
	uid, in, err := idBodyOf[org.UnitInput, org.Unit](r)
	if err != nil {
		return nil, err
	}
	return s.Org.UpdateUnit(r.Context(), actorOf(r), uid, in)
}

// activeBody is the body of the …/active endpoints; the record GET answers
// (a unit, a user, a region) is taken as well, for its active field.
type activeBody struct {
	Active bool `json:"active"`
}

func (s *Server) apiUnitActive(_ http.ResponseWriter, r *http.Request) (any, error) {
	uid, in, err := idBodyOf[activeBody, org.Unit](r)
	if err != nil {
		return nil, err
	}
	return done(s.Org.SetUnitActive(r.Context(), actorOf(r), uid, in.Active))
}

func (s *Server) apiMembers(_ http.ResponseWriter, r *http.Request) (any, error) {
	cid, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	ms, err := s.Org.ListMembers(r.Context(), actorOf(r), cid)
	if ms == nil {
		ms = []org.Member{}
	}
	return map[string][]org.Member{"items": ms}, err
}

// memberBody is the body of PUT /committees/{id}/members/{member}; a
// member as GET …/members lists it is taken as well, for its role.
type memberBody struct {
	Role org.CommitteeRole `json:"role"`
}

// committeeMember reads the committee and member ids of the path.
func committeeMember(r *http.Request) (cid, mid int64, err error) {
	if cid, err = pathID(r, "id"); err == nil {
		mid, err = pathID(r, "member")
	}
	return
}

func (s *Server) apiMemberSet(_ http.ResponseWriter, r *http.Request) (any, error) {
	cid, mid, err := committeeMember(r)
	if err != nil {
		return nil, err
	}
	in, err := bodyOf[memberBody, org.Member](r)
	if err != nil {
		return nil, err
	}
	return done(s.Org.SetMember(r.Context(), actorOf(r), cid, mid, in.Role))
}

func (s *Server) apiMemberRemove(_ http.ResponseWriter, r *http.Request) (any, error) {
	cid, mid, err := committeeMember(r)
	if err != nil {
		return nil, err
	}
	return done(s.Org.RemoveMember(r.Context(), actorOf(r), cid, mid))
}

func (s *Server) apiUsers(_ http.ResponseWriter, r *http.Request) (any, error) {
	p, q := apiPage(r), r.URL.Query()
	unitID, _ := strconv.ParseInt(q.Get("unit_id"), 10, 64)
	us, n, err := s.Org.ListUsers(r.Context(), actorOf(r), org.UserFilter{UnitID: unitID, Role: org.Role(q.Get("role")),
		Q: q.Get("q"), Active: q.Get("active"), Sort: sortOf(r), Page: p})
	return newList(us, n, p), err
}

func (s *Server) apiUser(_ http.ResponseWriter, r *http.Request) (any, error) {
	uid, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Org.GetUser(r.Context(), actorOf(r), uid)
}

func (s *Server) apiUserCreate(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[org.UserInput](r)
	if err != nil {
		return nil, err
	}
	return s.Org.CreateUser(r.Context(), actorOf(r), in)
}

func (s *Server) apiUserUpdate(_ http.ResponseWriter, r *http.Request) (any, error) {
	uid, in, err := idBodyOf[org.UserInput, org.User](r)
	if err != nil {
		return nil, err
	}
	return s.Org.UpdateUser(r.Context(), actorOf(r), uid, in)
}

func (s *Server) apiUserActive(_ http.ResponseWriter, r *http.Request) (any, error) {
	uid, in, err := idBodyOf[activeBody, org.User](r)
	if err != nil {
		return nil, err
	}
	return done(s.Org.SetUserActive(r.Context(), actorOf(r), uid, in.Active))
}

// passwordBody is the body of PUT /users/{id}/password.
type passwordBody struct {
	Password string `json:"password"`
}

func (s *Server) apiUserPassword(_ http.ResponseWriter, r *http.Request) (any, error) {
	uid, in, err := idBody[passwordBody](r)
	if err != nil {
		return nil, err
	}
	return done(s.Org.SetPassword(r.Context(), actorOf(r), uid, in.Password))
}

func (s *Server) apiUserUnlock(_ http.ResponseWriter, r *http.Request) (any, error) {
	uid, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	_, err = s.Org.UnlockUser(r.Context(), actorOf(r), uid)
	return done(err)
}

func (s *Server) apiCalendar(_ http.ResponseWriter, r *http.Request) (any, error) {
	return s.Org.Holidays(r.Context())
}

// apiCalendarImport takes the notice as the body: no more of it is read
// than a notice can be (a larger one is refused by calendar.ParseNotice).
func (s *Server) apiCalendarImport(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := actorOf(r).Require(org.PermCalendarWrite); err != nil {
		return nil, err
	}
	text, err := io.ReadAll(io.LimitReader(r.Body, calendar.MaxNoticeBytes+1))
	if err != nil {
		return nil, apperr.Field("file", "未能读完请求体")
	}
	return s.Org.ImportHolidays(r.Context(), actorOf(r), text)
}
