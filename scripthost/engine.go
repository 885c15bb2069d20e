package scripthost

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// InstallHint says how to get the host's engine on Debian/Ubuntu.
const InstallHint = "install Mono and Newtonsoft.Json: sudo apt-get install -y --no-install-recommends mono-devel libnewtonsoft-json-cil-dev (or run 'make deps')"

// ErrUnavailable is returned (wrapped) when Mono, a C# compiler or
// Newtonsoft.Json is missing.
var ErrUnavailable = errors.New("the custom-code host is not available")

// Engine is the toolchain the host compiles and runs scripts with.
type Engine struct {
	// Mono runs the compiled assembly.
	Mono string
	// Compiler is mcs or csc.
	Compiler string
	// Newtonsoft is the path of Newtonsoft.Json.dll referenced at compile
	// time (the run time finds it in the GAC or beside the assembly).
	Newtonsoft string
}

// newtonsoftGlobs are where Debian's libnewtonsoft-json-cil-dev puts the
// assembly, best first.
var newtonsoftGlobs = []string{
	"/usr/lib/mono/gac/Newtonsoft.Json/*/Newtonsoft.Json.dll",
	"/usr/lib/cli/Newtonsoft.Json*/Newtonsoft.Json.dll",
	"/usr/lib/mono/*/Newtonsoft.Json.dll",
	"/usr/local/lib/mono/gac/Newtonsoft.Json/*/Newtonsoft.Json.dll",
}

// FindEngine looks up mono, a C# compiler (mcs first, then csc) and
// Newtonsoft.Json.dll. The error wraps ErrUnavailable and carries
// InstallHint.
func FindEngine() (Engine, error) {
	var e Engine
	var missing []string
	if p, err := exec.LookPath("mono"); err == nil {
		e.Mono = p
	} else {
		missing = append(missing, "mono")
	}
	for _, c := range []string{"mcs", "csc"} {
		if p, err := exec.LookPath(c); err == nil {
			e.Compiler = p
			break
		}
	}
	if e.Compiler == "" {
		missing = append(missing, "a C# compiler (mcs or csc)")
	}
	if p := os.Getenv("CONNECTORLAB_NEWTONSOFT_DLL"); p != "" {
		if _, err := os.Stat(p); err == nil {
			e.Newtonsoft = p
		}
	}
	for _, g := range newtonsoftGlobs {
		if e.Newtonsoft != "" {
			break
		}
		m, _ := filepath.Glob(g)
		sort.Sort(sort.Reverse(sort.StringSlice(m))) // newest version directory first
		if len(m) > 0 {
			e.Newtonsoft = m[0]
		}
	}
	if e.Newtonsoft == "" {
		missing = append(missing, "Newtonsoft.Json.dll")
	}
	if len(missing) > 0 {
		return e, fmt.Errorf("%w: %s not found; %s", ErrUnavailable, strings.Join(missing, ", "), InstallHint)
	}
	return e, nil
}
