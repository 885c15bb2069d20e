package cli

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
)

// canaries hands out distinct secrets and remembers where each was planted.
type canaries map[string]string

// mk plants a canary for where. Every few carry characters that URL, JSON
// and base64 spell differently, so each spelling is really searched for.
func (c canaries) mk(where string) string {
	v := fmt.Sprintf("Cnry%02dZ%s", len(c), strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r
		}
		return 'q'
	}, strings.ToLower(where)))
	if len(v) < 20 {
		v += strings.Repeat("k", 20-len(v))
	}
	if len(c)%4 == 3 {
		v += "/p+q=&<"
	}
	c[v] = where
	return v
}

// TestRecordCanarySecrets is the canary suite of issue 11: a distinct
// secret in every place a credential can travel — request headers by
// name and by structure, cookies, query keys (bracketed too), URL
// userinfo, JSON and form bodies both ways, JSON inside JSON strings, URLs
// inside JSON, Set-Cookie (every pair), Location query and fragment,
// Refresh and Link URLs, signatures, JWTs, compressed bodies (gzip,
// deflate, stacked, zstd), the connection parameter the proxy adds (API
// key and basic user:password) echoed raw and in base64, a rules-file
// header and pattern, and a HAR with secrets imported — then searches the
// database, its -wal and -shm (live and after exit), every export format,
// every show output and the logs for every spelling of every secret (raw,
// case-folded, URL-escaped, JSON-escaped, base64 at each alignment).
func TestRecordCanarySecrets(t *testing.T) {
	c := canaries{}
	param := c.mk("connection parameter api_key")
	t.Setenv("CONNECTORLAB_PARAM_API_KEY", param)
	basicUser, basicPass := c.mk("basic username securestring"), c.mk("basic password")
	t.Setenv("CONNECTORLAB_PARAM_USERNAME", basicUser)
	t.Setenv("CONNECTORLAB_PARAM_PASSWORD", basicPass)

	// Request headers: by name, by structure, cookies.
	reqHeaders := map[string]string{}
	for _, h := range []string{"X-API-Key", "Ocp-Apim-Subscription-Key", "X-Tenant-Secret", "Private-Token", "X-Api-Token",
		"Api-Token", "X-Auth-Key", "X-Vault-Token", "X-Amz-Security-Token", "X_Session_Id", "X-Csrf-Token", "X-Client-Secret"} {
		reqHeaders[h] = c.mk("header " + h)
	}
	reqHeaders["Authorization"] = "Bearer " + c.mk("authorization bearer")
	reqHeaders["Authentication"] = "Token " + c.mk("authentication header")
	reqHeaders["X-Authorization"] = c.mk("x authorization header")
	reqHeaders["Cookie"] = "sid=" + c.mk("cookie sid") + "; theme=dark; csrftoken=" + c.mk("cookie csrftoken")
	jwt := func(where string) string {
		return "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"`+c.mk(where)+`"}`)) + ".c2ln"
	}
	reqHeaders["X-Forwarded-Claims"] = jwt("jwt in an ordinary request header")

	// Query.
	q := url.Values{}
	for _, k := range []string{"api_key", "access_token", "sig", "code", "auth[token]", "x-api-key", "client_secret", "SessionToken"} {
		q.Set(k, c.mk("query "+k))
	}
	q.Set("redirect_uri", "https://app.example/cb?token="+c.mk("token in a URL in a query value"))
	q.Set("page", "2")

	// Request bodies.
	jsonBody := fmt.Sprintf(`{"customer":"c1","password":%q,"auth":{"client_secret":%q,"tokens":[{"refresh_token":%q}]},"vaultToken":%q,"payload":%q,"credentials":{"pin":%q}}`,
		c.mk("json password"), c.mk("json nested client secret"), c.mk("json nested refresh token"), c.mk("json structural vaulttoken"),
		fmt.Sprintf(`{"apiKey":%q}`, c.mk("json inside a json string")), c.mk("json object under credentials"))
	formBody := "user=bob&password=" + url.QueryEscape(c.mk("form password")) + "&user[api_key]=" + url.QueryEscape(c.mk("form bracketed api key"))

	// Response parts, the same on every answer.
	setCookies := []string{
		"session=" + c.mk("set cookie first pair") + "; Path=/; HttpOnly",
		"a=1; refresh=" + c.mk("set cookie second pair") + "; Path=/",
		c.mk("set cookie nameless") + "; Path=/; Secure",
		"a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT, sid2=" + c.mk("set cookie folded") + "; Path=/",
	}
	location := "/done?code=" + c.mk("location code") + "&state=ok#access_token=" + c.mk("location fragment access token") + "&token_type=bearer"
	refresh := "0; url=https://app.example/next?token=" + c.mk("refresh header url")
	link := `<https://api.example/p?page=2&sig=` + c.mk("link header sig") + `>; rel="next"`
	hubSig := "sha256=" + c.mk("x hub signature")
	respJWT := jwt("jwt in a response header")
	respJSON := fmt.Sprintf(`{"access_token":%q,"token_type":"Bearer","id_token":%q,"user":{"name":"ok"},"next":"https://api.example/p?page=3&access_token=%s","inner":%q}`,
		c.mk("response access token"), c.mk("response id token"), c.mk("response url in a json string"),
		fmt.Sprintf(`{"refresh_token":%q}`, c.mk("response json inside a json string")))
	textForm := "access_token=" + c.mk("response text form") + "&scope=repo"
	patternBase := c.mk("pattern in text body")
	delete(c, patternBase) // only its cnry_ spelling is planted
	pattern := "cnry_" + strings.ToLower(strings.TrimSuffix(patternBase, "/p+q=&<"))
	c[pattern] = "pattern in text body"
	gzSecret, deflSecret, stackSecret, zstdSecret := c.mk("gzip body"), c.mk("deflate body"), c.mk("stacked gzip body"), c.mk("zstd body")
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}

	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h := w.Header()
		for _, sc := range setCookies {
			h.Add("Set-Cookie", sc)
		}
		h.Set("Location", location)
		h.Set("Refresh", refresh)
		h.Set("Link", link)
		h.Set("X-Hub-Signature-256", hubSig)
		h.Set("X-Forwarded-Claims", respJWT)
		added := r.Header.Get("X-API-Key") + r.Header.Get("Authorization") // what the proxy added
		h.Set("X-Echo", added)
		switch r.URL.Path {
		case "/v1/customers":
			h.Set("Content-Type", "text/plain")
			fmt.Fprintf(w, "you sent key %s (base64 %s) and token %s", r.Header.Get("X-API-Key"), base64.StdEncoding.EncodeToString([]byte("k:"+r.Header.Get("X-API-Key"))), pattern)
		case "/v1/form":
			h.Set("Content-Type", "text/plain")
			io.WriteString(w, textForm)
		case "/v1/gz":
			h.Set("Content-Type", "application/json")
			h.Set("Content-Encoding", "gzip")
			w.Write(gz([]byte(`{"refresh_token":"` + gzSecret + `"}`)))
		case "/v1/deflate":
			h.Set("Content-Type", "application/json")
			h.Set("Content-Encoding", "deflate")
			zw := zlib.NewWriter(w)
			fmt.Fprintf(zw, `{"client_secret":%q}`, deflSecret)
			zw.Close()
		case "/v1/gzgz":
			h.Set("Content-Type", "application/json")
			h.Set("Content-Encoding", "gzip, gzip")
			w.Write(gz(gz([]byte(`{"password":"` + stackSecret + `"}`))))
		case "/v1/zstd":
			h.Set("Content-Type", "application/json")
			h.Set("Content-Encoding", "zstd")
			io.WriteString(w, "\x28\xb5\x2f\xfd literal "+zstdSecret)
		case "/v1/me":
			h.Set("Content-Type", "application/json")
			a := r.Header.Get("Authorization")
			fmt.Fprintf(w, `{"seen":%q,"wrapped":"xx%sxx"}`, a, strings.TrimPrefix(a, "Basic "))
		default:
			h.Set("Content-Type", "application/json")
			fmt.Fprintf(w, `%s`, strings.Replace(respJSON, `"user"`, fmt.Sprintf(`"seen_key":%q,"seen_b64":%q,"user"`, r.Header.Get("X-API-Key"), base64.StdEncoding.EncodeToString([]byte(r.Header.Get("X-API-Key")))), 1))
		}
	}))
	defer up.Close()

	dir := t.TempDir()
	conn := filepath.Join(dir, "contoso")
	copyDir(t, "../examples/contoso-orders", conn)
	os.WriteFile(filepath.Join(conn, "connectorlab.redact.json"),
		[]byte(`{"schemaVersion":1,"headers":["X-Tenant-Secret"],"patterns":["cnry_[a-z0-9]+"]}`), 0o644)
	basic := filepath.Join(dir, "basic")
	copyDir(t, "../examples/contoso-orders", basic)
	props, _ := os.ReadFile(filepath.Join(basic, "apiProperties.json"))
	props = bytes.Replace(props, []byte(`"api_key": {`), []byte(`"username": {"type": "securestring", "uiDefinition": {"displayName": "User name"}}, "password": {`), 1)
	os.WriteFile(filepath.Join(basic, "apiProperties.json"), props, 0o644)
	swagger, _ := os.ReadFile(filepath.Join(basic, "apiDefinition.swagger.json"))
	swagger = regexp.MustCompile(`"API Key": \{[^}]*\}`).ReplaceAll(swagger, []byte(`"basic": {"type": "basic"}`))
	swagger = bytes.Replace(swagger, []byte(`"API Key": []`), []byte(`"basic": []`), 1)
	os.WriteFile(filepath.Join(basic, "apiDefinition.swagger.json"), swagger, 0o644)
	db := filepath.Join(dir, "rec.db")

	files := map[string][]byte{}
	snapshot := func(label string) {
		// The live spool (issue 17) holds every exchange as written too.
		spools, _ := filepath.Glob(db + "-spool-*")
		for _, f := range append([]string{db, db + "-wal", db + "-shm"}, spools...) {
			if b, err := os.ReadFile(f); err == nil {
				files[filepath.Base(f)+" ("+label+")"] = b
			}
		}
	}
	record := func(connDir, session string, run func(base string)) {
		base, out, errb, stop := startRecord(t, connDir, "--upstream", up.URL+"/v1", "--db", db, "--port", "0", "--session", session, "-v")
		run(base)
		snapshot("live " + session) // before the proxy checkpoints on exit
		if code := stop(); code != 0 {
			t.Fatalf("record %s exit %d: %s", session, code, errb)
		}
		files["record stdout "+session] = []byte(out.String())
		files["record stderr "+session] = []byte(errb.String())
	}
	send := func(base, method, path, ct, body string, h map[string]string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		req.Header.Set("Accept-Encoding", "zstd, gzip, deflate, br")
		for k, v := range h {
			req.Header[k] = []string{v}
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
	user, pass := c.mk("userinfo user"), c.mk("userinfo password")
	record(conn, "canary", func(base string) {
		send(base, "POST", "/orders?"+q.Encode(), "application/json", jsonBody, reqHeaders)
		send(base, "POST", "/orders", "application/x-www-form-urlencoded", formBody, nil)
		for _, p := range []string{"/customers", "/form", "/gz", "/deflate", "/gzgz", "/zstd"} {
			send(base, "GET", p, "", "", nil)
		}
		// URL userinfo in an absolute-form request target, sent raw.
		u, _ := url.Parse(base)
		cn, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(cn, "GET http://%s:%s@%s/orders/o-1 HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", url.PathEscape(user), url.PathEscape(pass), u.Host, u.Host)
		resp, err := http.ReadResponse(bufio.NewReader(cn), nil)
		if err != nil || resp.StatusCode != 200 {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("userinfo request: %v %v %s", resp, err, b)
		}
		cn.Close()
	})
	record(basic, "basic", func(base string) {
		send(base, "GET", "/me", "", "", nil)
	})

	// A HAR with secrets in it, imported.
	harIn := filepath.Join(dir, "in.har")
	os.WriteFile(harIn, []byte(fmt.Sprintf(`{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[{"startedDateTime":"2026-01-01T00:00:00Z","time":1,
"request":{"method":"POST","url":"https://api.example/p?access_token=%s","httpVersion":"HTTP/1.1","headers":[{"name":"X-Gitlab-Token","value":%q},{"name":"Content-Type","value":"application/json"}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":-1,
"postData":{"mimeType":"application/json","text":%q}},
"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[{"name":"Set-Cookie","value":"s=%s"}],"cookies":[],"content":{"size":10,"mimeType":"application/json","text":%q},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":0,"wait":1,"receive":0}}]}}`,
		c.mk("har query token"), c.mk("har header gitlab token"), fmt.Sprintf(`{"client_secret":%q}`, c.mk("har request body")),
		c.mk("har set cookie"), fmt.Sprintf(`{"token":%q}`, c.mk("har response body")))), 0o644)
	if code, _, e := runCLI(t, "recordings", "import", harIn, "--db", db, "--session", "imported"); code != 0 {
		t.Fatalf("import: %d %s", code, e)
	}
	snapshot("closed")
	for _, sess := range []string{"canary", "basic", "imported"} {
		for _, format := range []string{"har", "json"} {
			code, o, e := runCLI(t, "recordings", "export", sess, "--db", db, "--format", format)
			if code != 0 {
				t.Fatalf("export %s %s: %d %s", sess, format, code, e)
			}
			files["export "+sess+"."+format] = []byte(o)
		}
		for _, format := range []string{"text", "json"} {
			_, o, _ := runCLI(t, "recordings", "show", sess, "--db", db, "--format", format)
			files["show "+sess+" "+format] = []byte(o)
		}
	}
	_, lsOut, _ := runCLI(t, "recordings", "ls", "--db", db, "--format", "json")
	files["ls"] = []byte(lsOut)
	for i := 1; i <= 14; i++ {
		for _, format := range []string{"text", "json"} {
			_, o, _ := runCLI(t, "recordings", "show", "--exchange", fmt.Sprint(i), "--db", db, "--format", format)
			files[fmt.Sprintf("show --exchange %d %s", i, format)] = []byte(o)
		}
	}

	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	found, spellings := 0, 0
	for secret, where := range c {
		sp := recordings.SecretSpellings(secret)
		spellings += len(sp) + 1
		for _, name := range names {
			b := files[name]
			if bytes.Contains(bytes.ToLower(b), []byte(strings.ToLower(secret))) {
				t.Errorf("canary from %s found in %s (raw)", where, name)
				found++
				continue
			}
			for _, s := range sp[1:] {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("canary from %s found in %s as %q", where, name, s)
					found++
					break
				}
			}
		}
	}
	if len(c) < 60 {
		t.Errorf("only %d canaries planted, want at least 60", len(c))
	}
	t.Logf("canary search: %d secrets (%d spellings) × %d artefacts (db, -wal, -shm, spool live and closed, HAR and JSON exports, show text/json, ls, logs): %d found",
		len(c), spellings, len(files), found)
	// The redaction must not have eaten the ordinary data.
	har := string(files["export canary.har"])
	for _, keep := range []string{"theme=REDACTED-", "page=2", `\"token_type\":\"Bearer\"`, `\"customer\":\"c1\"`, "user=bob", "Path=/; HttpOnly", "not stored: undecodable coding zstd"} {
		if !strings.Contains(har, keep) {
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
