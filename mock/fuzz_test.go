package mock

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzServe drives random requests at the sample connector and a large
// corpus connector. No request may panic (the recover middleware would
// answer 500 internal-error) or hang.
func FuzzServe(f *testing.F) {
	var servers []*Server
	s, err := New(loadSample(f), Options{Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	servers = append(servers, s)
	if c, err := loadCorpus(f, "independent-publisher-connectors/HubSpot CRM V2"); err == nil {
		if s2, err := New(c, Options{Seed: 1, DisableAuth: true}); err == nil {
			servers = append(servers, s2)
		}
	}
	seeds := []struct{ method, path, ct, body string }{
		{"GET", "/v1/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6", "", ""},
		{"POST", "/v1/orders", "application/json", `{"customerId":"x","lines":[{"sku":"A","quantity":1,"unitPrice":1}]}`},
		{"PATCH", "/v1/orders/1", "application/json", `{"status":"shipped"}`},
		{"POST", "/v1/hooks", "application/x-www-form-urlencoded", "callbackUrl=http%3A%2F%2Fx"},
		{"POST", "/v1/orders", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--"},
		{"GET", "/v1/orders?top=-1&status=%ff", "", ""},
		{"POST", "/oauth2/token", "application/x-www-form-urlencoded", "grant_type=authorization_code&code=mock_e30.x"},
		{"GET", "/oauth2/authorize?redirect_uri=http://a/&client_id=c&response_type=token", "", ""},
		{"OPTIONS", "/v1/orders", "", ""},
		{"GET", "/crm/v3/objects/contacts/1", "", ""},
		{"POST", "/v1/orders", "application/json", strings.Repeat("[", 300)},
	}
	for _, sd := range seeds {
		f.Add(uint8(0), sd.method, sd.path, sd.ct, []byte(sd.body), "code=404")
		f.Add(uint8(1), sd.method, sd.path, sd.ct, []byte(sd.body), "")
	}
	f.Fuzz(func(t *testing.T, which uint8, method, path, ct string, body []byte, prefer string) {
		s := servers[int(which)%len(servers)]
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		req, err := http.NewRequest(method, "http://127.0.0.1"+path, bytes.NewReader(body))
		if err != nil {
			return // not a request net/http would deliver
		}
		if ct != "" {
			req.Header["Content-Type"] = []string{ct}
		}
		if prefer != "" {
			req.Header["Prefer"] = []string{prefer}
		}
		req.Header.Set("X-API-Key", "k")
		req.Header.Set("Origin", "http://app.example")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code == http.StatusInternalServerError && strings.Contains(rec.Body.String(), "internal-error") {
			t.Fatalf("%s %s (%s): internal error: %s", method, path, ct, rec.Body.String())
		}
	})
}
