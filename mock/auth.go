package mock

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/connector"
)

// Credentials restrict what the mock accepts. Empty fields accept any
// well-formed value: any non-empty API key, any user and password.
// The CLI fills them from environment variables only.
type Credentials struct {
	APIKey       string
	Username     string
	Password     string
	ClientID     string
	ClientSecret string
}

// Principal is who a request authenticated as.
type Principal struct {
	Kind    connector.AuthKind `json:"kind"`
	Set     string             `json:"set,omitempty"`
	Subject string             `json:"subject,omitempty"`
	Scope   string             `json:"scope,omitempty"`
}

// Token lifetimes of the built-in authorization server.
const (
	AccessTokenTTL = time.Hour
	codeTTL        = 10 * time.Minute
	refreshTTL     = 30 * 24 * time.Hour
)

type authenticator struct {
	s             *Server
	sets          []connector.AuthSet
	key           []byte
	secretHeaders map[string]bool
	secretQuery   map[string]bool
}

func newAuthenticator(s *Server) *authenticator {
	a := &authenticator{s: s, secretHeaders: map[string]bool{}, secretQuery: map[string]bool{}}
	a.sets = s.c.Auth.Sets
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], s.opts.Seed)
	// The signing key derives from the seed so that tokens survive a
	// restart with the same seed; it protects nothing real.
	k := sha256.Sum256(append([]byte("connectorlab mock oauth "+s.c.Name), b[:]...))
	a.key = k[:]
	for _, set := range a.sets {
		if set.APIKey != nil && set.APIKey.Name != "" {
			if strings.EqualFold(set.APIKey.In, "query") {
				a.secretQuery[strings.ToLower(set.APIKey.Name)] = true
			} else {
				a.secretHeaders[strings.ToLower(set.APIKey.Name)] = true
			}
		}
	}
	for _, q := range []string{"api_key", "apikey", "api-key", "key", "token", "access_token", "code", "sig", "client_secret", "password"} {
		a.secretQuery[q] = true
	}
	return a
}

// required reports whether op needs credentials: the connector declares
// auth and the operation does not opt out with an empty security list.
func (a *authenticator) required(op *connector.Operation) bool {
	if op.Op != nil && op.Op.Security != nil && len(*op.Op.Security) == 0 {
		return false
	}
	for _, set := range a.sets {
		switch set.Kind {
		case connector.AuthAPIKey, connector.AuthBasic, connector.AuthOAuth2:
			return true
		}
	}
	return false
}

// check authenticates c; nil means accepted.
func (a *authenticator) check(c *Call) *Reply {
	if !a.required(c.Operation) {
		return nil
	}
	r := c.Request
	var reasons []string
	var challenges []string
	for _, set := range a.sets {
		p, reason, challenge := a.try(set, r)
		if p != nil {
			c.Principal = p
			return nil
		}
		if reason != "" {
			reasons = append(reasons, reason)
		}
		if challenge != "" {
			challenges = append(challenges, challenge)
		}
	}
	if len(reasons) == 0 {
		return nil // only parameter-style sets: nothing to check
	}
	c.Note("auth-failed", "error", "", strings.Join(reasons, "; "))
	errs := make([]ProblemError, 0, len(reasons))
	for _, rs := range reasons {
		errs = append(errs, ProblemError{In: "auth", Message: rs})
	}
	rep := problemReply(http.StatusUnauthorized, "unauthorized", "Missing or invalid credentials", strings.Join(reasons, "; "), errs)
	for _, ch := range challenges {
		rep.Header.Add("WWW-Authenticate", ch)
	}
	return rep
}

