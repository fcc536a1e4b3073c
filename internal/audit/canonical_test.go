package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// reference is the plain canonical form: decode into generic values,
// redact, marshal again. Canonical must give exactly this, byte for byte,
// or stored chains would stop verifying.
func reference(t testing.TB, v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := canonicalGeneric(raw)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type sample struct {
	Z        string         `json:"z"`
	A        int            `json:"a"`
	Token    string         `json:"token"`
	Empty    string         `json:"api_secret"`
	Nested   *sample        `json:"nested,omitempty"`
	List     []any          `json:"list"`
	M        map[string]any `json:"m"`
	Password any            `json:"Password"`
	F        float64        `json:"f"`
	At       time.Time      `json:"at"`
}

// words are strings that exercise escaping: HTML, quotes, controls, line
// separators, invalid UTF-8, Chinese.
var words = []string{"", "液氯储罐区", `a"b\c`, "<script>&", "tab\there\n", "\u2028x\u2029", "bad\xffutf8", "\x00\x1f\x7f", "键", "[已隐去]",
	"password", "reporter_identity", "b", "a", "a_b", "A", "é", "\\u00e9"}

func randomValue(r *rand.Rand, depth int) any {
	switch k := r.IntN(8); {
	case depth > 3 || k == 0:
		return words[r.IntN(len(words))]
	case k == 1:
		return r.Float64() * 1e22
	case k == 2:
		return nil
	case k == 3:
		return r.IntN(2) == 0
	case k == 4:
		l := make([]any, r.IntN(4))
		for i := range l {
			l[i] = randomValue(r, depth+1)
		}
		return l
	case k == 5:
		s := sample{Z: words[r.IntN(len(words))], A: r.IntN(100), Token: words[r.IntN(len(words))], List: []any{randomValue(r, depth+1)},
			M: map[string]any{words[r.IntN(len(words))]: randomValue(r, depth+1)}, Password: randomValue(r, depth+1), F: -0.5,
			At: time.Date(2026, 11, 23, 8, 0, 0, 123, time.FixedZone("CST", 8*3600))}
		if r.IntN(2) == 0 {
			n := sample{Z: "嵌套"}
			s.Nested = &n
		}
		return s
	default:
		m := map[string]any{}
		for range r.IntN(5) {
			m[words[r.IntN(len(words))]] = randomValue(r, depth+1)
		}
		return m
	}
}

func TestCanonicalMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 5000 {
		v := randomValue(r, 0)
		got, err := Canonical(v)
		if err != nil {
			t.Fatal(err)
		}
		if want := reference(t, v); got != want {
			t.Fatalf("value %d %#v:\n got  %s\n want %s", i, v, got, want)
		}
	}
	if got, _ := Canonical(map[string]any{"password_hash": "x", "token": "", "secret": nil, "b": []any{map[string]any{"identity": 3}}}); got != `{"b":[{"identity":"[已隐去]"}],"password_hash":"[已隐去]","secret":null,"token":""}` {
		t.Errorf("redaction: %s", got)
	}
	if got, _ := Canonical(nil); got != "null" {
		t.Errorf("nil: %s", got)
	}
}

// FuzzCanonical: any JSON document, taken as a generic value, encodes the
// same both ways.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{`{"b":1,"a":[true,null,{"y":"\u003c","x":1e3}]}`, `"\u2028"`, `{"token":"t","k":{"password":{"a":1}}}`, `[]`, `{}`, `{"\u00e9":1,"e":2}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		var v any
		if json.Unmarshal([]byte(doc), &v) != nil {
			return
		}
		got, err := Canonical(v)
		if err != nil {
			t.Fatal(err)
		}
		if want := reference(t, v); got != want {
			t.Fatalf("%s:\n got  %s\n want %s", doc, got, want)
		}
	})
}

// TestHashPreimageMatchesMap: the hand-written preimage of ComputeHash is
// what marshalling the map of the fields gives.
func TestHashPreimageMatchesMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		e := Event{Seq: r.Int64N(1e9), At: time.Unix(r.Int64N(2e9), r.Int64N(1e9)), ActorID: r.Int64N(100), Actor: words[r.IntN(len(words))],
			UnitID: r.Int64N(100), Region: "370105" + strconv.Itoa(r.IntN(1000)), Action: words[r.IntN(len(words))],
			ObjectKind: "hazard", ObjectID: words[r.IntN(len(words))], PrevHash: strings.Repeat("ab", 32)}
		e.Before, _ = Canonical(randomValue(r, 1))
		e.After, _ = Canonical(randomValue(r, 1))
		m := map[string]any{"seq": strconv.FormatInt(e.Seq, 10), "at": e.At.UTC().Format(timeFormat), "actor_id": strconv.FormatInt(e.ActorID, 10),
			"actor": e.Actor, "unit_id": strconv.FormatInt(e.UnitID, 10), "region_code": e.Region, "action": e.Action, "object_kind": e.ObjectKind,
			"object_id": e.ObjectID, "before": e.Before, "after": e.After, "prev_hash": e.PrevHash}
		b, _ := json.Marshal(m)
		sum := sha256.Sum256(b)
		if want := hex.EncodeToString(sum[:]); e.ComputeHash() != want {
			t.Fatalf("hash of %+v differs", e)
		}
	}
}
