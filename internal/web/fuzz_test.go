package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"anwei/internal/apperr"
)

// The request decoders' fuzz targets (ARCHITECTURE, Tests: fuzzing): the
// form parser every page runs (checkForm, URL-encoded and multipart) and
// the JSON body decoder every API write runs (decodeJSON). Whatever the
// body, each refuses it with an Invalid error in Chinese or hands the
// handler only text it may store.

// invalidOnly fails unless err is nil or an Invalid apperr whose message
// is in Chinese: UTF-8, no NUL, at least one Han character.
func invalidOnly(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	e, ok := err.(*apperr.Error)
	if !ok || e.Code != apperr.Invalid || !utf8.ValidString(e.Message) || strings.IndexByte(e.Message, 0) >= 0 ||
		!strings.ContainsFunc(e.Message, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Fatalf("%s: %T %v", what, err, err)
	}
}

// FuzzCheckForm: a page's form body, URL-encoded or multipart (boundary
// "B"), within a small limit.
func FuzzCheckForm(f *testing.F) {
	f.Add([]byte("place=%E4%BA%8C%E5%8F%B7&description=x&a=1&a=2"), false)
	f.Add([]byte("a=%00&b=%ff%fe;c"), false)
	f.Add([]byte("--B\r\nContent-Disposition: form-data; name=\"place\"\r\n\r\n二号仓库\r\n--B\r\n"+
		"Content-Disposition: form-data; name=\"files\"; filename=\"现场.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0<svg onload=x>\r\n--B--\r\n"), true)
	f.Add([]byte("--B\r\nContent-Disposition: form-data; name=\"a\xff\"; filename=\"\x00.svg\"\r\n\r\nx\r\n--B--"), true)
	tmp := f.TempDir()
	f.Fuzz(func(t *testing.T, body []byte, multi bool) {
		t.Setenv("TMPDIR", tmp)
		ct := "application/x-www-form-urlencoded"
		if multi {
			ct = "multipart/form-data; boundary=B"
		}
		r := httptest.NewRequest("POST", "/x?q=1", bytes.NewReader(body))
		r.Header.Set("Content-Type", ct)
		const limit = 4 << 10
		r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, limit)
		err := checkForm(r, limit)
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		invalidOnly(t, "form", err)
		if len(body) > limit+1 && err == nil {
			t.Fatalf("a body of %d bytes passed a limit of %d", len(body), limit)
		}
		if err != nil {
			return
		}
		if r.MultipartForm != nil {
			if err := checkValues(r.MultipartForm.Value); err != nil {
				t.Fatalf("a bad value passed: %v", err)
			}
			for k, fhs := range r.MultipartForm.File {
				for _, fh := range fhs {
					if badText(k) || badText(fh.Filename) {
						t.Fatalf("a bad file name passed: %q %q", k, fh.Filename)
					}
				}
			}
		} else if err := checkValues(r.PostForm); err != nil {
			t.Fatalf("a bad value passed: %v", err)
		}
	})
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		f.Errorf("%d temporary files left", len(left))
	}
}

// fuzzBody is a JSON body of every shape the API's bodies have.
type fuzzBody struct {
	Name   string            `json:"name"`
	Count  int               `json:"count"`
	Ratio  float64           `json:"ratio"`
	On     *bool             `json:"on"`
	Note   *string           `json:"note"`
	Tags   []string          `json:"tags"`
	Extra  map[string]string `json:"extra"`
	Items  []fuzzItem        `json:"items"`
	Raw    []byte            `json:"raw"`
	Hidden string            `json:"-"`
	fuzzItem
}

type fuzzItem struct {
	Text string  `json:"text"`
	IDs  []int64 `json:"ids"`
}

// FuzzDecodeJSON: an API body, decoded as is and with read-only fields
// passed over (bodyOf): refused in Chinese, or every string handed on is
// free of NUL and — when the body was not UTF-8, whose bad bytes the
// decoder turns into U+FFFD — of U+FFFD.
func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`{"name":"甲","count":1,"tags":["a"],"extra":{"k":"v"},"items":[{"text":"x","ids":[1]}],"text":"t","raw":"AAE="}`), false)
	f.Add([]byte(`{"name":"a\u0000b"}`), false)
	f.Add([]byte("{\"name\":\"\xff\xfe\",\"id\":3}"), true)
	f.Add([]byte(`{"extra":{"\u0000":"x"},"id":1,"created_at":"x"}{"name":1}`), true)
	f.Add([]byte(`{"note":"\ud800","count":1e999}`), false)
	f.Fuzz(func(t *testing.T, body []byte, ignore bool) {
		var ign map[string]bool
		if ignore {
			ign = map[string]bool{"id": true, "created_at": true}
		}
		r := httptest.NewRequest("POST", "/api/v1/x", bytes.NewReader(body))
		var v fuzzBody
		err := decodeJSONIgnoring(r, &v, ign)
		invalidOnly(t, "JSON", err)
		if err != nil {
			if strings.Contains(err.Error(), "\x00") {
				t.Fatalf("error message carries a NUL: %q", err)
			}
			return
		}
		if name, bad := badJSONString(reflectValue(&v), "body", !utf8.Valid(body)); bad {
			t.Fatalf("field %s passed with a NUL or, from a body not UTF-8, U+FFFD: %+v", name, v)
		}
	})
}

func reflectValue(v any) reflect.Value { return reflect.ValueOf(v) }
