package sqlite_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/policy"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// TestIssue11BasicAuthAddedByProxyRedacted is issue 11 item 1: the
// proxy adds Authorization: Basic base64(user:pass) from the connection
// parameters; an upstream that echoes it (in a body, in an ordinary
// header, base64 inside a longer base64 text) must not leave the password
// in any spelling in the store, the -wal or the HAR export.
func TestIssue11BasicAuthAddedByProxyRedacted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	set := connector.AuthSet{Kind: connector.AuthBasic, Basic: &connector.BasicAuth{UsernameParameter: "username", PasswordParameter: "password"},
		Parameters: []connector.ConnectionParameter{{Name: "username", Type: "string"}, {Name: "password", Type: "securestring"}}}
	vals := map[string]string{"username": "canary-user", "password": "Canary/Pass+w0rd:77&x"}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := r.Header.Get("Authorization")
		w.Header().Set("X-Echo", a)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"seen":%q,"wrapped":%q}`, a, strings.TrimPrefix(a, "Basic "))
	}))
	defer up.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "rec.db")
	s := openStore(t, path, sqlite.Options{})
	sess := &recordings.Session{Name: "basic", Source: recordings.SourceProxy, Rules: recordings.Rules{Secrets: recordings.SecretValues(set, vals)}}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(up.URL)
	p, err := recordings.NewProxy(recordings.ProxyOptions{Upstream: u, Sink: s, SessionID: sess.ID, Auth: recordings.AuthFor(set, vals)})
	if err != nil {
		t.Fatal(err)
	}
	px := httptest.NewServer(p)
	defer px.Close()
	resp, err := http.Get(px.URL + "/me")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Basic ") {
		t.Fatalf("proxy: %d %s", resp.StatusCode, body)
	}
	wal, _ := os.ReadFile(path + "-wal")
	db, _ := os.ReadFile(path)
	var har strings.Builder
	if _, err := recordings.ExportHAR(ctx, s, sess.ID, &har, "test"); err != nil {
		t.Fatal(err)
	}
	x, _ := s.Exchange(ctx, 1)
	xj, _ := json.Marshal(x)
	secrets := []string{vals["password"], vals["username"] + ":" + vals["password"]}
	for name, b := range map[string]string{"db": string(db), "wal": string(wal), "har": har.String(), "exchange": string(xj)} {
		for _, sec := range secrets {
			for _, sp := range recordings.SecretSpellings(sec) {
				if strings.Contains(b, sp) {
					t.Errorf("%s holds %q (a spelling of %q)", name, sp, sec)
				}
			}
		}
	}
}

// TestIssue11FurtherNewDatabaseIsPrivate (issue 11, further): a new
// database, its -wal and -shm are readable by their user only: they hold
// recorded traffic and the key the placeholders are hashed with.
func TestIssue11FurtherNewDatabaseIsPrivate(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "rec.db")
	s := openStore(t, path, sqlite.Options{})
	newSession(t, s, "p")
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %s, want 0600", filepath.Base(f), st.Mode().Perm())
		}
	}
}

type failingPolicies struct{ secret string }

func (p failingPolicies) Request(_ context.Context, _ string, r *http.Request, _ map[string]string) (policy.Trace, error) {
	return policy.Trace{}, fmt.Errorf("setheader: upstream refused https://api.example/x?key=%s", p.secret)
}

func (failingPolicies) Response(context.Context, string, *http.Request, *http.Response) (policy.Trace, error) {
	return policy.Trace{}, nil
}

// TestIssue11FurtherProblemBodyIsRedacted (issue 11, further): when the
// proxy answers with its own problem, the message the client gets is the
// stored (redacted) one: an error quoting a credential the proxy added
// does not hand it to the client.
func TestIssue11FurtherProblemBodyIsRedacted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const secret = "Further-Secret-123456"
	s := openStore(t, filepath.Join(t.TempDir(), "rec.db"), sqlite.Options{})
	sess := &recordings.Session{Name: "p", Source: recordings.SourceProxy, Rules: recordings.Rules{Secrets: []string{secret}}}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("http://127.0.0.1:1")
	p, err := recordings.NewProxy(recordings.ProxyOptions{Upstream: u, Sink: s, SessionID: sess.ID, Policies: failingPolicies{secret}})
	if err != nil {
		t.Fatal(err)
	}
	px := httptest.NewServer(p)
	defer px.Close()
	resp, err := http.Get(px.URL + "/x")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 502 || strings.Contains(string(b), secret) || !strings.Contains(string(b), "REDACTED-") {
		t.Errorf("%d %s: the problem body must carry the redacted message", resp.StatusCode, b)
	}
}
