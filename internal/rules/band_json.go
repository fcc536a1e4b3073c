package rules

import (
	"encoding/json"
	"math"
)

// bandJSON is Band as JSON: an open end (NaN in Go) is null, since JSON has
// no NaN (encoding/json refuses it, and the scheme endpoint then answered
// with an empty body).
type bandJSON struct {
	Level   string   `json:"level"`
	Colour  string   `json:"colour"`
	Min     *float64 `json:"min_exclusive"` // null: no lower end
	Max     *float64 `json:"max_inclusive"` // null: no upper end
	Meaning string   `json:"meaning"`
}

func end(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

func open(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// MarshalJSON writes an open end as null.
func (b Band) MarshalJSON() ([]byte, error) {
	return json.Marshal(bandJSON{b.Level, b.Colour, end(b.Min), end(b.Max), b.Meaning})
}

// UnmarshalJSON reads null as an open end, so a band read back is the band
// written.
func (b *Band) UnmarshalJSON(data []byte) error {
	var j bandJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*b = Band{Level: j.Level, Colour: j.Colour, Min: open(j.Min), Max: open(j.Max), Meaning: j.Meaning}
	return nil
}
