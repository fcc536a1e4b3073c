package hazard

import (
	"context"

	"anwei/internal/paging"
)

// Orders are the hazard list's sort keys (?sort=, issue 16.4): each names
// the SQL it orders by; nothing a request says reaches the SQL.
var Orders = paging.Orders{
	"number":     "h.number",
	"enterprise": "e.name",
	"street":     "h.region_code", // streets in their GB/T 2260 order
	"source":     "h.source",
	"level":      "h.level",
	"deadline":   "h.deadline",
	"state":      "h.state",
	"reported":   "h.created_at",
}

// oversee fills a page of hazards with their enterprises' street, trade and
// supervising departments, in one query for the page.
func (s *Service) oversee(ctx context.Context, hs []Hazard) error {
	ids := make([]int64, len(hs))
	for i, h := range hs {
		ids[i] = h.UnitID
	}
	os, err := s.ents.Oversights(ctx, ids)
	if err != nil {
		return err
	}
	for i := range hs {
		hs[i].Oversight = os[hs[i].UnitID]
	}
	return nil
}
