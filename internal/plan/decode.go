package plan

import (
	"archive/zip"
	"bytes"
	"errors"
	"html"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// maxInput bounds a plan document (a real one is tens of kilobytes).
const maxInput = 32 << 20

// Decode turns a plan document — UTF-8 or GB18030/GBK text, HTML, or .docx —
// into plain text with one paragraph per line. It detects the format itself.
func Decode(b []byte) (string, error) {
	if len(b) > maxInput {
		return "", errors.New("文件过大 (超过 32 MiB)，不是工作要点文档")
	}
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return docxText(b)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
		if err != nil {
			return "", errors.New("无法识别文件编码 (既不是 UTF-8 也不是 GB18030)")
		}
		b = dec
	}
	s := string(b)
	if looksHTML(s) {
		s = htmlText(s)
	}
	return s, nil
}

var reHTMLTag = regexp.MustCompile(`(?i)<\s*(html|body|p|div|br|span|table|td)\b`)

func looksHTML(s string) bool { return reHTMLTag.MatchString(s) }

var (
	reDrop   = regexp.MustCompile(`(?is)<(script|style|head)\b.*?</(script|style|head)\s*>|<!--.*?-->`)
	reBreak  = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/li|/h\d|/tr|/title|p|div|li|tr|h\d)\b[^>]*>`)
	reAnyTag = regexp.MustCompile(`<[^>]*>`)
)

// htmlText keeps an HTML page's text, one block per line.
func htmlText(s string) string {
	s = reDrop.ReplaceAllString(s, "")
	s = reBreak.ReplaceAllString(s, "\n")
	s = reAnyTag.ReplaceAllString(s, "")
	return html.UnescapeString(s)
}

var (
	reWText = regexp.MustCompile(`<w:t(?:\s[^>]*)?>([^<]*)</w:t>|<w:tab/>|</w:p>`)
)

// docxText reads the paragraphs of a .docx (word/document.xml).
func docxText(b []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", errors.New("文件以 PK 开头但不是有效的 .docx")
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return "", err
		}
		defer rc.Close()
		x, err := io.ReadAll(io.LimitReader(rc, maxInput))
		if err != nil {
			return "", err
		}
		var out strings.Builder
		for _, m := range reWText.FindAllSubmatch(x, -1) {
			switch {
			case bytes.Equal(m[0], []byte("</w:p>")):
				out.WriteByte('\n')
			case bytes.HasPrefix(m[0], []byte("<w:tab")):
				out.WriteByte(' ')
			default:
				out.WriteString(html.UnescapeString(string(m[1])))
			}
		}
		return out.String(), nil
	}
	return "", errors.New(".docx 中没有 word/document.xml")
}
