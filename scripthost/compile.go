package scripthost

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

//go:embed shim/shim.cs
var shimSource string

//go:embed shim/host.cs
var hostSource string

// MaxSource is the gateway's limit on a script's size: under 1 MB.
const MaxSource = 1 << 20

// Namespaces are the namespaces the gateway lets a script import
// ("Use custom code in a custom connector": supported namespaces), plus
// the gateway's own Microsoft.PowerPlatform.Connectors.CustomCode.CSharp
// that certified scripts import.
var Namespaces = []string{
	"System",
	"System.Collections",
	"System.Collections.Generic",
	"System.Diagnostics",
	"System.IO",
	"System.IO.Compression",
	"System.Linq",
	"System.Net",
	"System.Net.Http",
	"System.Net.Http.Headers",
	"System.Net.Security",
	"System.Security.Authentication",
	"System.Security.Cryptography",
	"System.Text",
	"System.Text.RegularExpressions",
	"System.Threading",
	"System.Threading.Tasks",
	"System.Web",
	"System.Xml",
	"System.Xml.Linq",
	"System.Drawing",
	"System.Drawing.Drawing2D",
	"System.Drawing.Imaging",
	"Microsoft.Extensions.Logging",
	"Newtonsoft.Json",
	"Newtonsoft.Json.Linq",
	"Microsoft.PowerPlatform.Connectors.CustomCode.CSharp",
}

// prelude are the using directives every script gets implicitly (the
// gateway compiles scripts that declare none): the common namespaces,
// without System.Drawing (its Image, Color... collide with scripts' own
// names). A script that wants another says so with its own using.
var prelude = []string{
	"System",
	"System.Collections.Generic",
	"System.Diagnostics",
	"System.IO",
	"System.Linq",
	"System.Net",
	"System.Net.Http",
	"System.Net.Http.Headers",
	"System.Security.Cryptography",
	"System.Text",
	"System.Text.RegularExpressions",
	"System.Threading",
	"System.Threading.Tasks",
	"System.Web",
	"System.Xml",
	"System.Xml.Linq",
	"Microsoft.Extensions.Logging",
	"Newtonsoft.Json",
	"Newtonsoft.Json.Linq",
}

// preludeAliases settle the names two prelude namespaces both declare,
// in favour of the one scripts mean.
var preludeAliases = []string{
	"Formatting = Newtonsoft.Json.Formatting",
	"WriteState = Newtonsoft.Json.WriteState",
}

// references are the framework assemblies a script may use.
var references = []string{"System", "System.Core", "System.Net.Http", "System.Web", "System.Xml", "System.Xml.Linq",
	"System.Drawing", "System.IO.Compression", "System.Runtime.Serialization", "Microsoft.CSharp"}

// Source is one script to compile.
type Source struct {
	// Name is how diagnostics name the file (usually its path).
	Name string
	Code []byte
}

// ReadSource reads a script file, refusing one over MaxSource.
func ReadSource(path string) (Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return Source{}, fmt.Errorf("read the script: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxSource+1))
	if err != nil {
		return Source{}, fmt.Errorf("read the script %s: %w", path, err)
	}
	return Source{Name: path, Code: b}, nil
}

// Diagnostic is one compiler message about the script.
type Diagnostic struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"` // error | warning
	Code     string `json:"code,omitempty"`
	Message  string `json:"message"`
}

