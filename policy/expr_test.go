package policy

import (
	"strings"
	"testing"
)

// describe renders a parsed template compactly for table tests.
func describe(t *Template) string {
	var parts []string
	for _, p := range t.Parts {
		switch {
		case p.Expr != nil:
			s := string(p.Expr.Func)
			if s == "" {
				s = "?" + p.Expr.Name
			}
			s += "(" + strings.Join(p.Expr.Args, ",") + ")"
			for _, a := range p.Expr.Path {
				s += a.String()
			}
			parts = append(parts, "E:"+s)
		case p.Placeholder != "":
			parts = append(parts, "P:"+p.Placeholder)
		default:
			parts = append(parts, "L:"+p.Lit)
		}
	}
	return strings.Join(parts, " | ")
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		mode Mode
		want string
	}{
		{"https://@connectionParameters('token:customHost')/3e/events", ModeText, "L:https:// | E:connectionparameters(token:customHost) | L:/3e/events"},
		{"@ConnectionParameters('hostUrl')/@ConnectionParameters('orgName')/api", ModeText, "E:connectionparameters(hostUrl) | L:/ | E:connectionparameters(orgName) | L:/api"},
		{"https://@connectionParameters('cat').abc.xyz", ModeText, "L:https:// | E:connectionparameters(cat) | L:.abc.xyz"},
		{"@connectionParameters('siteUrl','https://a.example')", ModeText, "E:connectionparameters(siteUrl,https://a.example)"},
		{"@connectionParameters('password', '')", ModeText, "E:connectionparameters(password,)"},
		{"@connectionParameters('api_key','');@connectionParameters('url','')", ModeText, "E:connectionparameters(api_key,) | L:; | E:connectionparameters(url,)"},
		{"Bearer @headers('Authorization')", ModeText, "L:Bearer  | E:headers(Authorization)"},
		{"https://@header('test123', 'default').abc", ModeText, "L:https:// | E:headers(test123,default) | L:.abc"},
		{"https://@queryParameters('hostname').atlassian.net/", ModeText, "L:https:// | E:queryparameters(hostname) | L:.atlassian.net/"},
		{"@{triggerBody().timestamp}", ModeText, "E:triggerbody().timestamp"},
		{"@{triggerBody().files[0].created}", ModeText, "E:triggerbody().files[0].created"},
		{"@triggerBody().submissions", ModeText, "E:triggerbody().submissions"},
		{"@Request.OriginalHTTPMethod", ModeText, "E:request.originalhttpmethod()"},
		{"@body().team.id", ModeText, "E:body().team.id"},
		{"{@body().firstName} {@body().lastName}", ModeText, "E:body().firstName | L:  | E:body().lastName"},
		{"https://graph.microsoft.com/v1.0/directoryObjects/{@body()['@odata.id']}", ModeText, "L:https://graph.microsoft.com/v1.0/directoryObjects/ | E:body()['@odata.id']"},
		{"'{@item()['id']}-{@item()['reference']}'", ModeText, "L:' | E:item().id | L:- | E:item().reference | L:'"},
		{"[{@body().gifts.payments}]", ModeText, "L:[ | E:body().gifts.payments | L:]"},
		{`["contract.created"]`, ModeText, `L:["contract.created"]`},
		{"/me/taskfolders('{folder_id}')/tasks", ModePath, "L:/me/taskfolders(' | P:folder_id | L:')/tasks"},
		{"/{service}/@connectionParameters('token:tenantId')/api/{entityType}", ModePath, "L:/ | P:service | L:/ | E:connectionparameters(token:tenantId) | L:/api/ | P:entityType"},
		{"/%40@connectionParameters('username')", ModePath, "L:/%40 | E:connectionparameters(username)"},
		{"/$schema/{questionnaire}", ModePath, "L:/$schema/ | P:questionnaire"},
		{"/measure-downloads/{measure-download-code}", ModePath, "L:/measure-downloads/ | P:measure-download-code"},
		{"/graphs/@queryParamters('graphID')/pixels", ModePath, "L:/graphs/ | E:?queryParamters(graphID) | L:/pixels"},
		// '@' that starts no expression is literal.
		{"@odata.nextLink", ModeText, "L:@odata.nextLink"},
		{"mail me@example.com", ModeText, "L:mail me@example.com"},
		{"a@@b", ModeText, "L:a@b"},
		{"{x}", ModeText, "L:{x}"},
		{"", ModeText, ""},
		{"'it''s'", ModeText, "L:'it''s'"},
		{"@headers('it''s')", ModeText, "E:headers(it's)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in, tt.mode)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if d := describe(got); d != tt.want {
				t.Errorf("got  %s\nwant %s", d, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"@connectionParameters('host'", "unterminated call"},
		{"@connectionParameters('host)", "unterminated string"},
		{"@connectionParameters(host)", "argument must be a quoted string"},
		{"@connectionParameters('a' 'b')", "expected ',' or ')'"},
		{"@{triggerBody().x", "missing '}'"},
		{"@{triggerBody() junk}", "expected '}'"},
		{"{@body()['x'}", "missing ']'"},
		{"@{}", "expected a function name"},
		{"@{body}", "expected '('"},
		{"@body()[x]", "expected a quoted key or an index"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := Parse(tt.in, ModeText)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded", tt.in)
			}
			var se *SyntaxError
			if !asSyntax(err, &se) {
				t.Fatalf("error %T is not a *SyntaxError", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.in) {
				t.Errorf("error %q should contain %q and the template", err, tt.want)
			}
		})
	}
}

