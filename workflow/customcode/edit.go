package customcode

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/scripthost"
	"github.com/connectorlab/connectorlab/workflow"
)

// MaxSource is the gateway's limit on script.csx.
const MaxSource = 1 << 20

// CompileReport is a script compiled as the editor saves it: the
// compiler's diagnostics (script.csx:line:col), or why it was not
// compiled (Available false: the host is missing, InstallHint says how to
// get it).
type CompileReport struct {
	File        string                  `json:"file"`
	Available   bool                    `json:"available"`
	InstallHint string                  `json:"installHint,omitempty"`
	OK          bool                    `json:"ok"`
	Kind        string                  `json:"kind,omitempty"`
	Diagnostics []scripthost.Diagnostic `json:"diagnostics"`
	Took        time.Duration           `json:"took"`
	Cached      bool                    `json:"cached"`
}

// Compile checks and compiles c's script.csx as it is on disk: the static
// checks (size, namespaces, the Script class) always, the compiler when
// the host is installed.
func Compile(ctx context.Context, c *connector.Connector, o Options) (CompileReport, error) {
	if c.CustomCode == nil {
		return CompileReport{}, workflow.Usage(c.Name+" has no custom code (no script.csx in the connector folder)", "add script.csx beside apiDefinition.swagger.json")
	}
	rep := CompileReport{File: c.CustomCode.File, Diagnostics: []scripthost.Diagnostic{}}
	src, err := scripthost.ReadSource(c.CustomCode.File)
	if err != nil {
		return rep, workflow.Usage(err.Error(), "check the connector folder's script.csx")
	}
	if ce := scripthost.Check(src); ce != nil {
		rep.Kind, rep.Diagnostics = ce.Kind, ce.Diagnostics
		if _, err := scripthost.FindEngine(); err != nil {
			rep.InstallHint = scripthost.InstallHint
		} else {
			rep.Available = true
		}
		return rep, nil
	}
	eng, err := scripthost.FindEngine()
	if err != nil {
		rep.InstallHint = scripthost.InstallHint
		rep.OK = true // nothing found wrong; not compiled
		return rep, nil
	}
	rep.Available = true
	asm, err := scripthost.Compile(ctx, eng, o.CacheDir, src)
	if err != nil {
		if ce, ok := scripthost.IsCompileError(err); ok {
			rep.Kind, rep.Diagnostics = ce.Kind, ce.Diagnostics
			return rep, nil
		}
		return rep, Error(err)
	}
	rep.OK, rep.Took, rep.Cached = true, asm.Took, asm.Cached
	rep.Diagnostics = append(rep.Diagnostics, asm.Warnings...)
	return rep, nil
}

// WriteScript replaces the script file with code (atomically: a crash
// leaves the old or the new file, never half of one), refusing code over
// the gateway's 1 MB.
func WriteScript(file, code string) error {
	if len(code) > MaxSource {
		return workflow.Usage(fmt.Sprintf("%s: the script is %d bytes, over the gateway's 1 MB", file, len(code)), "keep script.csx under 1 MB (the portal refuses larger)")
	}
	st, err := os.Stat(file)
	if err != nil {
		return &workflow.Error{Kind: workflow.KindInfra, Message: "cannot save " + file + ": " + err.Error(), Fix: "check that the connector folder still holds script.csx", Err: err}
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".script-*.csx")
	if err != nil {
		return &workflow.Error{Kind: workflow.KindInfra, Message: "cannot save " + file + ": " + err.Error(), Fix: "check that the connector folder is writable", Err: err}
	}
	_, werr := tmp.WriteString(code)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr, os.Chmod(tmp.Name(), st.Mode().Perm())); err != nil {
		os.Remove(tmp.Name())
		return &workflow.Error{Kind: workflow.KindInfra, Message: "cannot save " + file + ": " + err.Error(), Fix: "check the free space and permissions of the connector folder", Err: err}
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		os.Remove(tmp.Name())
		return &workflow.Error{Kind: workflow.KindInfra, Message: "cannot save " + file + ": " + err.Error(), Fix: "check that the connector folder is writable", Err: err}
	}
	return nil
}
