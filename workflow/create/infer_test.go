package create_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/workflow/create"
)

const secretKey = "sk-test-51HzZ9qSECRETVALUE"

func exchange(method, url string, reqBody string, status int, respBody string) *recordings.Exchange {
	h := http.Header{"X-Api-Key": {secretKey}, "User-Agent": {"curl/8"}}
	if reqBody != "" {
		h.Set("Content-Type", "application/json")
	}
	return &recordings.Exchange{Source: recordings.SourceProxy, StartedAt: time.Unix(1700000000, 0),
		Request:  recordings.Request{Method: method, URL: url, Message: recordings.Message{Header: h, Body: []byte(reqBody)}},
		Response: recordings.Response{Status: status, Message: recordings.Message{Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(respBody)}}}
}

// traffic is a small API seen through a proxy: ids, uuids, a query with a
// few repeated values, a JSON body, a nullable field and a secret header.
func traffic() []*recordings.Exchange {
	var xs []*recordings.Exchange
	statuses := []string{"open", "closed", "open", "open", "closed", "open"}
	for i, st := range statuses {
		note := `"note": null`
		if i%2 == 0 {
			note = `"note": "ring twice"`
		}
		xs = append(xs,
			exchange("GET", fmt.Sprintf("https://api.contoso.com/v1/orders/%d", 100+i), "", 200,
				fmt.Sprintf(`{"id": %d, "status": %q, "created": "2024-05-0%dT10:00:00Z", "email": "a%d@contoso.com", %s, "token": "tok-%d"}`, 100+i, st, i+1, i, note, i)),
			exchange("GET", "https://api.contoso.com/v1/orders?status="+st+"&top=10", "", 200, `[{"id": 1}]`),
		)
	}
	xs = append(xs,
		exchange("POST", "https://api.contoso.com/v1/orders", `{"item": "book", "quantity": 2}`, 201, `{"id": 7}`),
		exchange("POST", "https://api.contoso.com/v1/orders", `{"item": "pen", "quantity": 1, "gift": true}`, 201, `{"id": 8}`),
		exchange("DELETE", "https://api.contoso.com/v1/customers/3f2504e0-4f89-11d3-9a0c-0305e82c3301/notes/12", "", 204, ""),
	)
	return xs
}

func writeHAR(t *testing.T, xs []*recordings.Exchange) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "traffic.har")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	hw := recordings.NewHARWriter(f, "test", "")
	for _, x := range xs {
		if err := hw.Add(x); err != nil {
			t.Fatal(err)
		}
	}
	if err := hw.End(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return file
}

