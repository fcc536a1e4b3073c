// This file is the draw's pure core: a draw that nobody can rig and anyone
// can check. The office fixes the two lists (检查对象名录库, 执法检查人员名录库)
// and publishes them with a commitment, the hash of the lists' hash and a
// secret share of its own; after publication a public value nobody knew
// before is entered (a named future lottery draw, witnesses' inputs); the
// draw then reveals the share, and the seed is the hash of the commitment,
// the share and the public value. Enterprises, then officers for each (at
// least two: 行政处罚法 Art. 42; never one with a declared conflict, Art. 43),
// are chosen from the seed by the algorithm below, which anyone can run
// again from the record (anwei.draw/v1): `anwei draw verify FILE`.
//
// The algorithm (anwei.draw/v1), in full:
//
//   - lists_hash = SHA-256 of the lists' canonical JSON: the object
//     {"enterprises", "officers", "count", "per_enterprise", "exclude_last",
//     "public_format", "public_source"} encoded compactly (no spaces) in that key order; an
//     enterprise {"id", "name", "credit_code"}, an officer {"id", "name",
//     "unit", "conflicts"}; enterprises and officers in ascending id, each
//     officer's conflicts in ascending id ([] when none), exclude_last's keys
//     (enterprise ids in plain decimal) in ascending string order, its values
//     as recorded; strings as UTF-8 with only " \ and control characters
//     escaped (Go's encoding/json without HTML escaping: \n \r \t, other
//     controls \u00XX, and U+2028/U+2029 as \u2028/\u2029; names may not
//     hold invalid UTF-8). Digests are concatenated as raw bytes below.
//   - public_format is a regular expression (RE2) the public value must
//     match whole, fixed with the lists: the office cannot choose among
//     spellings of the same lottery result once it is known.
//   - commitment = SHA-256(lists_hash ‖ share), share 32 bytes. Lists are
//     committed only if every enterprise has per_enterprise officers it may
//     have (Prepare): no draw can then fail after the seed is known.
//   - seed = SHA-256(commitment ‖ share ‖ UTF-8 public value).
//   - A stream for a label: block i = SHA-256(seed ‖ UTF-8 label ‖ 0x00 ‖
//     i as 8 bytes big-endian), i = 0, 1, …; each block is read as four
//     unsigned 64-bit big-endian numbers in order.
//   - An index below n from a stream: take the next number u; if u ≥
//     2^64 − (2^64 mod n) take another (rejection, so every index is equally
//     likely); the index is u mod n.
//   - k of a list (in ascending id): Fisher–Yates from the front — for
//     i = 0 … k−1, j = i + index below (len − i), swap positions i and j;
//     the first k, in that order, are chosen.
//   - Enterprises: k = count of the enterprises, label "enterprises".
//   - Officers of a chosen enterprise e: the officers with no conflict
//     declared with e and not in exclude_last[e] (a local rule), per_enterprise
//     of them, label "officers:<e>".
//   - A recusal (Art. 43) of officer o on e, the n-th on e (from 1, at most
//     per_enterprise of them): one officer from those eligible for e who are
//     neither on e's team nor recused on e before, label "recusal:<e>:<n>",
//     in o's place.

package enforce

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"unicode/utf8"
)

// DrawSchema names the record's contract.
const DrawSchema = "anwei.draw/v1"

// MinOfficers is how many officers an inspection takes at least (行政处罚法
// Art. 42).
const MinOfficers = 2

// DrawEnterprise is an entry of the 检查对象名录库.
type DrawEnterprise struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	CreditCode string `json:"credit_code"`
}

// DrawOfficer is an entry of the 执法检查人员名录库, with the enterprises
// it declared a conflict with (relatives' employers, former employers).
type DrawOfficer struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Unit      string  `json:"unit"`
	Conflicts []int64 `json:"conflicts"`
}

