package web

import (
	"bytes"
	"encoding/json"
	"html/template"
)

// auditFuncs show an event's stored JSON.
func auditFuncs() template.FuncMap {
	return template.FuncMap{"pretty": prettyJSON}
}

// prettyJSON indents a stored canonical JSON value for display.
func prettyJSON(s string) string {
	if s == "" || s == "null" {
		return ""
	}
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(s), "", "  "); err != nil {
		return s
	}
	return b.String()
}
