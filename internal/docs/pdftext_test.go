package docs

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"testing"
	"unicode"
)

// printed is what a PDF of this package shows: its text in drawing order
// (each text object's characters, through the font's ToUnicode map), the
// characters whose glyph in the embedded font program has no outline
// (printed blank), and the fonts drawn with. It reads the PDF as gopdf
// writes it, so the tests need no PDF tool installed.
type printed struct {
	text   string
	blank  []rune
	family map[string]int // BaseFont → characters drawn with it
	pages  [][]pline      // each page's lines, top to bottom
}

// pline is a line of a page's text layer: the text objects drawn on one
// baseline (within 1 pt), left to right, and where the line begins.
type pline struct {
	x, y float64 // PDF user space: y up from the page's foot
	text string
	font map[string]bool
}

var (
	objRe   = regexp.MustCompile(`(?s)(\d+) 0 obj\s*(.*?)endobj`)
	refRe   = func(key string) *regexp.Regexp { return regexp.MustCompile(`/` + key + `\s*\[?\s*(\d+) 0 R`) }
	fontRes = regexp.MustCompile(`/F(\d+)\s+(\d+) 0 R`)
	bfRe    = regexp.MustCompile(`<([0-9A-F]+)><([0-9A-F]+)><([0-9A-F]+)>`)
	textOp  = regexp.MustCompile(`/F(\d+) [\d.]+ Tf|<([0-9A-F]*)>|(-?[\d.]+) (-?[\d.]+) TD`)
	nameRe  = regexp.MustCompile(`/BaseFont /(\S+)`)
)

func readPDF(t *testing.T, pdf []byte) printed {
	t.Helper()
	dict, data := map[int][]byte{}, map[int][]byte{}
	for _, m := range objRe.FindAllSubmatch(pdf, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		body := m[2]
		i := bytes.Index(body, []byte("stream"))
		if i < 0 {
			dict[n] = body
			continue
		}
		dict[n] = body[:i]
		s := bytes.TrimLeft(body[i+len("stream"):], "\r\n")
		s = s[:bytes.LastIndex(s, []byte("endstream"))]
		if bytes.Contains(body[:i], []byte("FlateDecode")) {
			z, err := zlib.NewReader(bytes.NewReader(s))
			if err != nil {
				t.Fatalf("object %d: %v", n, err)
			}
			if s, err = io.ReadAll(z); err != nil {
				t.Fatalf("object %d: %v", n, err)
			}
		}
		data[n] = s
	}
	ref := func(obj int, key string) int {
		m := refRe(key).FindSubmatch(dict[obj])
		if m == nil {
			t.Fatalf("object %d has no /%s: %s", obj, key, dict[obj])
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}
	type font struct {
		name    string
		unicode map[uint]rune
		outline func(g uint) bool
	}
	fonts := map[string]*font{}
	out := printed{family: map[string]int{}}
	objs := make([]int, 0, len(dict))
	for n := range dict {
		objs = append(objs, n)
	}
	sort.Ints(objs)
	for _, n := range objs {
		d := dict[n]
		if !bytes.Contains(d, []byte("/Type /Page")) || bytes.Contains(d, []byte("/Type /Pages")) {
			continue
		}
		for _, fr := range fontRes.FindAllSubmatch(dict[ref(n, "Resources")], -1) {
			obj, _ := strconv.Atoi(string(fr[2]))
			f := &font{name: string(nameRe.FindSubmatch(dict[obj])[1]), unicode: map[uint]rune{}}
			for _, m := range bfRe.FindAllSubmatch(data[ref(obj, "ToUnicode")], -1) {
				lo, _ := strconv.ParseUint(string(m[1]), 16, 32)
				r, _ := strconv.ParseUint(string(m[3]), 16, 32)
				f.unicode[uint(lo)] = rune(r)
			}
			file := ref(ref(ref(obj, "DescendantFonts"), "FontDescriptor"), "FontFile2")
			f.outline = outlines(t, data[file])
			fonts[string(fr[1])] = f
		}
		var cur *font
		type piece struct {
			x, y float64
			text string
			font string
		}
		var pieces []piece
		for _, m := range textOp.FindAllSubmatch(data[ref(n, "Contents")], -1) {
			if m[1] != nil {
				cur = fonts[string(m[1])]
				pieces[len(pieces)-1].font = cur.name
				continue
			}
			if m[3] != nil {
				x, _ := strconv.ParseFloat(string(m[3]), 64)
				y, _ := strconv.ParseFloat(string(m[4]), 64)
				pieces = append(pieces, piece{x: x, y: y})
				continue
			}
			for i := 0; i+4 <= len(m[2]); i += 4 {
				g, _ := strconv.ParseUint(string(m[2][i:i+4]), 16, 16)
				r := cur.unicode[uint(g)]
				pieces[len(pieces)-1].text += string(r)
				out.text += string(r)
				out.family[cur.name]++
				if !cur.outline(uint(g)) && !unicode.IsSpace(r) {
					out.blank = append(out.blank, r)
				}
			}
		}
		sort.SliceStable(pieces, func(i, j int) bool {
			if math.Abs(pieces[i].y-pieces[j].y) > 1 {
				return pieces[i].y > pieces[j].y
			}
			return pieces[i].x < pieces[j].x
		})
		var lines []pline
		for _, pc := range pieces {
			if pc.text == "" {
				continue
			}
			if k := len(lines) - 1; k >= 0 && math.Abs(lines[k].y-pc.y) <= 1 {
				lines[k].text += pc.text
				lines[k].font[pc.font] = true
				continue
			}
			lines = append(lines, pline{x: pc.x, y: pc.y, text: pc.text, font: map[string]bool{pc.font: true}})
		}
		out.pages = append(out.pages, lines)
	}
	return out
}

// outlines reads an embedded TrueType program's loca table: whether glyph
// g has an outline (a glyph without one prints blank).
func outlines(t *testing.T, ttf []byte) func(g uint) bool {
	t.Helper()
	be := binary.BigEndian
	table := func(tag string) []byte {
		for i, n := 0, int(be.Uint16(ttf[4:])); i < n; i++ {
			e := ttf[12+16*i:]
			if string(e[:4]) == tag {
				off, l := be.Uint32(e[8:]), be.Uint32(e[12:])
				return ttf[off : off+l]
			}
		}
		t.Fatalf("embedded font has no %s table", tag)
		return nil
	}
	long := be.Uint16(table("head")[50:]) == 1
	loca := table("loca")
	at := func(g uint) uint {
		if long {
			return uint(be.Uint32(loca[4*g:]))
		}
		return 2 * uint(be.Uint16(loca[2*g:]))
	}
	entries := uint(len(loca) / 2)
	if long {
		entries = uint(len(loca) / 4)
	}
	return func(g uint) bool { return g+1 < entries && at(g) != at(g+1) }
}