// DrawLists are what the office fixes and commits to before the draw.
type DrawLists struct {
	Enterprises   []DrawEnterprise `json:"enterprises"`
	Officers      []DrawOfficer    `json:"officers"`
	Count         int              `json:"count"`          // enterprises to draw
	PerEnterprise int              `json:"per_enterprise"` // officers for each, ≥ MinOfficers
	// ExcludeLast is the local rule of not sending again the officers who
	// inspected an enterprise last time (REGULATIONS §7.3 [U]): enterprise
	// id → officer ids; empty when the rule is off.
	ExcludeLast map[string][]int64 `json:"exclude_last"`
	// PublicFormat is the pattern the public value must match whole, with
	// its source in words before it (e.g. `^\d \d \d$`): see the comment.
	PublicFormat string `json:"public_format"`
	// PublicSource says in words where the public value will come from
	// (which lottery, which day; which witnesses): committed too, so the
	// office cannot choose afterwards among sources that fit the format.
	PublicSource string `json:"public_source"`
}

// Pick is a drawn enterprise and its officers.
type Pick struct {
	Enterprise int64   `json:"enterprise"`
	Officers   []int64 `json:"officers"`
}

// Recusal is an officer replaced on an enterprise on the party's
// application (Art. 43), redrawn from the same seed.
type Recusal struct {
	Enterprise  int64  `json:"enterprise"`
	Officer     int64  `json:"officer"`
	Replacement int64  `json:"replacement"`
	Reason      string `json:"reason"`
}

// DrawRecord is a draw as anyone may download it (anwei.draw/v1).
type DrawRecord struct {
	Schema string `json:"schema"`
	DrawLists
	ListsHash   string    `json:"lists_hash"`
	Commitment  string    `json:"commitment"`
	PublicValue string    `json:"public_value"`
	Share       string    `json:"share"`
	Seed        string    `json:"seed"`
	Algorithm   string    `json:"algorithm"`
	Result      []Pick    `json:"result"`
	Recusals    []Recusal `json:"recusals"`
}

// Algorithm is the record's one-line name of the algorithm (the package
// comment has it in full).
const Algorithm = "anwei.draw/v1: seed = SHA-256(commitment ‖ share ‖ public value); SHA-256 counter stream per label; rejection sampling; Fisher–Yates over ids ascending"

