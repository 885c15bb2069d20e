package scripthost

import "testing"

func TestDownlevel(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"using var r = await Send();", "      var r = await Send();"},
		{"if (x is not null) {", "if (x !=     null) {"},
		{"var n = o!.Name; f(a!, b!);", "var n = o .Name; f(a , b );"},
		{"string? s = null; List<JObject?> l;", "string  s = null; List<JObject > l;"},
		{`var s = "using var x; a!.b is not null";`, `var s = "using var x; a!.b is not null";`},
		{"// using var x\nusing (var y = z) {}", "// using var x\nusing (var y = z) {}"},
		{"var b = a != c; var t = ok ? x : y;", "var b = a != c; var t = ok ? x : y;"},
		{`var p = @"C:\x"" is not null";`, `var p = @"C:\x"" is not null";`},
		{"using\n    var r = x;", "     \n    var r = x;"},
		{`Log($"{req.RequestUri!}"); Log("{a!}");`, `Log($"{req.RequestUri }"); Log("{a!}");`},
		{"h.TryGetValues(\"x\",\n out var t) ? t : null;", "h.TryGetValues(\"x\",\n out IEnumerable<string> t) ? t : null;"},
		{"Dictionary<string, string[]> m = x; if (m.TryGetValue(k, out var v)) {}", "Dictionary<string, string[]> m = x; if (m.TryGetValue(k, out string[] v)) {}"},
		{"class Layer {} public Layer? Src { get; set; } int? n = null;", "class Layer {} public Layer  Src { get; set; } int? n = null;"},
	}
	for _, c := range cases {
		got, warns := downlevel([]byte(c.in), "s.csx")
		if string(got) != c.want {
			t.Errorf("downlevel(%q) = %q, want %q", c.in, got, c.want)
		}
		if (c.in != c.want) != (len(warns) > 0) {
			t.Errorf("downlevel(%q): warnings %v", c.in, warns)
		}
	}
}
