package risk

import (
	"context"

	"anwei/internal/org"
	"anwei/internal/org/scope"
	"anwei/internal/store"
)

// Street is a tile of the four-colour map (四色图): a street (乡镇/街道) of
// the jurisdiction with its risk points by colour and the highest colour
// there ("" with none).
type Street struct {
	Share
	Top string `json:"top"` // red | orange | yellow | blue | ""
}

// ByStreet is the four-colour picture per street (安委办〔2016〕11号's
// 红橙黄蓝四色安全风险空间分布图, drawn as a schematic tile map): every
// active street of the actor's jurisdiction in code order, each with the
// colours of its active risk points the actor may see, and any other place
// with points the actor sees (an enterprise on the county itself, or the
// street of an enterprise's own points) after them.
func (s *Service) ByStreet(ctx context.Context, a *org.Actor) ([]Street, error) {
	shares, err := s.CountColours(ctx, a, 0)
	if err != nil {
		return nil, err
	}
	w, args := a.Scope.RegionsWhere("r.code")
	rows, err := s.db.Query(ctx, "SELECT r.code, r.name FROM "+org.RegionsView+" r WHERE r.level = ? AND r.active = TRUE AND "+w+" ORDER BY r.code",
		append([]any{int(org.LevelTownship)}, args...)...)
	out, err := store.Collect(rows, err, func(r store.Scanner) (Street, error) {
		var st Street
		err := r.Scan(&st.Key, &st.Name)
		return st, err
	})
	if err != nil {
		return nil, err
	}
	at := map[string]int{}
	for i, st := range out {
		at[st.Key] = i
	}
	for _, sh := range shares {
		i, ok := at[sh.Key]
		if !ok {
			i = len(out)
			out = append(out, Street{Share: Share{Key: sh.Key, Name: sh.Name}})
		}
		name := out[i].Name
		out[i].Share = sh
		if name != "" {
			out[i].Name = name
		}
		if out[i].Name == "" {
			out[i].Name = sh.Key
		}
	}
	for i := range out {
		out[i].Top = top(out[i].Share)
	}
	return out, nil
}

// top is the highest colour among a share's points.
func top(s Share) string {
	for _, c := range []struct {
		n      int
		colour string
	}{{s.Red, "red"}, {s.Orange, "orange"}, {s.Yellow, "yellow"}, {s.Blue, "blue"}} {
		if c.n > 0 {
			return c.colour
		}
	}
	return ""
}

// inStreet is the listing's condition for a street's points (or, for a
// code above a street, the points placed on that code itself, as the
// map's tile for it counts them).
func inStreet(code string) (string, []any) {
	if len(code) >= 9 {
		return scope.InRegion("p.region_code", code)
	}
	return "p.region_code = ?", []any{code}
}
