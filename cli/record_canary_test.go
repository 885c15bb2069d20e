package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecordCanarySecrets plants a distinct canary secret in every place a
// credential can travel — request headers, cookies, query, URL userinfo,
// JSON and form bodies in both directions, Set-Cookie, Location, a
// connector-declared key, a rules-file header and pattern, the connection
// parameter itself echoed back by the API — records through the real CLI,
// exports HAR and JSON, and then byte-searches the database, its -wal
// (copied while the proxy was still running), the exports and the logs.
func TestRecordCanarySecrets(t *testing.T) {
	canaries := map[string]string{}
	mk := func(where string) string {
		v := fmt.Sprintf("CNRY%02dx%s", len(canaries), strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' {
				return r
			}
			return 'q'
		}, strings.ToLower(where)))
		canaries[v] = where
		return v
	}
	param := mk("connection parameter api_key")
	t.Setenv("CONNECTORLAB_PARAM_API_KEY", param)
	var (
		cAuthz     = mk("authorization header")
		cCookie    = mk("cookie")
		cAPIKeyHdr = mk("x api key header sent by client")
		cOcp       = mk("ocp apim subscription key")
		cTenant    = mk("rules file header")
		cQuery     = mk("query api key")
		cToken     = mk("query access token")
		cSig       = mk("query sig")
		cCode      = mk("query code")
		cUser      = mk("userinfo user")
		cPass      = mk("userinfo password")
		cPwd       = mk("json password")
		cSecret    = mk("json client secret")
		cRefresh   = mk("json nested refresh token")
		cFormPwd   = mk("form password")
		cSetCookie = mk("set cookie")
		cAccess    = mk("response access token")
		cIDToken   = mk("response id token")
		cLocation  = mk("location code")
		cPattern   = "cnry_" + strings.ToLower(mk("pattern in text body"))
	)
	canaries[cPattern] = "pattern in text body"

	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Add("Set-Cookie", "session="+cSetCookie+"; Path=/; HttpOnly")
		w.Header().Set("Location", "/done?code="+cLocation+"&state=ok")
		switch r.URL.Path {
		case "/v1/customers":
			w.Header().Set("Content-Type", "text/plain")
			// The API echoes the key it received and a vendor token format.
			fmt.Fprintf(w, "you sent key %s and token %s", r.Header.Get("X-API-Key"), cPattern)
		default:
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","id_token":%q,"user":{"name":"ok"}}`, cAccess, cIDToken)
		}
	}))
	defer up.Close()

	dir := t.TempDir()
	conn := filepath.Join(dir, "contoso")
	copyDir(t, "../examples/contoso-orders", conn)
	os.WriteFile(filepath.Join(conn, "connectorlab.redact.json"),
		[]byte(`{"schemaVersion":1,"headers":["X-Tenant-Secret"],"patterns":["cnry_[a-z0-9]+"]}`), 0o644)
	db := filepath.Join(dir, "rec.db")
	base, out, errb, stop := startRecord(t, conn, "--upstream", up.URL+"/v1", "--db", db, "--port", "0", "--session", "canary", "-v")

	send := func(method, path, ct, body string, h map[string]string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s %s: %d", method, path, resp.StatusCode)
		}
	}
	send("POST", "/orders?api_key="+cQuery+"&access_token="+cToken+"&sig="+cSig+"&code="+cCode+"&page=2", "application/json",
		fmt.Sprintf(`{"customer":"c1","password":%q,"auth":{"client_secret":%q,"tokens":[{"refresh_token":%q}]}}`, cPwd, cSecret, cRefresh),
		map[string]string{"Authorization": "Bearer " + cAuthz, "Cookie": "sid=" + cCookie + "; theme=dark", "X-API-Key": cAPIKeyHdr,
			"Ocp-Apim-Subscription-Key": cOcp, "X-Tenant-Secret": cTenant})
	send("POST", "/orders", "application/x-www-form-urlencoded", "user=bob&password="+url.QueryEscape(cFormPwd), nil)
	send("GET", "/customers", "", "", nil)
	// URL userinfo in an absolute-form request target, sent raw.
	u, _ := url.Parse(base)
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, "GET http://%s:%s@%s/orders/o-1 HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", cUser, cPass, u.Host, u.Host)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("userinfo request: %v %v", resp, err)
	}
	c.Close()

	// Copy the live database and WAL before the proxy checkpoints on exit.
	live := map[string][]byte{}
	for _, f := range []string{db, db + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("read %s while recording: %v", f, err)
		}
		live[filepath.Base(f)+" (live)"] = b
	}
	if len(live["rec.db-wal (live)"]) == 0 {
		t.Fatal("the WAL is empty while recording: nothing to search")
	}
	if code := stop(); code != 0 {
		t.Fatalf("record exit %d: %s", code, errb)
	}
	files := map[string][]byte{"record stdout": []byte(out.String()), "record stderr": []byte(errb.String())}
	for k, v := range live {
		files[k] = v
	}
	for _, f := range []string{db, db + "-wal"} {
		files[filepath.Base(f)], _ = os.ReadFile(f)
	}
	for _, format := range []string{"har", "json"} {
		code, o, e := runCLI(t, "recordings", "export", "canary", "--db", db, "--format", format)
		if code != 0 {
			t.Fatalf("export %s: %d %s", format, code, e)
		}
		files["export."+format] = []byte(o)
	}
	_, showOut, _ := runCLI(t, "recordings", "show", "canary", "--db", db)
	files["show"] = []byte(showOut)
	for i := 1; i <= 4; i++ {
		_, o, _ := runCLI(t, "recordings", "show", "--exchange", fmt.Sprint(i), "--db", db)
		files[fmt.Sprintf("show --exchange %d", i)] = []byte(o)
	}

	found := 0
	for name, b := range files {
		for secret, where := range canaries {
			if bytes.Contains(b, []byte(secret)) || bytes.Contains(bytes.ToLower(b), []byte(strings.ToLower(secret))) {
				t.Errorf("canary from %s found in %s", where, name)
				found++
			}
		}
	}
	t.Logf("canary search: %d secrets × %d artefacts (db, -wal live and closed, HAR, JSON, show output, logs): %d found", len(canaries), len(files), found)
	// The redaction must not have eaten the ordinary data: names stay,
	// ordinary values stay.
	for _, keep := range []string{"theme=REDACTED-", "page=2", `\"token_type\":\"Bearer\"`, `\"customer\":\"c1\"`, "user=bob"} {
		if !strings.Contains(string(files["export.har"]), keep) {
			t.Errorf("HAR export lacks %s", keep)
		}
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	os.MkdirAll(to, 0o755)
	ents, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		b, _ := os.ReadFile(filepath.Join(from, e.Name()))
		os.WriteFile(filepath.Join(to, e.Name()), b, 0o644)
	}
}
