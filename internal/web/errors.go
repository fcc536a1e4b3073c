package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"anwei/internal/apperr"
)

var errCrossOrigin = apperr.New(apperr.Forbidden, "跨站请求已被拒绝 (CSRF 防护)")

// statusOf is THE mapping from error codes to HTTP status.
func statusOf(code apperr.Code) int {
	switch code {
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthenticated:
		return http.StatusUnauthorized
	case apperr.Conflict:
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// apiError is the JSON error body: {"error":{"code","message","field",
// "fields"}} — fields lists every field found wrong at once (issue 16.2),
// the first being field and message.
type apiError struct {
	Error struct {
		Code    apperr.Code       `json:"code"`
		Message string            `json:"message"`
		Field   string            `json:"field,omitempty"`
		Fields  []apperr.FieldErr `json:"fields,omitempty"`
	} `json:"error"`
}

// fail writes err as a JSON error (API) or an error page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := apperr.As(err)
	status := statusOf(e.Code)
	if status == http.StatusInternalServerError {
		s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		e = apperr.New(apperr.Internal, "系统内部错误，请稍后重试")
	}
	if isAPI(r) {
		var body apiError
		body.Error.Code, body.Error.Message, body.Error.Field, body.Error.Fields = e.Code, e.Message, e.Field, e.Fields
		writeJSON(w, status, body)
		return
	}
	w.WriteHeader(status)
	s.pages.render(w, r, "error", pageData{Title: "出错了", Actor: actorOf(r), Data: e})
}

// writeJSON encodes v before the status goes out, so a value that cannot be
// encoded (a NaN, say) is answered with a 500 and an error body instead of
// a 200 with an empty or cut-off body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		var body apiError
		body.Error.Code, body.Error.Message = apperr.Internal, "系统内部错误: 结果无法编码为 JSON ("+err.Error()+")"
		_ = enc.Encode(body)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// decodeJSON reads a JSON request body (at most 1 MiB) into v and refuses
// strings with a NUL or bytes that are not UTF-8 (see checkJSON).
func decodeJSON(r *http.Request, v any) error { return decodeJSONIgnoring(r, v, nil) }

// decodeJSONIgnoring is decodeJSON passing over the top-level fields named
// in ignore (a record's read-only fields sent back with it).
func decodeJSONIgnoring(r *http.Request, v any, ignore map[string]bool) error {
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, jsonBody))
	if errors.As(err, new(*http.MaxBytesError)) {
		return jsonTooLarge(jsonBody)
	}
	if err != nil {
		return apperr.New(apperr.Invalid, "请求体不是有效的 JSON: "+err.Error())
	}
	body := raw
	if len(ignore) > 0 {
		var fields map[string]json.RawMessage
		if json.Unmarshal(raw, &fields) == nil && fields != nil {
			for k := range fields {
				if ignore[k] {
					delete(fields, k)
				}
			}
			body, _ = json.Marshal(fields)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apperr.New(apperr.Invalid, "请求体不是有效的 JSON: "+err.Error())
	}
	return checkJSON(raw, v)
}