func asSyntax(err error, se **SyntaxError) bool {
	s, ok := err.(*SyntaxError)
	*se = s
	return ok
}

func TestParsePath(t *testing.T) {
	tests := []struct {
		in   string
		root Func
		want string
	}{
		{"@body()", FuncBody, "@body()"},
		{"body()", FuncBody, "@body()"},
		{"@body().gifts", FuncBody, "@body().gifts"},
		{"@body().condition", FuncBody, "@body().condition"},
		{"@item().id", FuncItem, "@item().id"},
		{"@triggerBody().data", FuncTriggerBody, "@triggerBody().data"},
		{"topics", "", "topics"},
		{"['@odata.id']", "", "['@odata.id']"},
		{"a.b[0]", "", "a.b[0]"},
		{"null", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		p, err := ParsePath(tt.in)
		if err != nil {
			t.Errorf("ParsePath(%q): %v", tt.in, err)
			continue
		}
		if p.Root != tt.root || p.String() != tt.want {
			t.Errorf("ParsePath(%q) = root %q %q, want %q %q", tt.in, p.Root, p.String(), tt.root, tt.want)
		}
	}
	for _, bad := range []string{"@headers('x')", "@body().x junk", "@odata"} {
		if _, err := ParsePath(bad); err == nil {
			t.Errorf("ParsePath(%q) succeeded", bad)
		}
	}
}

// FuzzExpression: the parser never panics, and what it accepts renders
// back (String) to a template that parses to the same structure.
func FuzzExpression(f *testing.F) {
	for _, s := range []string{
		"https://@connectionParameters('token:customHost')/x", "@{triggerBody().files[0].created}",
		"{@body()['@odata.id']}", "/me/tasks('{task_id}')", "@Request.OriginalHTTPMethod", "a@@b",
		"[{@body().gifts}]", "@headers('a', 'b')", "@x(", "{@", "@{", "@body()[", "'{@item()['id']}'",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, path bool) {
		mode := ModeText
		if path {
			mode = ModePath
		}
		tpl, err := Parse(s, mode)
		if err != nil {
			return
		}
		again, err := Parse(tpl.String(), mode)
		if err != nil {
			t.Fatalf("rendering %q as %q does not parse: %v", s, tpl.String(), err)
		}
		if describe(again) != describe(tpl) {
			t.Fatalf("round trip of %q changed it:\n%s\n%s", s, describe(tpl), describe(again))
		}
		_, _ = ParsePath(s)
	})
}