// TestNewFromHAR: operations, templated paths, parameters, schemas and
// auth are learnt from traffic, and no secret value reaches the folder.
func TestNewFromHAR(t *testing.T) {
	t.Parallel()
	har := writeHAR(t, traffic())
	res, c, dir := newFolder(t, create.Request{From: har})
	if res.Source != "har" {
		t.Errorf("source %q", res.Source)
	}
	byRoute := map[string]*connector.Operation{}
	for _, o := range c.Operations {
		byRoute[o.Method+" "+o.Path] = o
	}
	for _, want := range []string{"GET /orders/{orderId}", "GET /orders", "POST /orders", "DELETE /customers/{customerId}/notes/{noteId}"} {
		if byRoute[want] == nil {
			t.Errorf("no operation %s; have %v", want, keys(byRoute))
		}
	}
	if c.BasePath != "/v1" || c.Host != "api.contoso.com" {
		t.Errorf("host %q base %q", c.Host, c.BasePath)
	}
	if c.Auth.Kind != connector.AuthAPIKey || c.Auth.Sets[0].APIKey == nil || c.Auth.Sets[0].APIKey.Name != "X-Api-Key" {
		t.Errorf("auth %+v, want the X-Api-Key header", c.Auth)
	}
	get := byRoute["GET /orders/{orderId}"]
	if get != nil {
		if p := get.Op.Parameters.GetByInAndName("path", "orderId"); p == nil || !p.Schema.Value.Type.Is("integer") {
			t.Errorf("orderId is not an integer path parameter")
		}
		s := get.Op.Responses.Value("200").Value.Content.Get("application/json").Schema.Value
		props := s.Properties
		if f := props["created"].Value.Format; f != "date-time" {
			t.Errorf("created format %q, want date-time", f)
		}
		if f := props["email"].Value.Format; f != "email" {
			t.Errorf("email format %q", f)
		}
		if e := props["status"].Value.Enum; len(e) != 2 {
			t.Errorf("status enum %v, want [closed open]", e)
		}
		if !props["note"].Value.Nullable {
			t.Error("note was null in traffic but is not nullable")
		}
		if !strings.Contains(strings.Join(s.Required, ","), "id") {
			t.Errorf("required %v lacks id", s.Required)
		}
	}
	list := byRoute["GET /orders"]
	if list != nil {
		if p := list.Op.Parameters.GetByInAndName("query", "status"); p == nil || !p.Required {
			t.Errorf("status query parameter missing or optional")
		}
		if p := list.Op.Parameters.GetByInAndName("query", "top"); p == nil || !p.Schema.Value.Type.Is("integer") {
			t.Errorf("top is not an integer query parameter")
		}
	}
	if post := byRoute["POST /orders"]; post != nil {
		body := post.Op.RequestBody.Value.Content.Get("application/json").Schema.Value
		if body.Properties["gift"] == nil || strings.Contains(strings.Join(body.Required, ","), "gift") {
			t.Errorf("gift should be an optional body property: %v required %v", body.Properties, body.Required)
		}
	}
	for _, name := range []string{authoring.DefinitionFile, authoring.PropertiesFile, authoring.ReadmeFile} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		if strings.Contains(string(b), secretKey) || strings.Contains(string(b), "tok-1") {
			t.Errorf("%s leaks a secret from the traffic", name)
		}
	}
	ids := findingIDs(res.Folder.Findings)
	if !ids[authoring.InferTemplated] || !ids[authoring.InferAuth] {
		t.Errorf("findings %v lack %s / %s", ids, authoring.InferTemplated, authoring.InferAuth)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestInferEmpty(t *testing.T) {
	t.Parallel()
	if _, err := create.Infer(nil, create.InferOptions{File: "x.har"}); err == nil {
		t.Fatal("no error for no exchanges")
	}
}

// TestMergeKeepsFormatting: --merge adds an operation and a response field
// the traffic shows to the contoso-orders example while every line it does
// not change stays byte for byte.
func TestMergeKeepsFormatting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{authoring.DefinitionFile, authoring.PropertiesFile} {
		b, err := os.ReadFile(filepath.Join("..", "..", "examples", "contoso-orders", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	def := filepath.Join(dir, authoring.DefinitionFile)
	before, _ := os.ReadFile(def)
	c, err := connector.Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var xs []*recordings.Exchange
	base := "https://" + c.Host + strings.TrimSuffix(c.BasePath, "/")
	xs = append(xs, exchange("GET", base+"/invoices/42", "", 200, `{"id": 42, "amount": 10.5}`))
	xs = append(xs, exchange("GET", base+"/invoices/43", "", 200, `{"id": 43, "amount": 11}`))
	res, err := create.Merge(context.Background(), create.MergeRequest{Definition: dir, Traffic: create.Request{From: writeHAR(t, xs)}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.Document), `"/invoices/{invoiceId}"`) {
		t.Fatalf("no new operation for /invoices in:\n%s\nchanges: %v", res.Document, res.Changes)
	}
	// Every original line is still there, in order.
	out := string(res.Document)
	pos := 0
	for _, line := range strings.Split(strings.TrimRight(string(before), "\n"), "\n") {
		if strings.TrimSpace(line) == "}" || strings.TrimSpace(line) == "}," {
			continue
		}
		i := strings.Index(out[pos:], line)
		if i < 0 {
			t.Fatalf("original line %q lost or moved", line)
		}
		pos += i + len(line)
	}
	if err := os.WriteFile(def, res.Document, 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := connector.Load(context.Background(), dir)
	if err != nil {
		t.Fatalf("merged definition does not load: %v", err)
	}
	if len(back.Operations) != len(c.Operations)+1 {
		t.Errorf("%d operations after merge, want %d", len(back.Operations), len(c.Operations)+1)
	}
}

// TestInferMergesVaryingSegments: value-like segments that vary become a
// parameter; plain words (which may be resources) stay apart.
func TestInferMergesVaryingSegments(t *testing.T) {
	t.Parallel()
	var xs []*recordings.Exchange
	for _, u := range []string{"/v1/orders", "/v1/users", "/v1/items", "/users/me", "/users/search", "/tickets/t1", "/tickets/t2", "/people/ann@contoso.com", "/people/bob@contoso.com"} {
		xs = append(xs, exchange("GET", "https://api.contoso.com"+u, "", 200, `{}`))
	}
	inf, err := create.Infer(xs, create.InferOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for p := range inf.Doc.Paths.Map() {
		paths = append(paths, p)
	}
	got := strings.Join(sortStrings(paths), " ")
	want := "/people/{personId} /tickets/{ticketId} /users/me /users/search /v1/items /v1/orders /v1/users"
	if got != want {
		t.Errorf("paths %s, want %s", got, want)
	}
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}
