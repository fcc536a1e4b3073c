package enforce

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// vectorLists is the draw of the test vectors: ten enterprises, six
// officers (2 declared a conflict with 103, 5 with 101 and 107), three
// enterprises with two officers each, and the local rule keeping officer
// 1 from 104, which it inspected last.
func vectorLists() DrawLists {
	l := DrawLists{Count: 3, PerEnterprise: 2, ExcludeLast: map[string][]int64{"104": {1}}}
	for i := int64(101); i <= 110; i++ {
		l.Enterprises = append(l.Enterprises, DrawEnterprise{ID: i, Name: fmt.Sprintf("企业%d", i), CreditCode: fmt.Sprintf("CODE%d", i)})
	}
	conflicts := map[int64][]int64{2: {103}, 5: {101, 107}}
	for i := int64(1); i <= 6; i++ {
		l.Officers = append(l.Officers, DrawOfficer{ID: i, Name: fmt.Sprintf("执法%d", i), Unit: "区应急局", Conflicts: conflicts[i]})
	}
	return l
}

func vectorShare() []byte {
	s := make([]byte, 32)
	for i := range s {
		s[i] = byte(i)
	}
	return s
}

const vectorPublic = "2026-07-08 福彩3D 第2026182期 开奖号码 5 2 9"

// TestDrawVectors: the hashes, the seed, the picks and a recusal come out
// as an independent implementation of the algorithm in the package comment
// computes them (a Python script, kept in the test's comment below):
// lists_hash, commitment and seed by SHA-256 as specified, enterprises 101,
// 103, 107 with officers [6 3], [1 5], [2 6] — never 5 on 101 or 107, nor
// 2 on 103 — and officer 6 recused on 101 replaced by 4.
//
//	canon = json.dumps(lists, ensure_ascii=False, separators=(',', ':'))
//	lh = sha256(canon); commit = sha256(lh + share); seed = sha256(commit + share + public)
//	block i of a label = sha256(seed + label + b'\x00' + pack('>Q', i)), read as 4 × '>Q'
//	index(n): u from the stream until u < 2**64 - 2**64 % n; u % n
//	choose(ids, k): for i in range(k): j = i + index(len - i); swap
func TestDrawVectors(t *testing.T) {
	rec, err := MakeDraw(vectorLists(), vectorShare(), vectorPublic)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ what, got, want string }{
		{"lists_hash", rec.ListsHash, "c3292b91b64fac1ff319b14754e88101e47f30f135d9ec77e66d645633f4d546"},
		{"commitment", rec.Commitment, "2bb7332d03f8414f5e08109cbcf506c93eed1ce093580fc15fcfd5d2dc2cec5e"},
		{"seed", rec.Seed, "111a953aba08441fd0d4a390dffd195fe027df1ebf74cf71bbfd3df08b770e4b"},
		{"result", fmt.Sprint(rec.Result), "[{101 [6 3]} {103 [1 5]} {107 [2 6]}]"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %s, want %s", c.what, c.got, c.want)
		}
	}
	seed, _ := hex.DecodeString(rec.Seed)
	r, err := rec.Recuse(seed, rec.Result, nil, 101, 6, "当事人申请: 系其亲属")
	if err != nil || r.Replacement != 4 {
		t.Fatalf("recusal of 6 on 101: %+v %v, want 4", r, err)
	}
	Apply(rec.Result, r)
	rec.Recusals = append(rec.Recusals, r)
	if p := Verify(rec, rec.Commitment); p != nil {
		t.Errorf("the honest record does not verify: %q", p)
	}
	// A second recusal on 101 draws from those left (not 3, 4, 5 or 6).
	r2, err := rec.Recuse(seed, rec.Result, rec.Recusals, 101, 4, "当事人申请")
	if err != nil || slices.Contains([]int64{3, 4, 5, 6}, r2.Replacement) {
		t.Errorf("second recusal on 101: %+v %v", r2, err)
	}
}

