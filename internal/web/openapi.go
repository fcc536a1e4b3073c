package web

import (
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// apiOpenAPI serves the OpenAPI 3 document, generated from apiRoutes so the
// document and the served API cannot drift apart.
func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.openAPI())
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

func (s *Server) openAPI() map[string]any {
	schemas := map[string]any{
		"Error": map[string]any{"type": "object", "properties": map[string]any{"error": map[string]any{
			"type": "object", "required": []string{"code", "message"},
			"properties": map[string]any{"code": str(), "message": str(), "field": str()}}}},
	}
	paths := map[string]any{}
	for _, rt := range s.apiRoutes() {
		op := map[string]any{"summary": rt.Summary, "tags": []string{rt.Tag}, "operationId": opID(rt.Method, rt.Path)}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": str()})
		}
		for _, q := range rt.Query {
			params = append(params, map[string]any{"name": q, "in": "query", "schema": str()})
		}
		if params != nil {
			op["parameters"] = params
		}
		if rt.Body != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(rt.Body), schemas)}}}
		}
		errResp := map[string]any{"description": "错误", "content": map[string]any{
			"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
		resps := map[string]any{"default": errResp}
		code := strconv.Itoa(rt.status())
		if rt.Resp == nil {
			resps[code] = map[string]any{"description": "完成"}
		} else {
			resps[code] = map[string]any{"description": "成功", "content": map[string]any{
				"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(rt.Resp), schemas)}}}
		}
		op["responses"] = resps
		// Which API token reaches it (routeareas.go): its area ("" every
		// token, "account" none) and whether it writes.
		if area, ok := rt.area(); ok {
			op["x-token"] = map[string]any{"area": area, "writes": rt.writes()}
		}
		if !rt.Public {
			op["security"] = []any{map[string]any{"cookie": []string{}}, map[string]any{"bearer": []string{}}}
		}
		item, _ := paths[rt.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		item[strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "anwei 安委 API", "version": "1", "description": "安全生产委员会监管平台 JSON 接口。错误一律为 {\"error\":{\"code\",\"message\"}}。"},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": schemas,
			"securitySchemes": map[string]any{
				"cookie": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
				"bearer": map[string]any{"type": "http", "scheme": "bearer"},
			},
		},
	}
}

func str() map[string]any { return map[string]any{"type": "string"} }

func opID(method, path string) string {
	p := strings.NewReplacer("/api/v1/", "", "/", "_", "{", "", "}", "").Replace(path)
	return strings.ToLower(method) + "_" + p
}

var timeType = reflect.TypeOf(time.Time{})

// schemaType is implemented by a type that says its own schema (a value
// JSON may give in more than one form).
var schemaType = reflect.TypeOf((*interface{ JSONSchema() map[string]any })(nil)).Elem()

// schemaOf derives a JSON schema from a Go type's json tags; named structs
// go into components.
func schemaOf(t reflect.Type, schemas map[string]any) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(schemaType) {
		return reflect.Zero(t).Interface().(interface{ JSONSchema() map[string]any }).JSONSchema()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.String:
		return str()
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return map[string]any{"type": "number"}
	case t.Kind() == reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), schemas)}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), schemas)}
	case t.Kind() != reflect.Struct:
		return map[string]any{}
	}
	name := schemaName(t)
	if _, ok := schemas[name]; !ok {
		schemas[name] = map[string]any{} // placeholder against recursion
		props := map[string]any{}
		addFields(t, props, schemas)
		schemas[name] = map[string]any{"type": "object", "properties": props}
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

func addFields(t reflect.Type, props map[string]any, schemas map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name := strings.Split(tag, ",")[0]
		if f.Anonymous && name == "" {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			addFields(ft, props, schemas)
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = schemaOf(f.Type, schemas)
	}
}

var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)

func schemaName(t reflect.Type) string {
	pkg := t.PkgPath()
	base := nonWord.ReplaceAllString(t.Name(), "_")
	if i := strings.LastIndex(pkg, "/"); i >= 0 {
		pkg = pkg[i+1:]
	}
	return strings.Trim(strings.ToUpper(pkg[:1])+pkg[1:]+"_"+base, "_")
}
