package enforce

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/codes"
	"anwei/internal/org"
	"anwei/internal/org/scope"
	"anwei/internal/paging"
	"anwei/internal/store"
)

const drawCols = `d.id, d.unit_id, u.name, d.region_code, d.year, d.seq, d.title, d.filter, d.public_source, d.state, d.lists, d.lists_hash,
	d.commitment, d.share, d.public_value, d.seed, d.result, COALESCE(cb.display_name, ''), d.committed_at, COALESCE(db.display_name, ''), d.drawn_at,
	d.not_carried_out`

var drawFrom = ` FROM enforce_draws d JOIN ` + org.UnitsView + ` u ON u.id = d.unit_id
	LEFT JOIN ` + org.UsersView + ` cb ON cb.id = d.committed_by LEFT JOIN ` + org.UsersView + ` db ON db.id = d.drawn_by WHERE `

func scanDraw(r store.Scanner) (Draw, error) {
	var d Draw
	var filter, lists, result, dropped string
	err := r.Scan(&d.ID, &d.UnitID, &d.Unit, &d.Region, &d.Year, &d.Seq, &d.Title, &filter, &d.PublicSource, &d.State, &lists, &d.ListsHash,
		&d.Commitment, &d.share, &d.PublicValue, &d.Seed, &result, &d.CommittedBy, &d.CommittedAt, &d.DrawnBy, &d.DrawnAt, &dropped)
	if err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(filter), &d.Filter); err != nil {
		return d, fmt.Errorf("draw %d filter: %w", d.ID, err)
	}
	if err := json.Unmarshal([]byte(lists), &d.lists); err != nil {
		return d, fmt.Errorf("draw %d lists: %w", d.ID, err)
	}
	if result != "" {
		if err := json.Unmarshal([]byte(result), &d.result); err != nil {
			return d, fmt.Errorf("draw %d result: %w", d.ID, err)
		}
	}
	d.StateName = codes.NameOf(DrawStates, d.State)
	d.Enterprises, d.Officers = len(d.lists.Enterprises), len(d.lists.Officers)
	d.Count, d.PerEnterprise, d.PublicFormat = d.lists.Count, d.lists.PerEnterprise, d.lists.PublicFormat
	ents := map[int64]DrawEnterprise{}
	for _, e := range d.lists.Enterprises {
		ents[e.ID] = e
	}
	names := map[int64]string{}
	for _, o := range d.lists.Officers {
		names[o.ID] = o.Name
	}
	for _, p := range d.result {
		v := PickView{EnterpriseID: p.Enterprise, Enterprise: ents[p.Enterprise].Name, CreditCode: ents[p.Enterprise].CreditCode, OfficerIDs: p.Officers,
			NotCarriedOut: slices.Contains(strings.Split(dropped, ","), strconv.FormatInt(p.Enterprise, 10))}
		for _, o := range p.Officers {
			v.Officers = append(v.Officers, names[o])
		}
		d.Result = append(d.Result, v)
	}
	return d, nil
}

// getDraw reads a draw with its recusals through q, in the actor's scope.
func getDraw(ctx context.Context, q querier, a *org.Actor, id int64) (Draw, error) {
	w, args := ownWhere(a, "d.region_code", "d.unit_id")
	d, err := scanDraw(q.QueryRow(ctx, "SELECT "+drawCols+drawFrom+"d.id = ? AND "+w, append([]any{id}, args...)...))
	if store.NoRows(err) {
		return d, apperr.New(apperr.NotFound, "抽查不存在或不在您的管辖范围内")
	}
	if err != nil {
		return d, err
	}
	rows, err := q.Query(ctx, "SELECT enterprise_id, officer_id, replacement, reason FROM enforce_recusals WHERE draw_id = ? ORDER BY enterprise_id, n", id)
	d.Recusals, err = store.Collect(rows, err, func(r store.Scanner) (Recusal, error) {
		var x Recusal
		err := r.Scan(&x.Enterprise, &x.Officer, &x.Replacement, &x.Reason)
		return x, err
	})
	if d.Recusals == nil {
		d.Recusals = []Recusal{}
	}
	return d, err
}

// GetDraw returns a draw the actor may see: the lists and commitment from
// step 1 on, the share, seed and result once drawn.
func (s *Service) GetDraw(ctx context.Context, a *org.Actor, id int64) (Draw, error) {
	if err := a.Require(org.PermEnforceRead); err != nil {
		return Draw{}, err
	}
	return getDraw(ctx, s.db, a, id)
}

// DrawFilter narrows the draws listed.
type DrawFilter struct {
	Year int `json:"year"`
}

// ListDraws lists the draws the actor may see (a department its own, the
// office its region's), newest first.
func (s *Service) ListDraws(ctx context.Context, a *org.Actor, f DrawFilter) ([]Draw, error) {
	if err := a.Require(org.PermEnforceRead); err != nil {
		return nil, err
	}
	w, args := ownWhere(a, "d.region_code", "d.unit_id")
	if f.Year != 0 {
		w += " AND d.year = ?"
		args = append(args, f.Year)
	}
	rows, err := s.db.Query(ctx, "SELECT "+drawCols+drawFrom+w+" ORDER BY d.committed_at DESC, d.id DESC LIMIT 200", args...)
	return store.Collect(rows, err, scanDraw)
}

