package enforce

import (
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// vectorLists is the draw of the test vectors: ten enterprises, six
// officers (2 declared a conflict with 103, 5 with 101 and 107), three
// enterprises with two officers each, and the local rule keeping officer
// 1 from 104, which it inspected last.
func vectorLists() DrawLists {
	l := DrawLists{Count: 3, PerEnterprise: 2, ExcludeLast: map[string][]int64{"104": {1}},
		PublicFormat: `^\d{4}-\d{2}-\d{2} 福彩3D 第\d{7}期 开奖号码 \d \d \d$`, PublicSource: "2026年7月8日福彩3D开奖号码 (中国福利彩票发行管理中心公告)"}
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
// lists_hash, commitment and seed by SHA-256 as specified (the public
// value's source committed with its format), enterprises 101, 106, 104 with
// officers [6 2], [3 4], [5 6] — never 5 on 101 (a declared conflict) nor 1
// on 104 (its last inspector) — officer 6 recused on 101 replaced by 3,
// then officer 2 by 1 (from 1 and 4: not 5, nor the team, nor 6), and no
// third recusal on a team of two.
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
		{"lists_hash", rec.ListsHash, "bc139d57805e3b236f547d039f2a4e4a406f77a1b6d737598e99adb81230ff40"},
		{"commitment", rec.Commitment, "0671596dc83eaf3f597ae0418bd6aa86091b67fce8c899fc414e2c41c12c1177"},
		{"seed", rec.Seed, "0982a7764d11f6bfe3bbb8f5d6ff0242a34fdf3d54abcb9219b252a1348f645f"},
		{"result", fmt.Sprint(rec.Result), "[{101 [6 2]} {106 [3 4]} {104 [5 6]}]"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %s, want %s", c.what, c.got, c.want)
		}
	}
	seed, _ := hex.DecodeString(rec.Seed)
	r, err := rec.Recuse(seed, rec.Result, nil, 101, 6, "当事人申请: 系其亲属")
	if err != nil || r.Replacement != 3 {
		t.Fatalf("recusal of 6 on 101: %+v %v, want 3", r, err)
	}
	Apply(rec.Result, r)
	rec.Recusals = append(rec.Recusals, r)
	r2, err := rec.Recuse(seed, rec.Result, rec.Recusals, 101, 2, "当事人申请")
	if err != nil || r2.Replacement != 1 {
		t.Fatalf("second recusal on 101: %+v %v, want 1", r2, err)
	}
	Apply(rec.Result, r2)
	rec.Recusals = append(rec.Recusals, r2)
	if p := Verify(rec, rec.Commitment); p != nil {
		t.Errorf("the honest record does not verify: %q", p)
	}
	if _, err := rec.Recuse(seed, rec.Result, rec.Recusals, 101, 1, "又申请"); err == nil {
		t.Error("a third recusal on a team of two was drawn: recusals would re-roll a slot at will")
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
		{"the honest record against another published commitment", func(*DrawRecord) {}, strings.Repeat("0", 64), "≠ 公布的"},
		{"a conflict dropped after the commitment", func(r *DrawRecord) { r.Officers[4].Conflicts = nil }, "", "名录与公布时不符"},
		{"an enterprise added, hash rewritten", func(r *DrawRecord) {
			r.Enterprises = append(r.Enterprises, DrawEnterprise{ID: 111, Name: "关系户"})
			r.ListsHash = hex.EncodeToString(r.DrawLists.Hash())
		}, "", "名录在承诺后被改动"},
		{"another share", func(r *DrawRecord) { r.Share = strings.Repeat("ab", 32) }, "", "揭示的份额不是承诺时的份额"},
		{"another public value", func(r *DrawRecord) { r.PublicValue = "5 2 8" }, "", "种子应为"},
		{"an officer swapped in the result", func(r *DrawRecord) { r.Result[0].Officers[0] = 5 }, "", "抽取结果与算法重算不符"},
		{"a recusal's replacement chosen by hand", func(r *DrawRecord) {
			r.Recusals = []Recusal{{Enterprise: 101, Officer: 6, Replacement: 4}}
			Apply(r.Result, r.Recusals[0])
		}, "", "回避执法人员 6 的替换应为 3"},
		{"the public value's source changed after the commitment", func(r *DrawRecord) {
			r.PublicSource = "2026年7月9日福彩3D开奖号码"
			r.ListsHash = hex.EncodeToString(r.DrawLists.Hash())
		}, "", "名录在承诺后被改动"},
		{"the lottery result spelled another way", func(r *DrawRecord) {
			r.PublicValue = "福彩3D 第2026182期 5、2、9"
			r.Seed = hex.EncodeToString(Seed(mustHex(r.Commitment), mustHex(r.Share), r.PublicValue))
		}, "", "不合承诺时公布的格式"},
	} {
		r := clone()
		c.tamper(&r)
		published := c.published
		if published == "" {
			published = honest.Commitment
		}
		got := strings.Join(Verify(r, published), "\n")
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want it to say %q", c.name, got, c.want)
		}
	}
}

// TestIndexIsUnbiased: a number at or past 2^64 − (2^64 mod n) is drawn
// again, the one below it taken (n = 3, and n = 2^62+1 where a third of the
// range is rejected); indices stay below n; for n = 3 each comes about a
// third of the time.
func TestIndexIsUnbiased(t *testing.T) {
	const max = math.MaxUint64
	for _, c := range []struct {
		n           int
		limit       uint64 // the largest number taken
		rejectedToo bool
	}{{3, max - 1, true}, {1<<62 + 1, max - (1<<62 - 3), true}, {1 << 20, max, false}} {
		s := &stream{buf: []uint64{c.limit + 1, c.limit}}
		if !c.rejectedToo {
			s.buf = []uint64{c.limit}
		}
		if got := s.index(c.n); got != int(c.limit%uint64(c.n)) || len(s.buf) != 0 {
			t.Errorf("index(%d) from %v: %d (left %v), want %d", c.n, []uint64{c.limit + 1, c.limit}, got, s.buf, c.limit%uint64(c.n))
		}
	}
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
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
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
		{func(l *DrawLists) { l.ExcludeLast = map[string][]int64{"0104": {1}} }, "「0104」不是名录库中的企业编号"},
		{func(l *DrawLists) { l.ExcludeLast = map[string][]int64{"104": {1, 2, 3}} }, "多于每组人数"},
		{func(l *DrawLists) { l.PublicFormat = "" }, "public_format"},
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

// TestPrepareRefusesListsThatCouldFail: lists where an enterprise has
// fewer officers it may have than a team are not committed — a draw of
// them could fail once the seed is known, and the office fix and commit
// again.
func TestPrepareRefusesListsThatCouldFail(t *testing.T) {
	l := vectorLists()
	for i := range l.Officers[1:] {
		l.Officers[i+1].Conflicts = []int64{105}
	}
	if _, _, err := l.Prepare(make([]byte, 32)); err == nil || !strings.Contains(err.Error(), "企业105可派的执法人员只有 1 名") {
		t.Errorf("prepared: %v", err)
	}
	if _, err := MakeDraw(l, make([]byte, 32), vectorPublic); err == nil {
		t.Error("drawn from lists that could fail")
	}
}
