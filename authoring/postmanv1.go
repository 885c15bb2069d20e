package authoring

import (
	"encoding/json"
	"fmt"
	"strings"
)

// IsPostmanV1 reports whether root looks like a Postman collection v1: a
// top-level "requests" array and no v2 "item" array.
func IsPostmanV1(root map[string]any) bool {
	_, reqs := root["requests"].([]any)
	_, items := root["item"].([]any)
	return reqs && !items
}

// UpgradePostmanV1 rewrites a Postman collection v1 as v2.1 (folders
// become item groups, saved responses become examples, header strings
// become header lists), so the v2 converter can read it.
func UpgradePostmanV1(root map[string]any) ([]byte, error) {
	reqs, _ := root["requests"].([]any)
	byID := map[string]map[string]any{}
	var order []string
	for i, r := range reqs {
		m := asMap(r)
		if m == nil {
			return nil, fmt.Errorf("postman v1: /requests/%d is not an object", i)
		}
		id, _ := m["id"].(string)
		if id == "" {
			id = fmt.Sprintf("#%d", i)
		}
		byID[id] = m
		order = append(order, id)
	}
	used := map[string]bool{}
	var items []any
	for _, f := range asSlice(root["folders"]) {
		fm := asMap(f)
		if fm == nil {
			continue
		}
		var kids []any
		for _, id := range asSlice(fm["order"]) {
			s, _ := id.(string)
			if r := byID[s]; r != nil && !used[s] {
				used[s] = true
				kids = append(kids, v1Request(r))
			}
		}
		items = append(items, map[string]any{"name": fm["name"], "description": fm["description"], "item": nonNil(kids)})
	}
	for _, id := range order {
		if !used[id] {
			items = append(items, v1Request(byID[id]))
		}
	}
	out := map[string]any{
		"info": map[string]any{"name": root["name"], "description": root["description"],
			"schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
		"item": nonNil(items),
	}
	if a := v1Auth(root); a != nil {
		out["auth"] = a
	}
	return json.Marshal(out)
}

func nonNil(s []any) []any {
	if s == nil {
		return []any{}
	}
	return s
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

func v1Headers(r map[string]any) []any {
	var out []any
	if hd := asSlice(r["headerData"]); len(hd) > 0 {
		for _, h := range hd {
			if m := asMap(h); m != nil {
				out = append(out, map[string]any{"key": m["key"], "value": m["value"]})
			}
		}
		return out
	}
	if s, _ := r["headers"].(string); s != "" {
		for _, line := range strings.Split(s, "\n") {
			k, v, ok := strings.Cut(line, ":")
			if ok && strings.TrimSpace(k) != "" {
				out = append(out, map[string]any{"key": strings.TrimSpace(k), "value": strings.TrimSpace(v)})
			}
		}
	}
	return out
}

func v1Request(r map[string]any) map[string]any {
	req := map[string]any{"method": strings.ToUpper(fmt.Sprint(orDefault(r["method"], "GET"))), "url": r["url"],
		"header": nonNil(v1Headers(r))}
	if d, ok := r["description"].(string); ok {
		req["description"] = d
	}
	mode, _ := r["dataMode"].(string)
	switch mode {
	case "raw":
		if raw, _ := r["rawModeData"].(string); raw != "" {
			req["body"] = map[string]any{"mode": "raw", "raw": raw}
		}
	case "urlencoded", "params":
		var kv []any
		for _, d := range asSlice(r["data"]) {
			if m := asMap(d); m != nil {
				kv = append(kv, map[string]any{"key": m["key"], "value": m["value"], "type": "text"})
			}
		}
		key := "urlencoded"
		if mode == "params" {
			key = "formdata"
		}
		req["body"] = map[string]any{"mode": key, key: nonNil(kv)}
	}
	if a := v1Auth(r); a != nil {
		req["auth"] = a
	}
	var resps []any
	for _, x := range asSlice(r["responses"]) {
		m := asMap(x)
		if m == nil {
			continue
		}
		code := 200
		if rc := asMap(m["responseCode"]); rc != nil {
			if c, ok := rc["code"].(float64); ok {
				code = int(c)
			}
		}
		var hs []any
		for _, h := range asSlice(m["headers"]) {
			if hm := asMap(h); hm != nil {
				hs = append(hs, map[string]any{"key": hm["key"], "value": hm["value"]})
			}
		}
		resps = append(resps, map[string]any{"name": orDefault(m["name"], "Example"), "code": code, "header": nonNil(hs),
			"body": m["text"], "originalRequest": map[string]any{"method": req["method"], "url": r["url"], "header": req["header"]}})
	}
	return map[string]any{"name": orDefault(r["name"], r["url"]), "request": req, "response": nonNil(resps)}
}

func v1Auth(r map[string]any) map[string]any {
	switch r["currentHelper"] {
	case "basicAuth":
		return map[string]any{"type": "basic"}
	case "bearerAuth":
		return map[string]any{"type": "bearer"}
	}
	return nil
}

func orDefault(v, d any) any {
	if s, ok := v.(string); ok && s == "" || v == nil {
		return d
	}
	return v
}