func (d Diagnostic) String() string {
	code := ""
	if d.Code != "" {
		code = " " + d.Code
	}
	if d.Line == 0 {
		return fmt.Sprintf("%s: %s%s: %s", d.File, d.Severity, code, d.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s%s: %s", d.File, d.Line, d.Col, d.Severity, code, d.Message)
}

// CompileError is a script the gateway (or this host) would refuse.
type CompileError struct {
	File        string
	Diagnostics []Diagnostic // errors first, in source order
	// Kind classifies the first error: "size", "namespace", "class",
	// "language" (newer C# than the compiler knows), "api" (a type or
	// member the host's libraries lack), "syntax" or "other".
	Kind string
}

func (e *CompileError) Error() string {
	var b strings.Builder
	n := 0
	for _, d := range e.Diagnostics {
		if d.Severity != "error" {
			continue
		}
		if n == 5 {
			fmt.Fprintf(&b, "\n(and %d more errors)", e.errors()-5)
			break
		}
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.String())
		n++
	}
	if n == 0 {
		return e.File + ": the script does not compile"
	}
	return b.String()
}

func (e *CompileError) errors() int {
	n := 0
	for _, d := range e.Diagnostics {
		if d.Severity == "error" {
			n++
		}
	}
	return n
}

// Assembly is a compiled script.
type Assembly struct {
	// Path is the cached executable.
	Path string
	// Hash is sha256(script + shim), the cache key.
	Hash string
	// Warnings are the compiler's warnings about the script.
	Warnings []Diagnostic
	// Cached is true when the assembly came from the cache.
	Cached bool
	// Took is how long compiling (or the cache lookup) took.
	Took time.Duration
}

var (
	usingRe    = regexp.MustCompile(`^\s*using\s+(static\s+)?([A-Za-z_][\w.]*)\s*;`)
	aliasRe    = regexp.MustCompile(`^\s*using\s+[A-Za-z_]\w*\s*=\s*([A-Za-z_][\w.]*)`)
	classRe    = regexp.MustCompile(`\bclass\s+\w+\s*:\s*ScriptBase\b`)
	diagRe     = regexp.MustCompile(`^(.*?)\((\d+),(\d+)\): (error|warning) (CS\d+): (.*)$`)
	internalRe = regexp.MustCompile(`script\.csx\((\d+),(\d+)\)`)
	globalRe   = regexp.MustCompile(`^(error|warning) (CS\d+): (.*)$`)
)

// Check applies the gateway's static limits (size, one Script class,
// the namespace allow-list) without compiling.
func Check(src Source) *CompileError {
	name := src.Name
	if name == "" {
		name = "script.csx"
	}
	if len(src.Code) > MaxSource {
		return &CompileError{File: name, Kind: "size", Diagnostics: []Diagnostic{{File: name, Severity: "error",
			Message: fmt.Sprintf("the script is larger than the gateway's 1 MB limit (%d bytes); move code out or shorten it", len(src.Code))}}}
	}
	allowed := map[string]bool{}
	for _, n := range Namespaces {
		allowed[n] = true
	}
	code := stripBOM(src.Code)
	var diags []Diagnostic
	sc := bufio.NewScanner(bytes.NewReader(code))
	sc.Buffer(make([]byte, 64*1024), MaxSource+1)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if m := usingRe.FindStringSubmatch(text); m != nil && m[2] != "var" {
			ns := m[2]
			if m[1] != "" { // using static Type;
				ns = ns[:max(0, strings.LastIndex(ns, "."))]
			}
			if !allowed[ns] {
				col := strings.Index(text, m[2]) + 1
				diags = append(diags, Diagnostic{File: name, Line: line, Col: col, Severity: "error", Code: "namespace",
					Message: fmt.Sprintf("namespace %s is not supported by the Power Platform gateway (supported: System, System.Net.Http, Newtonsoft.Json, ... see docs/CUSTOM-CODE.md)", ns)})
			}
		} else if m := aliasRe.FindStringSubmatch(text); m != nil {
			if !underAllowed(m[1], allowed) {
				col := strings.Index(text, m[1]) + 1
				diags = append(diags, Diagnostic{File: name, Line: line, Col: col, Severity: "error", Code: "namespace",
					Message: fmt.Sprintf("%s is not in a namespace the Power Platform gateway supports", m[1])})
			}
		}
	}
	if len(diags) > 0 {
		return &CompileError{File: name, Kind: "namespace", Diagnostics: diags}
	}
	if !classRe.Match(code) {
		return &CompileError{File: name, Kind: "class", Diagnostics: []Diagnostic{{File: name, Severity: "error",
			Message: "no class deriving from ScriptBase: the gateway runs 'public class Script : ScriptBase' with 'public override async Task<HttpResponseMessage> ExecuteAsync()'"}}}
	}
	return nil
}

