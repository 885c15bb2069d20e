package customcode

import (
	"context"
	"fmt"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/scripthost"
)

// Finding IDs of the custom-code checks (validate).
const (
	FindingTooLarge  = "script-too-large"     // error: over the gateway's 1 MB
	FindingNamespace = "script-namespace"     // error: a using outside the gateway's list
	FindingNoClass   = "script-no-class"      // error: no class deriving from ScriptBase
	FindingCompile   = "script-compile-error" // error: the compiler refuses the script
	FindingEngine    = "script-engine-limit"  // warning: refused by Mono (C# 8+, a compiler crash, an API Mono lacks), likely fine in the portal
	FindingRewritten = "script-rewritten"     // info: a C# 8/9 construct rewritten for Mono
	FindingNotRun    = "script-not-checked"   // info: the host is missing, only the static checks ran
)

// Findings checks c's script as the portal would when it is saved: size,
// namespaces and the Script class always; compiling too when the host is
// available and mode is not off.
func Findings(ctx context.Context, c *connector.Connector, o Options) []connector.Finding {
	if c.CustomCode == nil {
		return nil
	}
	file := c.CustomCode.File
	src, err := scripthost.ReadSource(file)
	if err != nil {
		return []connector.Finding{{ID: FindingCompile, Level: connector.LevelError, File: file, Message: err.Error(), Fix: "make script.csx readable"}}
	}
	if ce := scripthost.Check(src); ce != nil {
		return compileFindings(ce)
	}
	if o.Mode == Off {
		return nil
	}
	eng, err := scripthost.FindEngine()
	if err != nil {
		return []connector.Finding{{ID: FindingNotRun, Level: connector.LevelInfo, File: file,
			Message: "the script was not compiled: " + err.Error(), Fix: scripthost.InstallHint}}
	}
	asm, err := scripthost.Compile(ctx, eng, o.CacheDir, src)
	if err != nil {
		if ce, ok := scripthost.IsCompileError(err); ok {
			return compileFindings(ce)
		}
		return []connector.Finding{{ID: FindingNotRun, Level: connector.LevelInfo, File: file, Message: "the script was not compiled: " + err.Error()}}
	}
	var out []connector.Finding
	for _, w := range asm.Warnings {
		if w.Code == "downlevel" {
			out = append(out, connector.Finding{ID: FindingRewritten, Level: connector.LevelInfo, File: w.File, Line: w.Line, Col: w.Col, Message: w.Message,
				Fix: "fine for the portal; the local host runs the rewritten form"})
		}
	}
	return out
}

func compileFindings(ce *scripthost.CompileError) []connector.Finding {
	id, level, fix := FindingCompile, connector.LevelError, "fix the script: the portal refuses code that does not compile"
	switch ce.Kind {
	case "size":
		id, fix = FindingTooLarge, "keep script.csx under 1 MB"
	case "namespace":
		id, fix = FindingNamespace, "use only the namespaces the gateway supports (docs/CUSTOM-CODE.md)"
	case "class":
		id, fix = FindingNoClass, "declare 'public class Script : ScriptBase' with ExecuteAsync"
	case "engine", "syntax", "language", "api":
		id, level, fix = FindingEngine, connector.LevelWarning, "the local host (Mono, C# 7.x, Newtonsoft.Json 6) cannot run this; the portal may accept it. Rewrite the construct to run it locally"
	}
	var out []connector.Finding
	for _, d := range ce.Diagnostics {
		if d.Severity != "error" {
			continue
		}
		msg := d.Message
		if d.Code != "" && d.Code != "namespace" {
			msg = fmt.Sprintf("%s %s", d.Code, d.Message)
		}
		out = append(out, connector.Finding{ID: id, Level: level, File: d.File, Line: d.Line, Col: d.Col, Message: msg, Fix: fix})
		if len(out) == 10 {
			break
		}
	}
	return out
}
