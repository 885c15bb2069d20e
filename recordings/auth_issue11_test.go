package recordings_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/recordings"
)

// TestIssue11SecurestringUsernameBasicAuth is issue 11 item 13: a basic
// auth set whose user name is a securestring (the connector reading takes
// the first secure parameter for the password) must still send
// user:password, and a missing user name is an error that says so, never
// a silent "Basic :password".
func TestIssue11SecurestringUsernameBasicAuth(t *testing.T) {
	t.Parallel()
	// What connector.classifySet builds for username+password, both securestring.
	set := connector.AuthSet{Kind: connector.AuthBasic, Name: "basic", Basic: &connector.BasicAuth{PasswordParameter: "username"},
		Parameters: []connector.ConnectionParameter{{Name: "username", Type: "securestring"}, {Name: "password", Type: "securestring"}}}
	r, _ := http.NewRequest("GET", "http://x/", nil)
	if err := recordings.AuthFor(set, map[string]string{"username": "ann", "password": "pw-1"})(r); err != nil {
		t.Fatal(err)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("ann:pw-1"))
	if got := r.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization = %q, want %q (user ann, password pw-1)", got, want)
	}
	r, _ = http.NewRequest("GET", "http://x/", nil)
	err := recordings.AuthFor(set, map[string]string{"password": "pw-1"})(r)
	if err == nil || !strings.Contains(err.Error(), "user name is missing") || !strings.Contains(err.Error(), "CONNECTORLAB_PARAM_USERNAME") {
		t.Errorf("missing user name: err = %v, Authorization = %q; want an error naming CONNECTORLAB_PARAM_USERNAME", err, r.Header.Get("Authorization"))
	}
	if err := recordings.CheckAuth(set, map[string]string{"password": "pw-1"}); err == nil {
		t.Error("CheckAuth accepted a basic connection without a user name")
	}
	// No user-name parameter at all.
	only := connector.AuthSet{Kind: connector.AuthBasic, Basic: &connector.BasicAuth{PasswordParameter: "secret"},
		Parameters: []connector.ConnectionParameter{{Name: "secret", Type: "securestring"}}}
	if err := recordings.CheckAuth(only, map[string]string{"secret": "s"}); err == nil || !strings.Contains(err.Error(), "declares no user-name parameter") {
		t.Errorf("no user-name parameter: %v", err)
	}
}