func underAllowed(name string, allowed map[string]bool) bool {
	for p := name; p != ""; {
		if allowed[p] {
			return true
		}
		i := strings.LastIndex(p, ".")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return false
}

func stripBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

// hashOf is the cache key of a script: sha256 over the shim, the host
// loop and the script.
func hashOf(code []byte) string {
	h := sha256.New()
	io.WriteString(h, shimSource)
	io.WriteString(h, hostSource)
	h.Write(code)
	return hex.EncodeToString(h.Sum(nil))
}

// Compile checks src and compiles it with the shim into dir (the cache),
// reusing an assembly already compiled from the same script and shim; an
// empty dir is DefaultCacheDir.
func Compile(ctx context.Context, e Engine, dir string, src Source) (*Assembly, error) {
	start := time.Now()
	if src.Name == "" {
		src.Name = "script.csx"
	}
	if dir == "" {
		dir = DefaultCacheDir()
	}
	if ce := Check(src); ce != nil {
		return nil, ce
	}
	code, rewrites := downlevel(stripBOM(src.Code), src.Name)
	hash := hashOf(code)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create the script cache %s: %w", dir, err)
	}
	out := filepath.Join(dir, hash+".exe")
	if _, err := os.Stat(out); err == nil {
		return &Assembly{Path: out, Hash: hash, Warnings: rewrites, Cached: true, Took: time.Since(start)}, nil
	}
	if err := ensureNewtonsoft(e, dir); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return nil, fmt.Errorf("create a build directory in %s: %w", dir, err)
	}
	defer os.RemoveAll(work)
	var sb strings.Builder
	for _, ns := range prelude {
		sb.WriteString("using " + ns + ";\n")
	}
	for _, a := range preludeAliases {
		sb.WriteString("using " + a + ";\n")
	}
	sb.WriteString("#line 1 \"script.csx\"\n")
	sb.Write(code)
	sb.WriteString("\n")
	files := map[string]string{"shim.cs": shimSource, "host.cs": hostSource, "script.cs": sb.String()}
	for n, s := range files {
		if err := os.WriteFile(filepath.Join(work, n), []byte(s), 0o600); err != nil {
			return nil, fmt.Errorf("write %s: %w", n, err)
		}
	}
	tmp := filepath.Join(work, "out.exe")
	args := []string{"-nologo", "-target:exe", "-out:" + tmp, "-nowarn:105,1998,168,219,414,649,169"}
	if strings.HasPrefix(filepath.Base(e.Compiler), "mcs") {
		args = append(args, "-langversion:latest")
	}
	for _, r := range references {
		args = append(args, "-r:"+r+".dll")
	}
	args = append(args, "-r:"+e.Newtonsoft, "shim.cs", "host.cs", "script.cs")
	cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cctx, e.Compiler, args...)
	cmd.Dir = work
	outb, runErr := cmd.CombinedOutput()
	diags, other := parseDiagnostics(string(outb), src.Name)
	var warnings []Diagnostic
	var errs []Diagnostic
	for _, d := range diags {
		if d.Severity == "error" {
			errs = append(errs, d)
		} else {
			warnings = append(warnings, d)
		}
	}
	if runErr != nil || len(errs) > 0 {
		if cctx.Err() != nil {
			return nil, fmt.Errorf("compile %s: the compiler did not finish in 2 minutes", src.Name)
		}
		if len(errs) == 0 && strings.Contains(string(outb), "InternalErrorException") {
			d := Diagnostic{File: src.Name, Severity: "error", Code: "mcs-internal", Message: "the Mono C# compiler crashed on this script (a compiler bug, not an error in the script; Roslyn, the gateway's compiler, accepts such code)"}
			if m := internalRe.FindStringSubmatch(string(outb)); m != nil {
				d.Line, _ = strconv.Atoi(m[1])
				d.Col, _ = strconv.Atoi(m[2])
			}
			return nil, &CompileError{File: src.Name, Kind: "engine", Diagnostics: []Diagnostic{d}}
		}
		if len(errs) == 0 {
			msg := strings.TrimSpace(strings.Join(other, "\n"))
			if msg == "" {
				msg = runErr.Error()
			}
			return nil, &CompileError{File: src.Name, Kind: "other", Diagnostics: []Diagnostic{{File: src.Name, Severity: "error", Message: "the compiler failed: " + msg}}}
		}
		return nil, &CompileError{File: src.Name, Kind: classify(errs[0]), Diagnostics: append(errs, warnings...)}
	}
	if err := os.Rename(tmp, out); err != nil {
		return nil, fmt.Errorf("store the compiled script in %s: %w", dir, err)
	}
	return &Assembly{Path: out, Hash: hash, Warnings: append(rewrites, warnings...), Took: time.Since(start)}, nil
}