// canonical is the lists' canonical JSON (see the package comment).
func (l DrawLists) canonical() []byte {
	c := l
	c.Enterprises = slices.Clone(l.Enterprises)
	slices.SortFunc(c.Enterprises, func(a, b DrawEnterprise) int { return cmp.Compare(a.ID, b.ID) })
	c.Officers = make([]DrawOfficer, len(l.Officers))
	for i, o := range l.Officers {
		o.Conflicts = slices.Sorted(slices.Values(o.Conflicts))
		if o.Conflicts == nil {
			o.Conflicts = []int64{}
		}
		c.Officers[i] = o
	}
	slices.SortFunc(c.Officers, func(a, b DrawOfficer) int { return cmp.Compare(a.ID, b.ID) })
	if c.ExcludeLast == nil {
		c.ExcludeLast = map[string][]int64{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(c) // maps encode with sorted keys; no value here fails
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// Hash is SHA-256 of the lists' canonical JSON.
func (l DrawLists) Hash() []byte {
	h := sha256.Sum256(l.canonical())
	return h[:]
}

// Commit returns the commitment to the lists with the office's share.
func Commit(listsHash, share []byte) []byte {
	h := sha256.Sum256(append(slices.Clone(listsHash), share...))
	return h[:]
}

// Seed is the draw's seed from the commitment, the revealed share and the
// public value.
func Seed(commitment, share []byte, public string) []byte {
	b := append(append(slices.Clone(commitment), share...), public...)
	h := sha256.Sum256(b)
	return h[:]
}

// stream is a label's SHA-256 counter stream of 64-bit numbers.
type stream struct {
	seed  []byte
	label string
	block uint64
	buf   []uint64
}

func newStream(seed []byte, label string) *stream { return &stream{seed: seed, label: label} }

func (s *stream) next() uint64 {
	if len(s.buf) == 0 {
		b := append(append(slices.Clone(s.seed), s.label...), 0)
		b = binary.BigEndian.AppendUint64(b, s.block)
		s.block++
		h := sha256.Sum256(b)
		for i := 0; i < 4; i++ {
			s.buf = append(s.buf, binary.BigEndian.Uint64(h[8*i:]))
		}
	}
	u := s.buf[0]
	s.buf = s.buf[1:]
	return u
}

// index is an index below n (n ≥ 1), every one equally likely.
func (s *stream) index(n int) int {
	un := uint64(n)
	limit := math.MaxUint64 - (math.MaxUint64%un+1)%un // 2^64 − (2^64 mod n), less one
	for {
		if u := s.next(); u <= limit {
			return int(u % un)
		}
	}
}

// choose takes k of ids (ascending) by Fisher–Yates from the front.
func (s *stream) choose(ids []int64, k int) []int64 {
	a := slices.Clone(ids)
	for i := 0; i < k; i++ {
		j := i + s.index(len(a)-i)
		a[i], a[j] = a[j], a[i]
	}
	return a[:k]
}

// eligible are the officers (ascending id) who may inspect enterprise e.
func (l DrawLists) eligible(e int64) []int64 {
	last := l.ExcludeLast[strconv.FormatInt(e, 10)]
	var out []int64
	for _, o := range l.Officers {
		if !slices.Contains(o.Conflicts, e) && !slices.Contains(last, o.ID) {
			out = append(out, o.ID)
		}
	}
	slices.Sort(out)
	return out
}

// Draw chooses from the seed: count enterprises, then per_enterprise
// officers for each.
func (l DrawLists) Draw(seed []byte) ([]Pick, error) {
	if err := l.check(); err != nil {
		return nil, err
	}
	ids := make([]int64, len(l.Enterprises))
	for i, e := range l.Enterprises {
		ids[i] = e.ID
	}
	slices.Sort(ids)
	var out []Pick
	for _, e := range newStream(seed, "enterprises").choose(ids, l.Count) {
		el := l.eligible(e)
		if len(el) < l.PerEnterprise {
			return nil, fmt.Errorf("企业 %d 可派的执法人员只有 %d 名 (少于每组 %d 名): 补充名录或减少冲突排除", e, len(el), l.PerEnterprise)
		}
		out = append(out, Pick{Enterprise: e, Officers: newStream(seed, "officers:"+strconv.FormatInt(e, 10)).choose(el, l.PerEnterprise)})
	}
	return out, nil
}

// check refuses lists a draw cannot be made from.
func (l DrawLists) check() error {
	switch {
	case l.PerEnterprise < MinOfficers:
		return fmt.Errorf("每户检查至少派 %d 名执法人员 (行政处罚法第四十二条)", MinOfficers)
	case l.Count < 1:
		return errors.New("抽取户数至少为 1")
	case l.Count > len(l.Enterprises):
		return fmt.Errorf("抽取 %d 户，名录库只有 %d 户", l.Count, len(l.Enterprises))
	}
	seen := map[int64]bool{}
	for _, e := range l.Enterprises {
		if seen[e.ID] {
			return fmt.Errorf("检查对象名录库中企业 %d 重复", e.ID)
		}
		seen[e.ID] = true
	}
	officers := map[int64]bool{}
	for _, o := range l.Officers {
		if officers[o.ID] {
			return fmt.Errorf("执法检查人员名录库中人员 %d 重复", o.ID)
		}
		officers[o.ID] = true
		if !utf8.ValidString(o.Name) || !utf8.ValidString(o.Unit) {
			return fmt.Errorf("执法人员 %d 的姓名或单位不是有效的 UTF-8", o.ID)
		}
	}
	for _, e := range l.Enterprises {
		if !utf8.ValidString(e.Name) || !utf8.ValidString(e.CreditCode) {
			return fmt.Errorf("企业 %d 的名称或代码不是有效的 UTF-8", e.ID)
		}
	}
	for k, os := range l.ExcludeLast {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil || strconv.FormatInt(id, 10) != k || !seen[id] {
			return fmt.Errorf("上次检查人员排除表的键「%s」不是名录库中的企业编号", k)
		}
		if len(os) > l.PerEnterprise {
			return fmt.Errorf("企业 %d 排除的上次检查人员 %d 名，多于每组人数 %d", id, len(os), l.PerEnterprise)
		}
		for _, o := range os {
			if !officers[o] {
				return fmt.Errorf("企业 %d 排除的人员 %d 不在执法检查人员名录库中", id, o)
			}
		}
	}
	if _, err := regexp.Compile(l.PublicFormat); err != nil || l.PublicFormat == "" {
		return errors.New("请写明公开值的来源格式 (public_format，正则表达式)，抽取前随名录一并公布")
	}
	return nil
}

// Prepare commits to lists with the office's share, after checking that
// every enterprise has the officers a draw needs: a draw of committed
// lists never fails once the seed is known (which would let the office
// fix the lists and commit again).
func (l DrawLists) Prepare(share []byte) (listsHash, commitment []byte, err error) {
	if len(share) != 32 {
		return nil, nil, errors.New("份额应为 32 字节")
	}
	if err := l.check(); err != nil {
		return nil, nil, err
	}
	// Only an enterprise some officer is kept from can be short of them.
	kept := map[int64]bool{}
	if len(l.Officers) < l.PerEnterprise && len(l.Enterprises) > 0 {
		kept[l.Enterprises[0].ID] = true
	}
	for _, o := range l.Officers {
		for _, e := range o.Conflicts {
			kept[e] = true
		}
	}
	for k := range l.ExcludeLast {
		id, _ := strconv.ParseInt(k, 10, 64)
		kept[id] = true
	}
	for _, e := range slices.Sorted(maps.Keys(kept)) {
		if n := len(l.eligible(e)); n < l.PerEnterprise && slices.ContainsFunc(l.Enterprises, func(x DrawEnterprise) bool { return x.ID == e }) {
			return nil, nil, fmt.Errorf("%s可派的执法人员只有 %d 名 (少于每组 %d 名): 补充执法人员名录库或核实利害关系申报", nameOf(l, e), n, l.PerEnterprise)
		}
	}
	lh := l.Hash()
	return lh, Commit(lh, share), nil
}

// publicOK reports whether the public value matches the committed format
// whole.
func (l DrawLists) publicOK(public string) bool {
	re, err := regexp.Compile(l.PublicFormat)
	if err != nil {
		return false
	}
	loc := re.FindStringIndex(public)
	return loc != nil && loc[0] == 0 && loc[1] == len(public)
}

// Recuse replaces officer o on enterprise e of the picks (the n-th recusal
// on e, counting those in before), deterministically from the seed.
func (l DrawLists) Recuse(seed []byte, picks []Pick, before []Recusal, e, o int64, reason string) (Recusal, error) {
	var team []int64
	for _, p := range picks {
		if p.Enterprise == e {
			team = p.Officers
		}
	}
	if !slices.Contains(team, o) {
		return Recusal{}, fmt.Errorf("执法人员 %d 不在企业 %d 的检查组中", o, e)
	}
	n := 1
	var gone []int64
	for _, r := range before {
		if r.Enterprise == e {
			n++
			gone = append(gone, r.Officer)
		}
	}
	if n > l.PerEnterprise {
		return Recusal{}, fmt.Errorf("企业 %d 的回避替换已有 %d 次，不能再换 (至多每组人数)", e, n-1)
	}
	var pool []int64
	for _, x := range l.eligible(e) {
		if !slices.Contains(team, x) && !slices.Contains(gone, x) {
			pool = append(pool, x)
		}
	}
	if len(pool) == 0 {
		return Recusal{}, fmt.Errorf("企业 %d 已无可替换的执法人员", e)
	}
	label := "recusal:" + strconv.FormatInt(e, 10) + ":" + strconv.Itoa(n)
	return Recusal{Enterprise: e, Officer: o, Replacement: newStream(seed, label).choose(pool, 1)[0], Reason: reason}, nil
}

// Apply puts a recusal's replacement in its officer's place.
func Apply(picks []Pick, r Recusal) {
	for i := range picks {
		if picks[i].Enterprise == r.Enterprise {
			if k := slices.Index(picks[i].Officers, r.Officer); k >= 0 {
				picks[i].Officers[k] = r.Replacement
			}
		}
	}
}

// Verify recomputes a draw record and says what does not hold, nil when
// everything does: lists changed after the commitment (their hash), a share
// that is not the committed one, a seed or a result or a recusal other
// than the algorithm gives, a public value outside the committed format.
// published is the commitment as the office published it before the draw:
// without it a record proves only that it agrees with itself.
func Verify(rec DrawRecord, published string) []string {
	var out []string
	if rec.Schema != DrawSchema {
		out = append(out, fmt.Sprintf("记录格式为 %q，应为 %s", rec.Schema, DrawSchema))
	}
	share, err := hex.DecodeString(rec.Share)
	if err != nil || len(share) != 32 {
		return append(out, "份额 (share) 应为 64 位十六进制 (32 字节)")
	}
	lh := rec.DrawLists.Hash()
	if hex.EncodeToString(lh) != rec.ListsHash {
		out = append(out, "名录与公布时不符: 两库的哈希 "+hex.EncodeToString(lh)+" ≠ 记录的 "+rec.ListsHash)
	}
	commitment, err := hex.DecodeString(rec.Commitment)
	if err != nil {
		return append(out, "承诺值不是十六进制")
	}
	if p, err := hex.DecodeString(published); err != nil || !bytes.Equal(p, commitment) {
		out = append(out, "记录的承诺值 "+rec.Commitment+" ≠ 公布的 "+published)
	}
	if !rec.publicOK(rec.PublicValue) {
		out = append(out, fmt.Sprintf("公开值「%s」不合承诺时公布的格式 %s", rec.PublicValue, rec.PublicFormat))
	}
	if want := Commit(lh, share); !bytes.Equal(want, commitment) {
		// The commitment binds the lists' hash and the share together: which
		// of the two changed only the published lists hash can tell.
		out = append(out, "名录与份额不符承诺: 名录在承诺后被改动 (连同其哈希)，或揭示的份额不是承诺时的份额")
	}
	seed := Seed(commitment, share, rec.PublicValue)
	if hex.EncodeToString(seed) != rec.Seed {
		out = append(out, "种子应为 "+hex.EncodeToString(seed)+"，记录为 "+rec.Seed)
	}
	picks, err := rec.Draw(seed)
	if err != nil {
		return append(out, "无法重算抽取: "+err.Error())
	}
	var done []Recusal
	for _, r := range rec.Recusals {
		again, err := rec.Recuse(seed, picks, done, r.Enterprise, r.Officer, r.Reason)
		if err != nil || again.Replacement != r.Replacement {
			out = append(out, fmt.Sprintf("企业 %d 回避执法人员 %d 的替换应为 %d，记录为 %d%s", r.Enterprise, r.Officer, again.Replacement, r.Replacement, errText(err)))
			continue
		}
		Apply(picks, again)
		done = append(done, again)
	}
	if !samePicks(picks, rec.Result) {
		out = append(out, "抽取结果与算法重算不符")
	}
	return out
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return " (" + err.Error() + ")"
}

func samePicks(a, b []Pick) bool {
	return slices.EqualFunc(a, b, func(x, y Pick) bool { return x.Enterprise == y.Enterprise && slices.Equal(x.Officers, y.Officers) })
}

// MakeDraw runs a draw on lists committed with share, once the public
// value is known: the record with its hashes, seed and result (no
// recusals yet).
func MakeDraw(l DrawLists, share []byte, public string) (DrawRecord, error) {
	lh, c, err := l.Prepare(share)
	if err != nil {
		return DrawRecord{}, err
	}
	if !l.publicOK(public) {
		return DrawRecord{}, fmt.Errorf("公开值「%s」不合公布的格式 %s", public, l.PublicFormat)
	}
	seed := Seed(c, share, public)
	picks, err := l.Draw(seed)
	if err != nil {
		return DrawRecord{}, err
	}
	return DrawRecord{Schema: DrawSchema, DrawLists: l, ListsHash: hex.EncodeToString(lh), Commitment: hex.EncodeToString(c),
		PublicValue: public, Share: hex.EncodeToString(share), Seed: hex.EncodeToString(seed), Algorithm: Algorithm,
		Result: picks, Recusals: []Recusal{}}, nil
}