func (a *authenticator) try(set connector.AuthSet, r *http.Request) (*Principal, string, string) {
	creds := a.s.opts.Credentials
	switch set.Kind {
	case connector.AuthAPIKey:
		k := set.APIKey
		if k == nil || k.Name == "" {
			return &Principal{Kind: set.Kind, Set: set.Name}, "", ""
		}
		var got string
		query := strings.EqualFold(k.In, "query")
		if query {
			got = r.URL.Query().Get(k.Name)
		} else {
			got = r.Header.Get(k.Name)
		}
		// The where and challenge strings are built only for a refusal.
		where := func() string {
			if query {
				return "query parameter " + k.Name
			}
			return "header " + k.Name
		}
		challenge := func() string {
			if strings.EqualFold(k.Name, "Authorization") {
				return fmt.Sprintf(`Bearer realm="%s"`, realm(a.s.c))
			}
			return fmt.Sprintf(`APIKey realm="%s", in="%s", name="%s"`, realm(a.s.c), strings.ToLower(orDefault(k.In, "header")), k.Name)
		}
		switch {
		case strings.TrimSpace(got) == "":
			return nil, "API key missing: send it in the " + where(), challenge()
		case creds.APIKey != "" && !keyMatches(got, creds.APIKey):
			return nil, "API key in the " + where() + " is not the one configured for this mock", challenge()
		}
		return &Principal{Kind: set.Kind, Set: set.Name, Subject: "api-key"}, "", ""
	case connector.AuthBasic:
		u, p, ok := r.BasicAuth()
		challenge := func() string { return fmt.Sprintf(`Basic realm="%s", charset="UTF-8"`, realm(a.s.c)) }
		switch {
		case !ok:
			return nil, "basic credentials missing: send Authorization: Basic base64(user:password)", challenge()
		case u == "":
			return nil, "basic credentials have an empty user name", challenge()
		case creds.Username != "" && (!eq(u, creds.Username) || !eq(p, creds.Password)):
			return nil, "user name or password is not the one configured for this mock", challenge()
		}
		return &Principal{Kind: set.Kind, Set: set.Name, Subject: u}, "", ""
	case connector.AuthOAuth2:
		challenge := func() string { return fmt.Sprintf(`Bearer realm="%s"`, realm(a.s.c)) }
		h := r.Header.Get("Authorization")
		scheme, tok, _ := strings.Cut(h, " ")
		if h == "" || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
			return nil, "bearer token missing: get one from /oauth2/token and send Authorization: Bearer TOKEN", challenge()
		}
		claims, err := a.verify(strings.TrimSpace(tok), "access")
		if err != nil {
			return nil, "bearer token rejected: " + err.Error(), challenge() + `, error="invalid_token", error_description="` + err.Error() + `"`
		}
		return &Principal{Kind: set.Kind, Set: set.Name, Subject: claims.Sub, Scope: claims.Scope}, "", ""
	}
	return nil, "", ""
}

func keyMatches(got, want string) bool {
	if eq(got, want) {
		return true
	}
	// "Authorization: Bearer KEY" and similar prefixes around the key.
	if i := strings.LastIndexByte(got, ' '); i >= 0 {
		return eq(got[i+1:], want)
	}
	return false
}

func eq(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func realm(c *connector.Connector) string { return strings.ReplaceAll(c.Name, `"`, "'") }

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// claims is the payload of a token issued by the mock.
type claims struct {
	Typ       string `json:"typ"` // access | refresh | code
	Sub       string `json:"sub,omitempty"`
	Client    string `json:"cid,omitempty"`
	Scope     string `json:"scope,omitempty"`
	Redirect  string `json:"redir,omitempty"`
	Challenge string `json:"pkce,omitempty"`
	Method    string `json:"pkcem,omitempty"`
	Exp       int64  `json:"exp"`
	N         uint64 `json:"n,omitempty"`
}

func (a *authenticator) sign(c claims) string {
	b, _ := json.Marshal(c)
	p := base64.RawURLEncoding.EncodeToString(b)
	m := hmac.New(sha256.New, a.key)
	m.Write([]byte(p))
	return "mock_" + p + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

func (a *authenticator) verify(tok, typ string) (*claims, error) {
	rest, ok := strings.CutPrefix(tok, "mock_")
	p, sig, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 {
		return nil, fmt.Errorf("not a token issued by this mock's /oauth2/token")
	}
	m := hmac.New(sha256.New, a.key)
	m.Write([]byte(p))
	want := base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
	if !eq(sig, want) {
		return nil, fmt.Errorf("signature does not match (issued by another mock, or with another --seed)")
	}
	b, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return nil, fmt.Errorf("malformed token")
	}
	var c claims
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("malformed token")
	}
	if c.Typ != typ {
		return nil, fmt.Errorf("this is a %s token, not an %s token", c.Typ, typ)
	}
	if a.s.opts.Now().Unix() > c.Exp {
		return nil, fmt.Errorf("token expired")
	}
	return &c, nil
}

