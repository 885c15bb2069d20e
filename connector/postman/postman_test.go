package postman

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

func validate(t testing.TB, doc *openapi3.T) {
	t.Helper()
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		t.Fatalf("converted document does not validate: %v", err)
	}
}

func marshalDoc(t testing.TB, doc *openapi3.T) []byte {
	t.Helper()
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return append(out, '\n')
}

func warningIDs(ws []Warning) []string {
	ids := make([]string, len(ws))
	for i, w := range ws {
		ids[i] = w.ID + " " + w.Pointer
	}
	return ids
}

func TestConvertGolden(t *testing.T) {
	cases := []struct {
		file     string
		warnings []string // "ID pointer", in order
	}{
		{file: "petstore_v21", warnings: nil},
		{file: "legacy_v20", warnings: nil},
		{file: "odd", warnings: []string{
			"postman-auth-unsupported /item/1/item/0/request/auth/type",
			"postman-example-not-json /item/1/item/1/response/0/body",
			"postman-duplicate-operation /item/2/item/1",
			"postman-duplicate-operation-id /item/2/item/2/name",
			"postman-method-unsupported /item/2/item/3/request/method",
			"postman-unparsable-url /item/2/item/4/request/url",
			"postman-path-param-renamed /item/2/item/5/request/url",
			"postman-body-unsupported /item/2/item/5/request/body/mode",
			"postman-response-no-code /item/2/item/5/response/0/code",
			"postman-item-empty /item/2/item/6",
			"postman-duplicate-operation /item/0/item/1",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join("testdata", tc.file+".postman_collection.json"))
			if err != nil {
				t.Fatal(err)
			}
			if !Detect(in) {
				t.Errorf("Detect = false for %s", tc.file)
			}
			doc, warnings, err := Convert(in)
			if err != nil {
				t.Fatalf("Convert: %v", err)
			}
			validate(t, doc)
			got := warningIDs(warnings)
			if !sameSet(got, tc.warnings) {
				t.Errorf("warnings:\n got %q\nwant %q", got, tc.warnings)
				for _, w := range warnings {
					t.Log(w)
				}
			}
			out := marshalDoc(t, doc)
			golden := filepath.Join("testdata", tc.file+".golden.json")
			if *update {
				if err := os.WriteFile(golden, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(out, want) {
				t.Errorf("output differs from %s (run go test -update to refresh it)\n%s", golden, firstDiff(string(want), string(out)))
			}
			// The golden output loads back as an equivalent valid document.
			back, err := openapi3.NewLoader().LoadFromData(out)
			if err != nil {
				t.Fatalf("reload: %v", err)
			}
			validate(t, back)
		})
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\nwant: " + w + "\n got: " + g
		}
	}
	return ""
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// convertOK converts a collection given as JSON text and validates the result.
func convertOK(t *testing.T, src string) (*openapi3.T, []Warning) {
	t.Helper()
	doc, ws, err := Convert([]byte(src))
	if err != nil {
		t.Fatalf("Convert: %v", err)
	}
	validate(t, doc)
	return doc, ws
}

func collection(items string) string {
	return `{"info":{"name":"t","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},"item":` + items + `}`
}

func TestPetstoreDetails(t *testing.T) {
	in, err := os.ReadFile("testdata/petstore_v21.postman_collection.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, _, err := Convert(in)
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Servers[0].URL; got != "{baseUrl}" {
		t.Errorf("server URL = %q", got)
	}
	if got := doc.Servers[0].Variables["baseUrl"].Default; got != "https://petstore.example.com/api/v2" {
		t.Errorf("baseUrl default = %q", got)
	}
	ss := doc.Components.SecuritySchemes["apiKeyAuth"].Value
	if ss.Type != "apiKey" || ss.In != "header" || ss.Name != "X-Api-Key" {
		t.Errorf("apiKey scheme = %+v", ss)
	}
	if len(doc.Security) != 1 || doc.Security[0]["apiKeyAuth"] == nil {
		t.Errorf("doc security = %v", doc.Security)
	}

	list := doc.Paths.Find("/pets").Get
	if list.OperationID != "listPets" || list.Tags[0] != "Pets" {
		t.Errorf("list op = %s %v", list.OperationID, list.Tags)
	}
	limit := list.Parameters.GetByInAndName("query", "limit")
	if limit == nil || !limit.Required || limit.Example != "20" {
		t.Errorf("limit = %+v", limit)
	}
	if tag := list.Parameters.GetByInAndName("query", "tag"); tag == nil || tag.Required {
		t.Errorf("disabled query tag = %+v", tag)
	}
	if list.Parameters.GetByInAndName("header", "Accept") != nil {
		t.Error("Accept header became a parameter")
	}
	rid := list.Parameters.GetByInAndName("header", "X-Request-Id")
	if rid == nil || rid.Example != "{{$guid}}" {
		t.Errorf("X-Request-Id = %+v", rid)
	}
	items := list.Responses.Status(200).Value.Content["application/json"].Schema.Value.Properties["items"].Value.Items.Value
	if f := items.Properties["birthDate"].Value.Format; f != "date" {
		t.Errorf("birthDate format = %q", f)
	}
	chip := items.Properties["chipId"].Value
	if chip.Format != "uuid" || !chip.Nullable {
		t.Errorf("chipId = %+v", chip)
	}
	if w := items.Properties["weightKg"].Value; !w.Type.Is("number") {
		t.Errorf("weightKg type = %v", w.Type)
	}

	photo := doc.Paths.Find("/pets/{petId}/photos").Post
	if photo.Tags[0] != "Pets / Photos" {
		t.Errorf("nested tag = %v", photo.Tags)
	}
	pid := photo.Parameters.GetByInAndName("path", "petId")
	if pid == nil || pid.Description != "Identifier of a pet" || pid.Example != "42" {
		t.Errorf("petId from collection variable = %+v", pid)
	}
	file := photo.RequestBody.Value.Content["multipart/form-data"].Schema.Value.Properties["file"].Value
	if file.Format != "binary" {
		t.Errorf("file field = %+v", file)
	}

	get := doc.Paths.Find("/pets/{petId}").Get
	if p := get.Parameters.GetByInAndName("path", "petId"); p.Description != "Numeric identifier of the pet" {
		t.Errorf("petId from url.variable = %+v", p)
	}
	ok := get.Responses.Status(200).Value
	if *ok.Description != "Found" || len(ok.Content["application/json"].Examples) != 2 {
		t.Errorf("merged 200 = %s, %d examples", *ok.Description, len(ok.Content["application/json"].Examples))
	}
	if !ok.Content["application/json"].Schema.Value.Properties["tags"].Value.Nullable {
		t.Error("tags should be nullable after merging an example with null tags")
	}

	patch := doc.Paths.Find("/owners/{ownerId}").Patch
	if patch.Security == nil || (*patch.Security)[0]["bearerAuth"] == nil {
		t.Errorf("bearer override = %v", patch.Security)
	}
	if patch.Description != "Partially updates an owner. Requires an **admin** token." {
		t.Errorf("description = %q", patch.Description)
	}
	if patch.RequestBody.Value.Content["application/merge-patch+json"] == nil {
		t.Errorf("content type from header: %v", patch.RequestBody.Value.Content)
	}

	health := doc.Paths.Find("/health").Get
	if health.Security == nil || len(*health.Security) != 0 {
		t.Errorf("noauth request should have security [] but has %v", health.Security)
	}
	if r := health.Responses.Status(200); r == nil || *r.Value.Description != "OK" {
		t.Error("request without saved responses should get a 200 OK response")
	}
}

func TestLegacyDetails(t *testing.T) {
	in, err := os.ReadFile("testdata/legacy_v20.postman_collection.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, _, err := Convert(in)
	if err != nil {
		t.Fatal(err)
	}
	if ss := doc.Components.SecuritySchemes["basicAuth"].Value; ss.Type != "http" || ss.Scheme != "basic" {
		t.Errorf("basic scheme = %+v", ss)
	}
	if len(doc.Servers) != 2 {
		t.Fatalf("servers = %d", len(doc.Servers))
	}
	s := doc.Servers[0]
	if s.URL != "https://{host}:{port}" || s.Variables["port"].Default != "8443" {
		t.Errorf("server = %s %+v", s.URL, s.Variables["port"])
	}
	search := doc.Paths.Find("/helpdesk/api/tickets").Get
	page := search.Parameters.GetByInAndName("query", "page")
	if page == nil || !page.Schema.Value.Type.Is("array") {
		t.Errorf("repeated query key should be an array: %+v", page)
	}
	if search.Servers == nil || (*search.Servers)[0].URL != s.URL {
		t.Error("with several servers each operation names its own")
	}
	get := doc.Paths.Find("/helpdesk/api/tickets/{number}").Get
	if get.Parameters.GetByInAndName("header", "X-Client") == nil {
		t.Error("string header list not parsed")
	}
	if doc.Paths.Find("/helpdesk/api/ping").Get == nil {
		t.Error("string request not converted")
	}
	closeOp := doc.Paths.Find("/helpdesk/api/tickets/{number}/close").Post
	if closeOp.RequestBody.Value.Content["application/x-www-form-urlencoded"] == nil {
		t.Error("urlencoded body missing")
	}
	if closeOp.Responses.Status(200).Value.Content["application/xml"] == nil {
		t.Error("xml response missing")
	}
}

func TestOddDetails(t *testing.T) {
	in, err := os.ReadFile("testdata/odd.postman_collection.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, _, err := Convert(in)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Info.Version != "2.3.1-beta" {
		t.Errorf("version = %q", doc.Info.Version)
	}
	gql := doc.Paths.Find("/graphql").Post
	if gql.Security == nil || !slices.Equal((*gql.Security)[0]["oauth2"], []string{"graph.read", "graph.write"}) {
		t.Errorf("oauth2 requirement = %v", gql.Security)
	}
	flow := doc.Components.SecuritySchemes["oauth2"].Value.Flows.ClientCredentials
	if flow == nil || flow.TokenURL != "https://login.example.org/oauth2/token" {
		t.Errorf("client credentials flow = %+v", flow)
	}
	media := gql.RequestBody.Value.Content["application/json"]
	if len(media.Examples) != 2 || media.Example != nil {
		t.Errorf("merged graphql examples = %v / %v", media.Examples, media.Example)
	}
	order := doc.Paths.Find("/orders").Post
	body := order.RequestBody.Value.Content["application/json"].Schema.Value
	if q := body.Properties["quantity"].Value; !q.Type.Is("integer") {
		t.Errorf("bare {{quantity}} should take the variable's number type, got %v", q.Type)
	}
	if g := body.Properties["gift"].Value; !g.Type.Is("string") {
		t.Errorf("unknown bare variable should be a string, got %v", g.Type)
	}
	if body.Properties["note"] == nil {
		t.Error("merged body schema lacks the second request's property")
	}
	if dry := order.Parameters.GetByInAndName("query", "dryRun"); dry == nil || dry.Required {
		t.Errorf("query param present in only one merged request must be optional: %+v", dry)
	}
	if order.Responses.Status(202) == nil || order.Responses.Status(200) != nil {
		t.Error("synthetic 200 should give way to the merged request's saved responses")
	}
	if op := doc.Paths.Find("/orders/{orderId}"); op.Put.OperationID != "createOrder_2" || op.Post == nil {
		t.Errorf("renamed path / operationId: %+v", op)
	}
	if p := doc.Paths.Find("/orders/{orderId}").Post.Parameters.GetByInAndName("path", "orderId"); p == nil {
		t.Error("renamed path parameter missing")
	}
	up := doc.Paths.Find("/buckets/{bucket}/objects").Put
	files := up.RequestBody.Value.Content["multipart/form-data"].Schema.Value.Properties["files"].Value
	if !files.Type.Is("array") || files.Items.Value.Format != "binary" {
		t.Errorf("multi-file field = %+v", files)
	}
	if up.Security != nil {
		t.Errorf("unsupported auth without collection auth should leave security unset: %v", up.Security)
	}
	raw := doc.Paths.Find("/buckets/{name}/objects/{key}").Put
	if raw.RequestBody.Value.Content["application/pdf"] == nil {
		t.Error("file body should use the declared content type")
	}
	notJSON := raw.Responses.Status(200).Value.Content["application/json"]
	if notJSON.Schema != nil || notJSON.Examples["Stored"].Value.Value != `{"etag": "abc", stored: true}` {
		t.Errorf("non-JSON example = %+v", notJSON)
	}
	if doc.Paths.Find("/orders/{orderId}").Post.Responses.Default() == nil {
		t.Error("response without code should be the default response")
	}
}

func TestDetect(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want bool
	}{
		{"v2.1", `{"info":{"schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},"item":[]}`, true},
		{"v2.0", `{"info":{"schema":"https://schema.getpostman.com/json/collection/v2.0.0/collection.json"}}`, true},
		{"postman.com host", `{"info":{"schema":"https://schema.postman.com/json/collection/v2.1.0/collection.json"},"item":[]}`, true},
		{"id and items", `{"info":{"_postman_id":"x","name":"n"},"item":[]}`, true},
		{"id without items", `{"info":{"_postman_id":"x"}}`, false},
		{"v1", `{"info":{"schema":"https://schema.getpostman.com/json/collection/v1.0.0/collection.json"},"item":[]}`, false},
		{"openapi", `{"openapi":"3.0.0","info":{"title":"x","version":"1"},"paths":{}}`, false},
		{"swagger", `{"swagger":"2.0","info":{"title":"x"}}`, false},
		{"trailing data", `{"info":{"_postman_id":"x"},"item":[]} {}`, false},
		{"not json", `info: {}`, false},
		{"array", `[]`, false},
		{"empty", ``, false},
	}
	for _, tc := range cases {
		if got := Detect([]byte(tc.in)); got != tc.want {
			t.Errorf("%s: Detect = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestConvertErrors(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		pointer string // "" for a non-shape error
		shape   bool
	}{
		{"invalid json", `{"info":`, "", false},
		{"root array", `[]`, "", true},
		{"no info", `{"item":[]}`, "/info", true},
		{"info not object", `{"info":3,"item":[]}`, "/info", true},
		{"v1 schema", `{"info":{"schema":"https://schema.getpostman.com/json/collection/v1.0.0/collection.json"},"item":[]}`, "/info/schema", true},
		{"no item", `{"info":{"name":"x"}}`, "/item", true},
		{"item not array", `{"info":{"name":"x"},"item":{}}`, "/item", true},
		{"item element", `{"info":{"name":"x"},"item":[1]}`, "/item/0", true},
		{"request number", collection(`[{"name":"a","request":5}]`), "/item/0/request", true},
		{"url number", collection(`[{"name":"a","request":{"url":5}}]`), "/item/0/request/url", true},
		{"query not array", collection(`[{"name":"a","request":{"url":{"raw":"/x","path":["x"],"query":{}}}}]`), "/item/0/request/url/query", true},
		{"header number", collection(`[{"name":"a","request":{"url":"/x","header":7}}]`), "/item/0/request/header", true},
		{"response not array", collection(`[{"name":"a","request":{"url":"/x"},"response":{}}]`), "/item/0/response", true},
		{"nested folder", collection(`[{"name":"f","item":[{"name":"g","item":[{"request":{"url":"/x","method":[]}}]}]}]`), "/item/0/item/0/item/0/request/method", true},
		{"escaped key", collection(`[{"name":"a","request":{"url":"/x","auth":{"type":"a/b","a/b":5}}}]`), "/item/0/request/auth/a~1b", true},
		{"description", collection(`[{"name":"a","request":{"url":"/x","description":[1]}}]`), "/item/0/request/description", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, _, err := Convert([]byte(tc.in))
			if err == nil {
				t.Fatalf("no error; doc = %v", doc)
			}
			var se *ShapeError
			if errors.As(err, &se) != tc.shape {
				t.Fatalf("error %v: ShapeError = %v, want %v", err, !tc.shape, tc.shape)
			}
			if tc.shape && se.Pointer != tc.pointer {
				t.Errorf("pointer = %q, want %q (%v)", se.Pointer, tc.pointer, err)
			}
		})
	}
}

func TestConvertSmallCases(t *testing.T) {
	t.Run("empty collection", func(t *testing.T) {
		doc, ws := convertOK(t, collection(`[]`))
		if doc.Paths.Len() != 0 || len(ws) != 0 {
			t.Errorf("paths=%d warnings=%v", doc.Paths.Len(), ws)
		}
	})
	t.Run("path only url", func(t *testing.T) {
		doc, _ := convertOK(t, collection(`[{"name":"Root","request":{"url":"/"}}]`))
		if doc.Paths.Find("/").Get == nil || len(doc.Servers) != 0 {
			t.Errorf("paths = %v servers = %v", doc.Paths.Keys(), doc.Servers)
		}
	})
	t.Run("undefined server variable", func(t *testing.T) {
		doc, ws := convertOK(t, collection(`[{"name":"a","request":{"url":"{{baseUrl}}/a"}}]`))
		if doc.Servers[0].Variables["baseUrl"].Default != "http://localhost" {
			t.Errorf("default = %q", doc.Servers[0].Variables["baseUrl"].Default)
		}
		if len(ws) != 1 || ws[0].ID != "postman-undefined-variable" {
			t.Errorf("warnings = %v", ws)
		}
	})
	t.Run("scheme-less host", func(t *testing.T) {
		doc, _ := convertOK(t, collection(`[{"name":"a","request":{"url":"localhost:3000/a/b"}}]`))
		if doc.Servers[0].URL != "http://localhost:3000" || doc.Paths.Find("/a/b") == nil {
			t.Errorf("server = %s paths = %v", doc.Servers[0].URL, doc.Paths.Keys())
		}
	})
	t.Run("repeated path variable", func(t *testing.T) {
		doc, _ := convertOK(t, collection(`[{"name":"a","request":{"url":"/a/:id/b/{{id}}"}}]`))
		if doc.Paths.Find("/a/{id}/b/{id_2}") == nil {
			t.Errorf("paths = %v", doc.Paths.Keys())
		}
	})
	t.Run("apikey in query", func(t *testing.T) {
		doc, _ := convertOK(t, collection(`[{"name":"a","request":{"url":"/a?api_key={{k}}&q=1","auth":{"type":"apikey","apikey":[{"key":"key","value":"api_key"},{"key":"in","value":"query"}]}}}]`))
		op := doc.Paths.Find("/a").Get
		if op.Parameters.GetByInAndName("query", "api_key") != nil || op.Parameters.GetByInAndName("query", "q") == nil {
			t.Errorf("params = %v", op.Parameters)
		}
		if ss := doc.Components.SecuritySchemes["apiKeyAuth"].Value; ss.In != "query" {
			t.Errorf("scheme = %+v", ss)
		}
	})
	t.Run("authorization header", func(t *testing.T) {
		doc, _ := convertOK(t, collection(`[{"name":"a","request":{"url":"/a","header":[{"key":"Authorization","value":"Bearer {{token}}"}]}}]`))
		op := doc.Paths.Find("/a").Get
		if op.Security == nil || (*op.Security)[0]["bearerAuth"] == nil {
			t.Errorf("security = %v", op.Security)
		}
	})
	t.Run("oauth2 without urls", func(t *testing.T) {
		_, ws := convertOK(t, `{"info":{"name":"t"},"auth":{"type":"oauth2","oauth2":{"scope":"a"}},"item":[{"name":"a","request":{"url":"/a"}}]}`)
		if len(ws) != 2 || ws[0].ID != "postman-auth-incomplete" {
			t.Errorf("warnings = %v", ws)
		}
	})
	t.Run("operation ids", func(t *testing.T) {
		doc, ws := convertOK(t, collection(`[{"name":"Get  user (v2)","request":{"url":"/u"}},{"name":"get user v2","request":{"url":"/u2"}},{"name":"!!","request":{"url":"/x/:id"}},{"name":"2fa","request":{"url":"/y"}}]`))
		ids := []string{doc.Paths.Find("/u").Get.OperationID, doc.Paths.Find("/u2").Get.OperationID, doc.Paths.Find("/x/{id}").Get.OperationID, doc.Paths.Find("/y").Get.OperationID}
		if !slices.Equal(ids, []string{"getUserV2", "getUserV2_2", "getXId", "op2fa"}) {
			t.Errorf("ids = %v", ids)
		}
		if len(ws) != 1 || ws[0].ID != "postman-duplicate-operation-id" || ws[0].Pointer != "/item/1/name" {
			t.Errorf("warnings = %v", ws)
		}
	})
	t.Run("nulls everywhere", func(t *testing.T) {
		convertOK(t, collection(`[{"name":null,"request":{"url":{"raw":"/a","host":null,"path":null,"query":null,"variable":null},"header":null,"body":null,"auth":null,"description":null},"response":[null,{"code":null,"body":null,"header":null}]}]`))
	})
}

func TestIdentifier(t *testing.T) {
	cases := map[string]string{
		"List pets":           "listPets",
		"Get pet by ID":       "getPetByID",
		"create-order":        "createOrder",
		"HTTP":                "http",
		"  ":                  "",
		"Ünïcode naïve":       "unicodeNaive",
		"Créer une commande":  "creerUneCommande",
		"注文を作成":               "",
		"404 handler":         "op404Handler",
		"snake_case_name":     "snakeCaseName",
		"Already camelCased":  "alreadyCamelCased",
		"get /users/{userId}": "getUsersUserId",
	}
	for in, want := range cases {
		if got := identifier(in); got != want {
			t.Errorf("identifier(%q) = %q, want %q", in, got, want)
		}
	}
}
