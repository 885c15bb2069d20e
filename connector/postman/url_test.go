package postman

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseRawURL(t *testing.T) {
	cases := []struct {
		raw  string
		want urlParts
	}{
		{"{{baseUrl}}/users/:id", urlParts{Host: "{{baseUrl}}", Path: []string{"users", ":id"}}},
		{"https://api.example.com/v1/pets?limit=10&tag", urlParts{Protocol: "https", Host: "api.example.com", Path: []string{"v1", "pets"},
			Query: []queryParam{{Key: "limit", Value: "10", HasValue: true}, {Key: "tag"}}}},
		{"http://localhost:3000/", urlParts{Protocol: "http", Host: "localhost:3000"}},
		{"localhost:3000/items", urlParts{Host: "localhost:3000", Path: []string{"items"}}},
		{"/relative/path", urlParts{Path: []string{"relative", "path"}}},
		{"/", urlParts{}},
		{"{{scheme}}://{{host}}:{{port}}/a", urlParts{Protocol: "{{scheme}}", Host: "{{host}}:{{port}}", Path: []string{"a"}}},
		{"https://user:secret@example.com/a", urlParts{Protocol: "https", Host: "example.com", Path: []string{"a"}}},
		{"https://example.com/a#section?x=1", urlParts{Protocol: "https", Host: "example.com", Path: []string{"a"}}},
		{"https://example.com/search?q={{term}}&size=5", urlParts{Protocol: "https", Host: "example.com", Path: []string{"search"},
			Query: []queryParam{{Key: "q", Value: "{{term}}", HasValue: true}, {Key: "size", Value: "5", HasValue: true}}}},
		{"https://example.com/a%20b?x=%41", urlParts{Protocol: "https", Host: "example.com", Path: []string{"a%20b"},
			Query: []queryParam{{Key: "x", Value: "A", HasValue: true}}}},
		{"{{url}}", urlParts{Host: "{{url}}"}},
		{"{{base/url}}/x", urlParts{Host: "{{base/url}}", Path: []string{"x"}}},
		{"  https://example.com//double//slash/  ", urlParts{Protocol: "https", Host: "example.com", Path: []string{"double", "slash"}}},
		{"https://example.com/v1/things:batchGet", urlParts{Protocol: "https", Host: "example.com", Path: []string{"v1", "things:batchGet"}}},
	}
	for _, tc := range cases {
		got, err := parseRawURL(tc.raw)
		if err != nil {
			t.Errorf("parseRawURL(%q): %v", tc.raw, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseRawURL(%q)\n got %+v\nwant %+v", tc.raw, got, tc.want)
		}
	}
	for _, bad := range []string{"", "   ", "https://example.com/a\nb", "?only=query"} {
		var u *errUnparsable
		if _, err := parseRawURL(bad); !errors.As(err, &u) {
			t.Errorf("parseRawURL(%q) error = %v, want unparsable", bad, err)
		}
	}
}

func TestParseURLObject(t *testing.T) {
	obj := map[string]any{
		"raw":      "https://api.example.com:8443/v1/users/:id?ignored=1",
		"protocol": "https",
		"host":     []any{"api", "example", "com"},
		"port":     "8443",
		"path":     []any{"v1", "users", map[string]any{"type": "string", "value": ":id"}},
		"query":    []any{map[string]any{"key": "expand", "value": "roles", "disabled": true, "description": "Related data"}},
		"variable": []any{map[string]any{"key": "id", "value": "17", "description": "User id"}},
	}
	got, err := parseURLValue(obj, "/u")
	if err != nil {
		t.Fatal(err)
	}
	want := urlParts{
		Protocol: "https", Host: "api.example.com:8443", Path: []string{"v1", "users", ":id"},
		Query: []queryParam{{Key: "expand", Value: "roles", HasValue: true, Disabled: true, Description: "Related data"}},
		Vars:  []urlVariable{{Key: "id", Value: "17", Description: "User id"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}

	// Only raw: parsed like a string URL, query included.
	got, err = parseURLValue(map[string]any{"raw": "{{baseUrl}}/a?b=c"}, "/u")
	if err != nil {
		t.Fatal(err)
	}
	if got.Host != "{{baseUrl}}" || len(got.Query) != 1 || got.Path[0] != "a" {
		t.Errorf("raw-only object = %+v", got)
	}

	// Path given as one string; query falls back to raw.
	got, err = parseURLValue(map[string]any{"raw": "/x/y?q=1", "path": "/x/y"}, "/u")
	if err != nil || !reflect.DeepEqual(got.Path, []string{"x", "y"}) || len(got.Query) != 1 {
		t.Errorf("string path = %+v, %v", got, err)
	}

	var se *ShapeError
	if _, err := parseURLValue(map[string]any{"host": 5}, "/u"); !errors.As(err, &se) || se.Pointer != "/u/host" {
		t.Errorf("bad host: %v", err)
	}
	if _, err := parseURLValue(map[string]any{"path": []any{[]any{}}}, "/u"); !errors.As(err, &se) || se.Pointer != "/u/path/0" {
		t.Errorf("bad path: %v", err)
	}
	var u *errUnparsable
	if _, err := parseURLValue(map[string]any{}, "/u"); !errors.As(err, &u) {
		t.Errorf("empty object: %v", err)
	}
}

func TestTemplatePath(t *testing.T) {
	cases := []struct {
		segs   []string
		want   string
		params []pathParam
	}{
		{nil, "/", nil},
		{[]string{"users", ":id"}, "/users/{id}", []pathParam{{Name: "id", Raw: "id", Colon: true}}},
		{[]string{"users", "{{userId}}", "posts"}, "/users/{userId}/posts", []pathParam{{Name: "userId", Raw: "userId"}}},
		{[]string{"files", "report.{{ext}}"}, "/files/report.{ext}", []pathParam{{Name: "ext", Raw: "ext"}}},
		{[]string{"items", "{id}"}, "/items/{id}", []pathParam{{Name: "id", Raw: "id"}}},
		{[]string{"a", ":id", "b", ":id"}, "/a/{id}/b/{id_2}", []pathParam{{Name: "id", Raw: "id", Colon: true}, {Name: "id_2", Raw: "id", Colon: true}}},
		{[]string{"x", "{{$guid}}"}, "/x/{guid}", []pathParam{{Name: "guid", Raw: "$guid"}}},
		{[]string{"x", ":user id"}, "/x/{user_id}", []pathParam{{Name: "user_id", Raw: "user id", Colon: true}}},
		{[]string{"x", "{{}}"}, "/x/{param}", []pathParam{{Name: "param", Raw: ""}}},
		{[]string{"v1", "things:batchGet"}, "/v1/things:batchGet", nil},
		{[]string{":"}, "/:", nil},
	}
	for _, tc := range cases {
		got, params, err := templatePath(tc.segs)
		if err != nil {
			t.Errorf("templatePath(%q): %v", tc.segs, err)
			continue
		}
		if got != tc.want || !reflect.DeepEqual(params, tc.params) {
			t.Errorf("templatePath(%q) = %q %+v, want %q %+v", tc.segs, got, params, tc.want, tc.params)
		}
	}
	for _, bad := range [][]string{{"{{id"}, {"a}"}, {"{a{b}}"}, {":{x}"}} {
		if _, _, err := templatePath(bad); err == nil {
			t.Errorf("templatePath(%q) should fail", bad)
		}
	}
}

func TestServerTemplate(t *testing.T) {
	cases := []struct {
		protocol, host, want string
		vars                 []string
	}{
		{"https", "api.example.com", "https://api.example.com", nil},
		{"", "{{baseUrl}}", "{baseUrl}", []string{"baseUrl"}},
		{"{{scheme}}", "{{host}}:{{port}}", "{scheme}://{host}:{port}", []string{"scheme", "host", "port"}},
		{"http", "{{env}}.example.com:{{env}}", "http://{env}.example.com:{env}", []string{"env"}},
	}
	for _, tc := range cases {
		got, vars, err := serverTemplate(tc.protocol, tc.host)
		if err != nil {
			t.Errorf("serverTemplate(%q, %q): %v", tc.protocol, tc.host, err)
			continue
		}
		var names []string
		for _, v := range vars {
			names = append(names, v.Var)
		}
		if got != tc.want || !reflect.DeepEqual(names, tc.vars) {
			t.Errorf("serverTemplate(%q, %q) = %q %v, want %q %v", tc.protocol, tc.host, got, names, tc.want, tc.vars)
		}
	}
}

func TestNormalizePath(t *testing.T) {
	if a, b := normalizePath("/users/{id}/x.{ext}"), normalizePath("/users/{userId}/x.{format}"); a != b || a != "/users/{}/x.{}" {
		t.Errorf("normalizePath: %q vs %q", a, b)
	}
}