// TestVerifyNamesTheTampering: each kind of tampering with a record is
// named — lists changed after the commitment, a share that is not the
// committed one, another commitment than the published, a changed seed,
// result or recusal.
func TestVerifyNamesTheTampering(t *testing.T) {
	honest, err := MakeDraw(vectorLists(), vectorShare(), vectorPublic)
	if err != nil {
		t.Fatal(err)
	}
	clone := func() DrawRecord {
		r := honest
		r.DrawLists = vectorLists()
		r.Result = nil
		for _, p := range honest.Result {
			r.Result = append(r.Result, Pick{Enterprise: p.Enterprise, Officers: slices.Clone(p.Officers)})
		}
		return r
	}
	for _, c := range []struct {
		name      string
		tamper    func(r *DrawRecord)
		published string
		want      string
	}{
		{"a conflict dropped after the commitment", func(r *DrawRecord) { r.Officers[4].Conflicts = nil }, "", "名录与公布时不符"},
		{"an enterprise added, hash rewritten", func(r *DrawRecord) {
			r.Enterprises = append(r.Enterprises, DrawEnterprise{ID: 111, Name: "关系户"})
			r.ListsHash = hex.EncodeToString(r.DrawLists.Hash())
		}, "", "名录在承诺后被改动"},
		{"another share", func(r *DrawRecord) { r.Share = strings.Repeat("ab", 32) }, "", "揭示的份额不是承诺时的份额"},
		{"not the published commitment", func(*DrawRecord) {}, strings.Repeat("0", 64), "≠ 公布的"},
		{"another public value", func(r *DrawRecord) { r.PublicValue = "5 2 8" }, "", "种子应为"},
		{"an officer swapped in the result", func(r *DrawRecord) { r.Result[0].Officers[0] = 5 }, "", "抽取结果与算法重算不符"},
		{"a recusal's replacement chosen by hand", func(r *DrawRecord) {
			r.Recusals = []Recusal{{Enterprise: 101, Officer: 6, Replacement: 2}}
			Apply(r.Result, r.Recusals[0])
		}, "", "回避执法人员 6 的替换应为 4"},
	} {
		r := clone()
		c.tamper(&r)
		got := strings.Join(Verify(r, c.published), "\n")
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want it to say %q", c.name, got, c.want)
		}
	}
}

// TestIndexIsUnbiased: indices stay below n, for n that divide 2^64 and
// n that do not, and for n = 3 each comes about a third of the time.
func TestIndexIsUnbiased(t *testing.T) {
	s := newStream(make([]byte, 32), "t")
	counts := make([]int, 3)
	for i := 0; i < 30000; i++ {
		counts[s.index(3)]++
	}
	for i, c := range counts {
		if c < 9500 || c > 10500 {
			t.Errorf("index %d came %d times of 30,000", i, c)
		}
	}
	for _, n := range []int{1, 2, 7, 1 << 20, 200001} {
		for i := 0; i < 100; i++ {
			if x := s.index(n); x < 0 || x >= n {
				t.Fatalf("index(%d) = %d", n, x)
			}
		}
	}
}

// TestDrawRefusesWhatTheLawDoesNot: fewer than two officers an enterprise,
// more enterprises than the list holds, a list with the same id twice, and
// an enterprise no officer may inspect.
func TestDrawRefusesWhatTheLawDoesNot(t *testing.T) {
	seed := make([]byte, 32)
	for _, c := range []struct {
		tamper func(*DrawLists)
		want   string
	}{
		{func(l *DrawLists) { l.PerEnterprise = 1 }, "第四十二条"},
		{func(l *DrawLists) { l.Count = 11 }, "名录库只有 10 户"},
		{func(l *DrawLists) { l.Officers[1].ID = 1 }, "人员 1 重复"},
		{func(l *DrawLists) {
			l.Count = 10
			for i := range l.Officers {
				l.Officers[i].Conflicts = []int64{105}
			}
		}, "企业 105 可派的执法人员只有 0 名"},
	} {
		l := vectorLists()
		c.tamper(&l)
		if _, err := l.Draw(seed); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v, want %q", err, c.want)
		}
	}
}