// mountOAuth serves the built-in authorization server.
func (a *authenticator) mountOAuth() {
	mux := http.NewServeMux()
	mux.HandleFunc("/oauth2/authorize", a.authorize)
	mux.HandleFunc("/oauth2/token", a.token)
	a.s.Mount("/oauth2/", mux)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="oauth2"`)
	}
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"error": code, "error_description": desc})
	_, _ = w.Write(b)
}

// authorize auto-consents: it redirects straight back with a code (or, for
// response_type=token, an access token in the fragment).
func (a *authenticator) authorize(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "cannot parse the request: "+err.Error())
		return
	}
	q := r.Form
	redirect := q.Get("redirect_uri")
	u, err := url.Parse(redirect)
	if redirect == "" || err != nil || !u.IsAbs() {
		oauthError(w, http.StatusBadRequest, "invalid_request", "redirect_uri is missing or not an absolute URL")
		return
	}
	clientID := q.Get("client_id")
	creds := a.s.opts.Credentials
	if clientID == "" || (creds.ClientID != "" && !eq(clientID, creds.ClientID)) {
		oauthError(w, http.StatusBadRequest, "unauthorized_client", "client_id is missing or unknown to this mock")
		return
	}
	now := a.s.opts.Now()
	rt := q.Get("response_type")
	vals := u.Query()
	switch rt {
	case "code", "":
		code := a.sign(claims{Typ: "code", Sub: "mock-user", Client: clientID, Scope: q.Get("scope"), Redirect: redirect,
			Challenge: q.Get("code_challenge"), Method: q.Get("code_challenge_method"), Exp: now.Add(codeTTL).Unix(), N: uint64(now.UnixNano())})
		vals.Set("code", code)
		if st := q.Get("state"); st != "" {
			vals.Set("state", st)
		}
		u.RawQuery = vals.Encode()
	case "token":
		tok := a.sign(claims{Typ: "access", Sub: "mock-user", Client: clientID, Scope: q.Get("scope"), Exp: now.Add(AccessTokenTTL).Unix(), N: uint64(now.UnixNano())})
		f := url.Values{"access_token": {tok}, "token_type": {"Bearer"}, "expires_in": {fmt.Sprint(int(AccessTokenTTL.Seconds()))}}
		if st := q.Get("state"); st != "" {
			f.Set("state", st)
		}
		u.Fragment = f.Encode()
	default:
		vals.Set("error", "unsupported_response_type")
		u.RawQuery = vals.Encode()
	}
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func (a *authenticator) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "the token endpoint takes POST with a form body")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "cannot parse the form body: "+err.Error())
		return
	}
	f := r.PostForm
	clientID, secret, basic := r.BasicAuth()
	if !basic {
		clientID, secret = f.Get("client_id"), f.Get("client_secret")
	}
	creds := a.s.opts.Credentials
	if creds.ClientID != "" && !eq(clientID, creds.ClientID) || creds.ClientSecret != "" && !eq(secret, creds.ClientSecret) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client_id or client_secret is not the one configured for this mock")
		return
	}
	now := a.s.opts.Now()
	var sub, scope string
	refresh := true
	switch gt := f.Get("grant_type"); gt {
	case "authorization_code":
		c, err := a.verify(f.Get("code"), "code")
		if err != nil {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "code rejected: "+err.Error())
			return
		}
		if ru := f.Get("redirect_uri"); ru != "" && ru != c.Redirect {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the one sent to /oauth2/authorize")
			return
		}
		if clientID != "" && c.Client != clientID {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "the code was issued to another client_id")
			return
		}
		if c.Challenge != "" && !pkceOK(c.Challenge, c.Method, f.Get("code_verifier")) {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "code_verifier does not match the code_challenge")
			return
		}
		used := false
		a.s.state.Update("oauth.codes", f.Get("code"), func(_ any, exists bool) (any, bool) {
			used = exists
			return true, true
		})
		if used {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "this code was already exchanged")
			return
		}
		sub, scope = c.Sub, c.Scope
	case "refresh_token":
		c, err := a.verify(f.Get("refresh_token"), "refresh")
		if err != nil {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "refresh_token rejected: "+err.Error())
			return
		}
		sub, scope = c.Sub, c.Scope
		if s := f.Get("scope"); s != "" {
			scope = s
		}
	case "client_credentials":
		if clientID == "" {
			oauthError(w, http.StatusUnauthorized, "invalid_client", "client_credentials needs client_id (form or basic auth)")
			return
		}
		sub, scope, refresh = clientID, f.Get("scope"), false
	case "password":
		if f.Get("username") == "" {
			oauthError(w, http.StatusBadRequest, "invalid_request", "username is missing")
			return
		}
		sub, scope = f.Get("username"), f.Get("scope")
	case "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "grant_type is missing (authorization_code, refresh_token or client_credentials)")
		return
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type "+gt+" is not supported")
		return
	}
	n := uint64(now.UnixNano())
	out := map[string]any{
		"access_token": a.sign(claims{Typ: "access", Sub: sub, Client: clientID, Scope: scope, Exp: now.Add(AccessTokenTTL).Unix(), N: n}),
		"token_type":   "Bearer",
		"expires_in":   int(AccessTokenTTL.Seconds()),
	}
	if scope != "" {
		out["scope"] = scope
	}
	if refresh {
		out["refresh_token"] = a.sign(claims{Typ: "refresh", Sub: sub, Client: clientID, Scope: scope, Exp: now.Add(refreshTTL).Unix(), N: n})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	b, _ := json.Marshal(out)
	_, _ = w.Write(b)
}

func pkceOK(challenge, method, verifier string) bool {
	if verifier == "" {
		return false
	}
	if strings.EqualFold(method, "S256") {
		sum := sha256.Sum256([]byte(verifier))
		return eq(base64.RawURLEncoding.EncodeToString(sum[:]), challenge)
	}
	return eq(verifier, challenge)
}

// IssueToken returns an access token this server accepts, for tests and
// tools that skip the OAuth dance.
func (s *Server) IssueToken(subject, scope string) string {
	now := s.opts.Now()
	return s.auth.sign(claims{Typ: "access", Sub: subject, Scope: scope, Exp: now.Add(AccessTokenTTL).Unix(), N: uint64(now.UnixNano())})
}
