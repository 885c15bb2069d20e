package catalog

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/connectorlab/connectorlab/connector"
)

// WriteInspect writes the summary of c (loaded from path).
func WriteInspect(w io.Writer, c *connector.Connector, path string) {
	fmt.Fprintf(w, "%s  (%s)\n", c.Name, c.Format)
	fmt.Fprintf(w, "  definition:   %s\n", c.Files.Definition)
	if c.Files.Properties != "" {
		fmt.Fprintf(w, "  properties:   %s\n", c.Files.Properties)
	}
	if c.Host != "" || c.BasePath != "" {
		fmt.Fprintf(w, "  upstream:     %s://%s%s\n", firstOr(c.Schemes, "https"), c.Host, c.BasePath)
	}
	if c.Publisher != "" {
		fmt.Fprintf(w, "  publisher:    %s\n", c.Publisher)
	}
	for i, s := range c.Auth.Sets {
		label := "  auth:         "
		if i > 0 {
			label = "                "
		}
		fmt.Fprintf(w, "%s%s\n", label, authLine(s))
	}
	if c.CustomCode != nil {
		ops := "all operations"
		if len(c.CustomCode.Operations) > 0 {
			ops = strings.Join(c.CustomCode.Operations, ", ")
		}
		fmt.Fprintf(w, "  custom code:  %s (%d bytes; %s). It cannot run here: responses of these operations may differ from the real connector.\n", c.CustomCode.File, c.CustomCode.Size, ops)
	}
	if c.Capabilities != nil && c.Capabilities.TestConnection != nil {
		fmt.Fprintf(w, "  test connection: %s\n", c.Capabilities.TestConnection.OperationID)
	}
	if len(c.Policies) > 0 {
		fmt.Fprintf(w, "  policies:\n")
		for _, p := range c.Policies {
			scope := "all operations"
			if len(p.Operations) > 0 {
				scope = strings.Join(p.Operations, ", ")
			}
			fmt.Fprintf(w, "    - %s %q (%s): %s\n", p.TemplateID, p.Title, scope, policyParams(p))
		}
	}
	fmt.Fprintf(w, "\n%d operations\n", len(c.Operations))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "METHOD\tPATH\tOPERATION\tSUMMARY\tVISIBILITY\tTRIGGER\tDYNAMIC")
	for _, o := range c.Operations {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", o.Method, o.Path, dash(o.ID), dash(trunc(o.Summary, 48)), dash(string(o.Visibility)), triggerCell(o), dynamicCell(o))
	}
	tw.Flush()
	if n := len(c.Findings); n > 0 {
		fmt.Fprintf(w, "\n%d %s made while loading; run 'connectorlab validate %s' to see %s.\n", n, plural(n, "repair was", "repairs were"), path, plural(n, "it", "them"))
	}
}

func authLine(s connector.AuthSet) string {
	var b strings.Builder
	if s.Name != "" {
		fmt.Fprintf(&b, "[%s] ", s.Name)
	}
	switch s.Kind {
	case connector.AuthAPIKey:
		fmt.Fprintf(&b, "API key in %s %q", s.APIKey.In, s.APIKey.Name)
		if s.APIKey.Parameter != "" {
			fmt.Fprintf(&b, " (connection parameter %s)", s.APIKey.Parameter)
		}
	case connector.AuthBasic:
		b.WriteString("basic")
		if s.Scheme == "" {
			b.WriteString(" (from its user-name and password parameters; no basic scheme declared)")
		}
	case connector.AuthOAuth2:
		o := s.OAuth2
		fmt.Fprintf(&b, "OAuth 2.0")
		if o.IdentityProvider != "" {
			fmt.Fprintf(&b, " via %s", o.IdentityProvider)
		}
		if o.AuthorizationURL != "" {
			fmt.Fprintf(&b, ", authorize %s", o.AuthorizationURL)
		}
		if o.TokenURL != "" {
			fmt.Fprintf(&b, ", token %s", o.TokenURL)
		}
		if len(o.Scopes) > 0 {
			fmt.Fprintf(&b, ", scopes %s", strings.Join(o.Scopes, " "))
		}
	case connector.AuthConnectionParams:
		b.WriteString("no credential scheme; connection parameters only")
	default:
		b.WriteString("none")
	}
	var names []string
	for _, p := range s.Parameters {
		n := p.Name + ":" + p.Type
		if p.Synthetic {
			n += " (not declared; derived from securityDefinitions)"
		}
		names = append(names, n)
	}
	if len(names) > 0 {
		fmt.Fprintf(&b, "; parameters %s", strings.Join(names, ", "))
	}
	return b.String()
}

func policyParams(p connector.Policy) string {
	keys := make([]string, 0, len(p.Parameters))
	for k := range p.Parameters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%v", k, p.Parameters[k]))
	}
	return trunc(strings.Join(parts, " "), 120)
}

func triggerCell(o *connector.Operation) string {
	if o.Trigger == nil {
		return "-"
	}
	return string(o.Trigger.Kind) + "/" + o.Trigger.Cardinality
}

func dynamicCell(o *connector.Operation) string {
	if len(o.Dynamic) == 0 {
		return "-"
	}
	var parts []string
	seen := map[string]bool{}
	for _, d := range o.Dynamic {
		s := string(d.Kind) + "→" + d.OperationID
		if d.OperationID == "" {
			s = string(d.Kind) + "→" + d.Capability
		}
		if !seen[s] {
			seen[s] = true
			parts = append(parts, s)
		}
	}
	return trunc(strings.Join(parts, " "), 60)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func trunc(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func firstOr(s []string, d string) string {
	if len(s) > 0 && s[0] != "" {
		return s[0]
	}
	return d
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