// DrawRecordOf is the draw's record (anwei.draw/v1) as anyone may
// download it: before the draw, the lists and commitment only (share, seed
// and result empty); after it, everything `anwei draw verify` needs.
func (s *Service) DrawRecordOf(ctx context.Context, a *org.Actor, id int64) (DrawRecord, error) {
	d, err := s.GetDraw(ctx, a, id)
	if err != nil {
		return DrawRecord{}, err
	}
	return d.record(), nil
}

func (d Draw) record() DrawRecord {
	rec := DrawRecord{Schema: DrawSchema, DrawLists: d.lists, ListsHash: d.ListsHash, Commitment: d.Commitment, Algorithm: Algorithm,
		Result: []Pick{}, Recusals: d.Recusals}
	if d.State == Drawn {
		rec.PublicValue, rec.Share, rec.Seed, rec.Result = d.PublicValue, d.share, d.Seed, d.result
	}
	return rec
}

// Verification is what checking a draw's record against its published
// commitment found.
type Verification struct {
	Commitment string   `json:"commitment"`
	EventSeq   int64    `json:"event_seq"` // the audit event that recorded the commitment at step 1
	OK         bool     `json:"ok"`
	Problems   []string `json:"problems"`
}

// VerifyDraw runs `anwei draw verify` on a drawn record against the
// commitment as step 1 recorded it in the audit chain (hash-chained and
// keyed: rewriting the draw's row, lists and commitment together, does not
// change it), not against the row's own copy.
func (s *Service) VerifyDraw(ctx context.Context, a *org.Actor, id int64) (Verification, error) {
	d, err := s.GetDraw(ctx, a, id)
	if err != nil {
		return Verification{}, err
	}
	if d.State != Drawn {
		return Verification{}, apperr.New(apperr.Conflict, "本批尚未抽取，无可核验的结果")
	}
	return s.verify(ctx, d)
}

// Published is a draw as 双随机一公开 publishes it to everyone, found by
// its commitment (which the office publishes at step 1; no id of ours
// names it): the lists and the commitment from step 1 on, the public
// value, share, seed and result once drawn, with the verification.
func (s *Service) Published(ctx context.Context, commitment string) (Draw, *Verification, error) {
	if b, err := hex.DecodeString(commitment); err != nil || len(b) != 32 || commitment != hex.EncodeToString(b) {
		return Draw{}, nil, apperr.New(apperr.NotFound, "承诺值应为 64 位小写十六进制")
	}
	var id int64
	err := s.db.QueryRow(ctx, "SELECT id FROM enforce_draws WHERE commitment = ?", commitment).Scan(&id)
	if store.NoRows(err) {
		return Draw{}, nil, apperr.New(apperr.NotFound, "没有以此承诺值公布的双随机抽查")
	}
	if err != nil {
		return Draw{}, nil, err
	}
	d, err := getDraw(ctx, s.db, &org.Actor{Scope: scope.Scope{All: true}}, id)
	if err != nil || d.State != Drawn {
		return d, nil, err
	}
	v, err := s.verify(ctx, d)
	return d, &v, err
}

// Record is the draw's record (anwei.draw/v1) as published.
func (d Draw) Record() DrawRecord { return d.record() }

// verify checks a drawn draw against its commitment in the audit chain.
func (s *Service) verify(ctx context.Context, d Draw) (Verification, error) {
	v := Verification{}
	evs, _, err := audit.List(ctx, s.db, scope.Scope{All: true}, audit.Filter{Action: "enforce.draw.commit", ObjectKind: "enforce_draw",
		ObjectID: strconv.FormatInt(d.ID, 10), Page: paging.Page{Limit: 1}})
	if err != nil {
		return v, err
	}
	var step1 struct {
		Commitment string `json:"commitment"`
	}
	if len(evs) == 1 && json.Unmarshal([]byte(evs[0].After), &step1) == nil && step1.Commitment != "" {
		v.Commitment, v.EventSeq = step1.Commitment, evs[0].Seq
	} else {
		v.Problems = append(v.Problems, "审计链中没有本批公布承诺值的事件")
		v.Commitment = d.Commitment
	}
	v.Problems = append(v.Problems, Verify(d.record(), v.Commitment)...)
	v.OK = len(v.Problems) == 0
	return v, nil
}

// EnterpriseName is the name of an enterprise of the draw's lists.
func (d Draw) EnterpriseName(id int64) string { return nameOf(d.lists, id) }

// OfficerName is the name of an officer of the draw's lists.
func (d Draw) OfficerName(id int64) string {
	for _, o := range d.lists.Officers {
		if o.ID == id {
			return o.Name
		}
	}
	return fmt.Sprint(id)
}
