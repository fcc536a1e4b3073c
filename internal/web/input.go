package web

import (
	"errors"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"anwei/internal/apperr"
)

// Text that is not UTF-8 or holds a NUL is refused at the edge, before any
// handler sees it: SQLite would store it as it came and PostgreSQL refuses
// it with an error, so the same request would mean two different things.
// Query parameters and form fields (URL-encoded and multipart, with the
// names of uploaded files) are checked by checkForm in the page wrapper,
// the query of API calls in serveAPI, and JSON bodies in decodeJSON.

// invalidText is the error for a field with bytes we do not store.
func invalidText(field string) *apperr.Error {
	return apperr.Field(field, "字段 "+field+" 含有无效字符 (非 UTF-8 或 NUL)")
}

// badText reports text that is not UTF-8 or holds a NUL.
func badText(s string) bool {
	return !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0
}

// shownName is a field name fit for a message even when the name itself is
// the bad text.
func shownName(name string) string {
	return strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", "\ufffd"), "\ufffd")
}

// checkValues refuses the first (by name) field whose name or a value is
// bad text.
func checkValues(vs url.Values) error {
	for _, k := range slices.Sorted(maps.Keys(vs)) {
		if badText(k) {
			return invalidText(shownName(k))
		}
		for _, v := range vs[k] {
			if badText(v) {
				return invalidText(k)
			}
		}
	}
	return nil
}

// checkQuery checks the request's path (its {id}s and {code}s reach the
// handlers decoded) and query parameters.
func checkQuery(r *http.Request) error {
	if badText(r.URL.Path) {
		return apperr.New(apperr.Invalid, "地址含有无效字符 (非 UTF-8 或 NUL)")
	}
	q, _ := url.ParseQuery(r.URL.RawQuery) // a malformed pair is dropped, as r.URL.Query does
	return checkValues(q)
}

// checkForm parses the request's form — URL-encoded or multipart, its body
// limited to limit bytes by the caller — and checks it and the query. The
// handlers read the parsed form afterwards (ParseForm and
// ParseMultipartForm do not parse twice).
func checkForm(r *http.Request, limit int64) error {
	if err := checkQuery(r); err != nil {
		return err
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			if errors.As(err, new(*http.MaxBytesError)) {
				return tooLarge("", limit)
			}
			return apperr.New(apperr.Invalid, "表单无效")
		}
		return checkValues(r.PostForm)
	case "multipart/form-data":
		if err := r.ParseMultipartForm(formMemory); err != nil {
			if errors.As(err, new(*http.MaxBytesError)) {
				return tooLarge("files", limit)
			}
			return apperr.Field("files", "上传失败: "+err.Error())
		}
		if err := checkValues(r.MultipartForm.Value); err != nil {
			return err
		}
		for _, field := range slices.Sorted(maps.Keys(r.MultipartForm.File)) {
			if badText(field) {
				return invalidText(shownName(field))
			}
			for _, fh := range r.MultipartForm.File[field] {
				if badText(fh.Filename) {
					return apperr.Field(field, "文件名 "+shownName(fh.Filename)+" 含有无效字符 (非 UTF-8 或 NUL)")
				}
			}
		}
	}
	return nil
}

// badJSONString finds the first string in a decoded JSON value that holds a
// NUL or, when the body was not UTF-8 (replaced), the U+FFFD that
// encoding/json put in place of the bytes it could not read, and returns the
// JSON name of its field (or map key).
func badJSONString(v reflect.Value, name string, replaced bool) (string, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return badJSONString(v.Elem(), name, replaced)
		}
	case reflect.String:
		s := v.String()
		if strings.IndexByte(s, 0) >= 0 || (replaced && strings.ContainsRune(s, utf8.RuneError)) {
			return name, true
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if !f.IsExported() || tag == "-" {
				continue
			}
			n, _, _ := strings.Cut(tag, ",")
			switch {
			case f.Anonymous && n == "":
				n = name // embedded: its fields are the outer object's
			case n == "":
				n = f.Name
			}
			if got, ok := badJSONString(v.Field(i), n, replaced); ok {
				return got, true
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return "", false // []byte is base64, not text
		}
		for i := range v.Len() {
			if got, ok := badJSONString(v.Index(i), name, replaced); ok {
				return got, true
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			if k.Kind() == reflect.String {
				if ks := k.String(); strings.IndexByte(ks, 0) >= 0 || (replaced && strings.ContainsRune(ks, utf8.RuneError)) {
					return shownName(ks), true
				}
			}
			if got, ok := badJSONString(v.MapIndex(k), k.String(), replaced); ok {
				return got, true
			}
		}
	}
	return "", false
}

// checkJSON refuses a decoded JSON body v whose strings hold a NUL, or
// bytes that were not UTF-8 in raw.
func checkJSON(raw []byte, v any) error {
	if name, bad := badJSONString(reflect.ValueOf(v), "body", !utf8.Valid(raw)); bad {
		return invalidText(name)
	}
	return nil
}
