package docs

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"os"
	"slices"
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

// The writ faces (issue 15, SOURCE.md): a 仿宋 for body text, a bold 宋 for
// titles in the place of 小标宋, and a 宋 for page numbers. The two large
// ones are stored gzipped (half the binary) and unpacked on first use.

//go:embed font/fandol-fang-subset.ttf.gz
var fangFont []byte

//go:embed font/noto-serif-sc-bold-subset.ttf.gz
var songFont []byte

//go:embed font/noto-serif-sc-ascii.ttf
var serifFont []byte

// face is an embedded TrueType face.
type face struct {
	family string // the name registered with gopdf
	data   []byte
	gz     bool   // data is gzipped
	path   string // an operator's file (UseFaces)
	ttf    core.TTFParser
	ascent float64 // typographic ascender, in em
}

// The faces by index; a style lists the ones it prints with, in order.
const (
	faceHei      = 0 // 文泉驿微米黑: cards, headings (黑体), and the fallback of every style
	faceFallback = 1
	faceSymbols  = 2
	faceFang     = 3 // Fandol 仿宋: body text
	faceSong     = 4 // Noto Serif CJK SC Bold: titles and the issuer (小标宋)
	faceSerif    = 5 // Noto Serif CJK SC, ASCII only: page numbers (半角宋体)
)

var faces = []*face{
	{family: "cjk", data: cjkFont},
	{family: "cjk-fallback", data: fallbackFont},
	{family: "symbols", data: symbolFont},
	{family: "fang", data: fangFont, gz: true},
	{family: "song", data: songFont, gz: true},
	{family: "serif", data: serifFont},
}

// style is the faces a piece of text prints with, in order of preference:
// each ends with the fallback chain, so whatever prints in one style prints
// in every style.
type style []int

var (
	styleHei   = style{faceHei, faceFallback, faceSymbols}
	baseBody   = style{faceFang, faceHei, faceFallback, faceSymbols}
	baseTitle  = style{faceSong, faceHei, faceFallback, faceSymbols}
	styleBody  = baseBody  // with an operator's 仿宋 first (UseFaces)
	styleTitle = baseTitle // with an operator's 小标宋 first
	stylePage  = style{faceSerif, faceFang, faceHei, faceFallback, faceSymbols}
)

// FaceFiles are TrueType files an operator licensed (方正小标宋, 仿宋_GB2312):
// when set, they print titles and body text before the embedded faces.
type FaceFiles struct {
	Title string // path of a 小标宋 .ttf
	Body  string // path of a 仿宋 .ttf
}

// UseFaces reads and checks the operator's faces; call it at start-up,
// before any document is rendered. Calling it again with the same files
// changes nothing; an empty path leaves the embedded face first.
func UseFaces(ff FaceFiles) error {
	if err := loadFaces(); err != nil {
		return err
	}
	facesMu.Lock()
	defer facesMu.Unlock()
	if ff.Title == "" && ff.Body == "" && slices.Equal(styleTitle, baseTitle) && slices.Equal(styleBody, baseBody) {
		// Nothing to change: leave the styles alone (every app start calls
		// this, while other goroutines may be printing with them).
		return nil
	}
	use := func(path, family string, base style) (style, error) {
		if path == "" {
			return base, nil
		}
		for i, f := range faces {
			if f.path == path {
				return append(style{i}, base...), nil
			}
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("字体文件 %s: %w", path, err)
		}
		f := &face{family: family, data: data, path: path}
		if err := f.parse(); err != nil {
			return nil, fmt.Errorf("字体文件 %s 不是可嵌入的 TrueType 字体（须为 .ttf，不支持 .ttc 和 CFF 轮廓的 .otf）: %w", path, err)
		}
		faces = append(faces, f)
		return append(style{len(faces) - 1}, base...), nil
	}
	title, err := use(ff.Title, "title-licensed", baseTitle)
	if err != nil {
		return err
	}
	body, err := use(ff.Body, "body-licensed", baseBody)
	if err != nil {
		return err
	}
	styleTitle, styleBody = title, body
	return nil
}

var (
	facesOnce sync.Once
	facesErr  error
	facesMu   sync.Mutex // UseFaces against itself
)

// loadFaces parses the faces once; they are only read afterwards.
func loadFaces() error {
	facesOnce.Do(func() {
		for _, f := range faces {
			if err := f.parse(); err != nil {
				facesErr = fmt.Errorf("字体 %s: %w", f.family, err)
				return
			}
		}
	})
	return facesErr
}

func (f *face) parse() error {
	if f.gz {
		z, err := gzip.NewReader(bytes.NewReader(f.data))
		if err != nil {
			return err
		}
		if f.data, err = io.ReadAll(z); err != nil {
			return err
		}
		f.gz = false
	}
	if err := f.ttf.ParseFontData(f.data); err != nil {
		return err
	}
	if len(f.ttf.LocaTable) == 0 {
		return fmt.Errorf("no glyf outlines")
	}
	f.ascent = float64(f.ttf.TypoAscender()) / float64(f.ttf.UnitsPerEm())
	return nil
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

// shape splits one line of text into runs by face, in the 黑体 style.
func shape(text string) (runs []run, missing []rune) { return styleHei.shape(text) }

// pick is the face of st that prints r and its glyph, or -1.
func (st style) pick(r rune) (int, uint) {
	for _, i := range st {
		if g := faces[i].glyph(r); g != 0 {
			return i, g
		}
	}
	return -1, 0
}

// shape splits one line of text into runs by face. Control spaces (tab,
// newline) print as a space and ignorable characters are left out; a space
// no face has prints as an ordinary space. missing is every other character
// that no face has a glyph for, in order, once each.
func (st style) shape(text string) (runs []run, missing []rune) {
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
		fi, g := st.pick(r)
		if fi < 0 && unicode.IsSpace(r) {
			r, fi = ' ', st[0]
			g = faces[fi].glyph(' ')
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
