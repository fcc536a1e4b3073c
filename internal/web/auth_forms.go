package web

import (
	"net/url"
	"strings"
)

// safeNext keeps a post-login redirect on this site: anything but a plain
// same-site path becomes "/". Browsers forgive a lot in a Location header
// (Chromium drops tabs and newlines and reads a backslash as a slash, so
// "/<TAB>/host" and "/<BACKSLASH>host" lead to another host), hence no
// control character and no backslash anywhere, and no "//" at the start, in
// the value as given nor after percent-decoding it (repeatedly, against
// double encoding).
func safeNext(next string) string {
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	p := next
	for range 4 {
		if !plainPath(p) {
			return "/"
		}
		dec, err := url.PathUnescape(p)
		if err != nil || dec == p {
			return next // nothing more to decode ("50%" is a search, not an escape)
		}
		p = dec
	}
	return "/" // still encoded after four rounds: nobody links like that
}

// plainPath: starts with one slash, no backslash, no control character.
func plainPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsRune(p, '\\') {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < 0x20 || p[i] == 0x7f {
			return false
		}
	}
	return true
}
