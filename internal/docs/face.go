package docs

import (
	_ "embed"
	"fmt"
	"sync"
	"unicode"

	"github.com/signintech/gopdf/fontmaker/core"
)

// The faces a PDF prints with, in order of preference (REGULATIONS.md §14.8):
// gopdf prints a character its face lacks as a blank without an error, and a
// writ must never drop a character of a name silently. Each character goes
// to the first face that has a glyph for it; what no face has is refused
// before anything is drawn (see check.go).
//
// Coverage is read with gopdf's own TrueType parser (fontmaker/core, part of
// the gopdf module already required): "covered" then means exactly "gopdf
// finds a glyph", from the same cmap subtables gopdf prints with, and no
// second font library is needed.

//go:embed font/wqy-microhei.ttf
var cjkFont []byte

//go:embed font/droid-sans-fallback-subset.ttf
var fallbackFont []byte

//go:embed font/noto-sans-subset.ttf
var symbolFont []byte

// face is an embedded TrueType face.
type face struct {
	family string // the name registered with gopdf
	data   []byte
	ttf    core.TTFParser
	ascent float64 // typographic ascender, in em
}

var faces = []*face{
	{family: "cjk", data: cjkFont},
	{family: "cjk-fallback", data: fallbackFont},
	{family: "symbols", data: symbolFont},
}

var (
	facesOnce sync.Once
	facesErr  error
)

// loadFaces parses the faces once; they are only read afterwards.
func loadFaces() error {
	facesOnce.Do(func() {
		for _, f := range faces {
			if err := f.ttf.ParseFontData(f.data); err != nil {
				facesErr = fmt.Errorf("字体 %s: %w", f.family, err)
				return
			}
			f.ascent = float64(f.ttf.TypoAscender()) / float64(f.ttf.UnitsPerEm())
		}
	})
	return facesErr
}

// glyph is the face's glyph for r, 0 when it has none that prints: not in
// the cmap (gopdf would print a space), or mapped to a glyph without an
// outline while r is not a space (WenQuanYi Micro Hei maps ℃, ǎ and Ⅴ so).
func (f *face) glyph(r rune) uint {
	var g uint
	if r <= 0xFFFF {
		g = f.ttf.Chars()[int(r)]
	} else {
		// gopdf looks characters beyond the BMP up in the (3,10) format 12 subtable.
		for _, t := range f.ttf.GroupingTables() {
			if uint(r) >= t.StartCharCode && uint(r) <= t.EndCharCode {
				g = uint(r) - t.StartCharCode + t.GlyphID
				break
			}
		}
	}
	loca := f.ttf.LocaTable
	if g == 0 || g+1 >= uint(len(loca)) {
		return 0
	}
	if loca[g] == loca[g+1] && !unicode.IsSpace(r) {
		return 0
	}
	return g
}

// advance is the glyph's advance width in thousandths of the font size,
// computed as gopdf computes it (SubsetFontObj.GlyphIndexToPdfWidth).
func (f *face) advance(g uint) int {
	if n := f.ttf.NumberOfHMetrics(); g >= n {
		g = n - 1
	}
	w, upem := f.ttf.Widths()[g], f.ttf.UnitsPerEm()
	if upem == 1000 {
		return int(w)
	}
	return int(w * 1000 / upem)
}

// run is a stretch of text printed with one face.
type run struct {
	face  int
	text  string
	width int // thousandths of the font size
}

// ignorable characters print nothing by design (zero-width spaces and
// joiners, bidi marks, variation selectors, fillers): they are left out
// rather than looked up, as a face that maps none would print a space.
func ignorable(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point) ||
		unicode.IsControl(r) && !unicode.IsSpace(r)
}

// shape splits one line of text into runs by face. Control spaces (tab,
// newline) print as a space and ignorable characters are left out; a space
// no face has prints as an ordinary space. missing is every other character
// that no face has a glyph for, in order, once each.
func shape(text string) (runs []run, missing []rune) {
	_ = loadFaces() // on failure no face has a glyph: all is missing (and newPen reports the error)
	cur := run{face: -1}
	buf := make([]rune, 0, len(text))
	flush := func() {
		if len(buf) > 0 {
			cur.text = string(buf)
			runs = append(runs, cur)
		}
		buf = buf[:0]
	}
	for _, r := range text {
		if ignorable(r) {
			continue
		}
		if unicode.IsControl(r) {
			r = ' '
		}
		fi, g := -1, uint(0)
		for i, f := range faces {
			if g = f.glyph(r); g != 0 {
				fi = i
				break
			}
		}
		if fi < 0 && unicode.IsSpace(r) {
			r, fi = ' ', 0
			g = faces[0].glyph(' ')
		}
		if fi < 0 {
			if !containsRune(missing, r) {
				missing = append(missing, r)
			}
			continue
		}
		if fi != cur.face {
			flush()
			cur = run{face: fi}
		}
		buf = append(buf, r)
		cur.width += faces[fi].advance(g)
	}
	flush()
	return runs, missing
}

func containsRune(rs []rune, r rune) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}
