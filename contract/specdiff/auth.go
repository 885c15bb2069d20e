package specdiff

import (
	"fmt"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
)

// checkAuth: apiProperties connection parameters and security schemes.
// Existing connections carry the old settings; a change here means makers
// must recreate every connection.
func checkAuth(c *checker) {
	o, n := c.d.Old.Auth, c.d.New.Auth
	base := contract.Finding{Where: "auth"}
	for i := 0; i < max(len(o.Sets), len(n.Sets)); i++ {
		var os, ns *connector.AuthSet
		if i < len(o.Sets) {
			os = &o.Sets[i]
		}
		if i < len(n.Sets) {
			ns = &n.Sets[i]
		}
		if os == nil || ns == nil {
			f := base
			f.ID, f.Level = AuthChanged, contract.LevelError
			if os == nil {
				f.New = string(ns.Kind)
				f.Message = fmt.Sprintf("connection parameter set %q was added", ns.Name)
				f.Level = contract.LevelWarning
			} else {
				f.Old = string(os.Kind)
				f.Message = fmt.Sprintf("connection parameter set %q was removed: its connections stop working", os.Name)
			}
			c.add(f)
			continue
		}
		if a, b := authSummary(os), authSummary(ns); a != b {
			f := base
			f.ID, f.Level, f.Old, f.New = AuthChanged, contract.LevelError, a, b
			f.Message = fmt.Sprintf("authentication changed from %s to %s: existing connections must be recreated", a, b)
			c.add(f)
		}
		if os.OAuth2 != nil && ns.OAuth2 != nil {
			a, b := scopes(os.OAuth2), scopes(ns.OAuth2)
			if a != b {
				f := base
				f.ID, f.Level, f.Old, f.New = AuthScopesChanged, contract.LevelWarning, a, b
				f.Message = fmt.Sprintf("OAuth scopes changed from [%s] to [%s]: users must consent again", a, b)
				c.add(f)
			}
		}
		checkConnParams(c, os, ns)
	}
}

func authSummary(s *connector.AuthSet) string {
	parts := []string{string(s.Kind)}
	switch {
	case s.APIKey != nil:
		parts = append(parts, s.APIKey.In+":"+s.APIKey.Name)
	case s.OAuth2 != nil:
		o := s.OAuth2
		parts = append(parts, "idp="+o.IdentityProvider)
		if o.AuthorizationURL != "" {
			parts = append(parts, "auth="+o.AuthorizationURL)
		}
		if o.TokenURL != "" {
			parts = append(parts, "token="+o.TokenURL)
		}
	}
	return strings.Join(parts, " ")
}

func scopes(o *connector.OAuth2Auth) string {
	s := append([]string(nil), o.Scopes...)
	sort.Strings(s)
	return strings.Join(s, " ")
}

// checkConnParams compares the declared parameters: a synthetic one
// (derived from securityDefinitions) is not in any existing connection,
// and one declared where a synthetic stood is new to the gateway too.
func checkConnParams(c *checker, os, ns *connector.AuthSet) {
	old := map[string]connector.ConnectionParameter{}
	for _, p := range os.Declared() {
		old[p.Name] = p
	}
	newp := map[string]bool{}
	for _, p := range ns.Declared() {
		newp[p.Name] = true
		if _, ok := old[p.Name]; ok {
			continue
		}
		f := contract.Finding{ID: ConnParamAdded, Level: contract.LevelWarning, Where: "auth", Field: p.Name, New: p.Type}
		f.Message = fmt.Sprintf("new connection parameter %q (%s)", p.Name, p.Type)
		if p.Required && p.Default == nil {
			f.Level = contract.LevelError
			f.Message += " is required: existing connections lack it"
		}
		c.add(f)
	}
	for _, p := range os.Declared() {
		if !newp[p.Name] {
			f := contract.Finding{ID: ConnParamRemoved, Level: contract.LevelWarning, Where: "auth", Field: p.Name, Old: p.Type}
			f.Message = fmt.Sprintf("connection parameter %q was removed", p.Name)
			c.add(f)
		}
	}
}