// ensureNewtonsoft puts Newtonsoft.Json.dll beside the cached assemblies
// so the run time finds it even when it is not in the GAC.
func ensureNewtonsoft(e Engine, dir string) error {
	dst := filepath.Join(dir, "Newtonsoft.Json.dll")
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	b, err := os.ReadFile(e.Newtonsoft)
	if err != nil {
		return fmt.Errorf("read %s: %w", e.Newtonsoft, err)
	}
	f, err := os.CreateTemp(dir, "Newtonsoft.Json.dll.tmp*")
	if err != nil {
		return fmt.Errorf("copy Newtonsoft.Json.dll into the script cache: %w", err)
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		os.Remove(f.Name())
		return fmt.Errorf("copy Newtonsoft.Json.dll into the script cache: %w", errors.Join(werr, cerr))
	}
	return os.Rename(f.Name(), dst)
}

// parseDiagnostics turns compiler output into diagnostics on the script;
// lines about the shim or host (a bug of ours, or a script clashing with
// them) keep their own file name.
func parseDiagnostics(out, name string) ([]Diagnostic, []string) {
	var diags []Diagnostic
	var other []string
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimRight(l, "\r")
		if l == "" || strings.HasPrefix(l, "Compilation ") {
			continue
		}
		if m := diagRe.FindStringSubmatch(l); m != nil {
			file := m[1]
			if filepath.Base(file) == "script.csx" {
				file = name
			} else {
				file = "connectorlab-" + filepath.Base(file)
			}
			ln, _ := strconv.Atoi(m[2])
			col, _ := strconv.Atoi(m[3])
			diags = append(diags, Diagnostic{File: file, Line: ln, Col: col, Severity: m[4], Code: m[5], Message: m[6]})
			continue
		}
		if m := globalRe.FindStringSubmatch(l); m != nil {
			diags = append(diags, Diagnostic{File: name, Severity: m[1], Code: m[2], Message: m[3]})
			continue
		}
		other = append(other, l)
	}
	return diags, other
}

// classify names the kind of a compile error for reports.
func classify(d Diagnostic) string {
	switch d.Code {
	case "CS1644", "CS8025", "CS8026", "CS8107", "CS8059", "CS1617":
		return "language"
	case "CS0234", "CS0246", "CS0117", "CS1061", "CS0103", "CS1501", "CS1503", "CS0012", "CS0122":
		if strings.Contains(d.Message, "does not exist in the current context") {
			return "other"
		}
		return "api"
	case "CS1525", "CS1002", "CS1519", "CS1026", "CS1513", "CS1514", "CS1003", "CS1031", "CS1001", "CS8124", "CS1041", "CS1520":
		return "syntax"
	}
	return "other"
}

// IsCompileError reports whether err is a *CompileError, returning it.
func IsCompileError(err error) (*CompileError, bool) {
	var ce *CompileError
	ok := errors.As(err, &ce)
	return ce, ok
}
