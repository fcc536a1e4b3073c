package files

import (
	"io"
	"mime"
	"net/http"
)

// sniffLen is how many leading bytes decide a file's type.
const sniffLen = 512

// Sniff returns the type a file's leading bytes show (the WHATWG sniffing
// rules of http.DetectContentType), never what the uploader claimed: an SVG
// sent as image/svg+xml is text/xml, HTML sent as image/png is text/html.
func Sniff(head []byte) string { return http.DetectContentType(head) }

// SniffFile returns the sniffed type of f's content and rewinds f.
func SniffFile(f io.ReadSeeker) (string, error) {
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	return Sniff(head[:n]), nil
}

// IsPhoto reports whether ct is a type a photo may be stored as: JPEG, PNG
// or WebP.
func IsPhoto(ct string) bool {
	switch mediaType(ct) {
	case "image/jpeg", "image/png", "image/webp":
		return true
	}
	return false
}

// IsRaster reports whether ct is a raster picture a browser may show
// inline: a photo type or GIF. Nothing else (SVG above all, which may carry
// script) is ever shown inline.
func IsRaster(ct string) bool { return IsPhoto(ct) || mediaType(ct) == "image/gif" }

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ""
	}
	return mt
}
