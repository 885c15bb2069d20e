package mockhost

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/spelling"
	"github.com/connectorlab/connectorlab/workflow"
	"github.com/connectorlab/connectorlab/workflow/faults"
)

// Settings are a mock's options as a front door holds them: the flags of
// `connectorlab mock` or the Mock screen's form. Options turns them into
// mock.Options with the one set of defaults and rules.
type Settings struct {
	Seed uint64
	// NoValidation answers requests that break the definition.
	NoValidation bool
	// Auth is "on" (also "") or "off".
	Auth     string
	Stateful bool
	// LogFormat is the traffic log written to LogTo: text, json or off
	// ("" is off).
	LogFormat string
	LogTo     io.Writer
	// ConfigFile is a JSON file with stateful resources and faults; the
	// faults given here win over the file's.
	ConfigFile  string
	Faults      faults.Spec
	MaxBodyMB   int
	Credentials mock.Credentials
	Log         *slog.Logger
	// CORSOrigins may make state-changing cross-origin requests ("*":
	// any); pages on loopback always may, others only read.
	CORSOrigins []string
	// MaxStoreMB and MaxItems bound the --stateful store (0: defaults).
	MaxStoreMB, MaxItems int
}

// Config is the --config file.
type Config struct {
	SchemaVersion int             `json:"schemaVersion"`
	Resources     []mock.Resource `json:"resources,omitempty"`
	Faults        *faults.Spec    `json:"faults,omitempty"`
}

// CredentialsEnv are the environment variables of the only credentials a
// mock accepts (unset: any well-formed value is accepted).
var credentialsEnv = [...]string{"CONNECTORLAB_MOCK_API_KEY", "CONNECTORLAB_MOCK_USERNAME", "CONNECTORLAB_MOCK_PASSWORD", "CONNECTORLAB_MOCK_CLIENT_ID", "CONNECTORLAB_MOCK_CLIENT_SECRET"}

// CredentialsHelp names the credentials variables for a usage text.
func CredentialsHelp() string { return strings.Join(credentialsEnv[:], ", ") }

// CredentialsFromEnv reads the CONNECTORLAB_MOCK_* credentials with
// getenv (os.Getenv).
func CredentialsFromEnv(getenv func(string) string) mock.Credentials {
	v := func(i int) string { return getenv(credentialsEnv[i]) }
	return mock.Credentials{APIKey: v(0), Username: v(1), Password: v(2), ClientID: v(3), ClientSecret: v(4)}
}

// Options validates s and returns the mock options it means.
func (s Settings) Options() (mock.Options, error) {
	o := mock.Options{Seed: s.Seed, DisableValidation: s.NoValidation, Stateful: s.Stateful, Credentials: s.Credentials, Log: s.Log}
	if s.MaxBodyMB < 0 {
		return o, workflow.Usage(fmt.Sprintf("max-body %d MiB is negative", s.MaxBodyMB), "give the largest request body in MiB, or 0 for the default 10")
	}
	o.MaxBodyBytes = int64(s.MaxBodyMB) << 20
	for _, origin := range s.CORSOrigins {
		if origin == "*" {
			continue
		}
		if u, err := url.Parse(origin); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return o, workflow.Usage(fmt.Sprintf("cors-origin %q is not a web origin", origin), "give scheme and host (and port): https://app.example.com, or * for any")
		}
	}
	o.CORSOrigins = s.CORSOrigins
	if s.MaxStoreMB < 0 || s.MaxItems < 0 {
		return o, workflow.Usage("max-store-mb and max-items must be at least 1", "give the stateful store's size in MiB and resources per collection")
	}
	o.MaxStoreBytes, o.MaxItems = int64(s.MaxStoreMB)<<20, s.MaxItems // 0: mock.New's defaults
	switch s.Auth {
	case "", "on":
	case "off":
		o.DisableAuth = true
	default:
		return o, workflow.Usage(fmt.Sprintf("auth %q is neither on nor off", s.Auth), "use on or off")
	}
	switch s.LogFormat {
	case "", "off":
	case "text", "json":
		w := s.LogTo
		if w == nil {
			w = io.Discard
		}
		sink, _ := mock.NewLogSink(w, s.LogFormat)
		o.Sink = sink
	default:
		return o, workflow.Usage(fmt.Sprintf("log format %q is not known", s.LogFormat), "use text, json or off")
	}
	spec := s.Faults
	if s.ConfigFile != "" {
		cfg, err := ReadConfig(s.ConfigFile, s.Stateful)
		if err != nil {
			return o, err
		}
		o.Resources = cfg.Resources
		if cfg.Faults != nil {
			spec = spec.Over(*cfg.Faults)
		}
	}
	f, err := spec.Parse()
	if err != nil {
		return o, err
	}
	o.Faults = f
	return o, nil
}

// ReadConfig reads and checks a mock config file.
func ReadConfig(path string, stateful bool) (Config, error) {
	var cfg Config
	b, err := os.ReadFile(path)
	if err != nil {
		return cfg, &workflow.Error{Kind: workflow.KindUsage, Message: "config: " + err.Error(), Fix: "give the path of a readable JSON file", Err: err}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return cfg, &workflow.Error{Kind: workflow.KindUsage, Message: fmt.Sprintf("config %s: %v", path, err), Fix: "see docs/MOCK.md for the file's fields", Err: err}
	}
	if cfg.SchemaVersion != 1 {
		return cfg, workflow.Usage(fmt.Sprintf("config %s: schemaVersion is %d; this version of Connector Lab reads schemaVersion 1", path, cfg.SchemaVersion), `add "schemaVersion": 1`)
	}
	if len(cfg.Resources) > 0 && !stateful {
		return cfg, workflow.Usage(fmt.Sprintf("config %s: resources only apply with --stateful", path), "turn stateful on, or remove them")
	}
	return cfg, nil
}

// CheckFaultOperations refuses per-operation faults for an operationId
// none of cs has: a typo would otherwise leave the fault silently off.
// where names the faults' origin in the message (a config file).
func CheckFaultOperations(where string, f mock.Faults, cs []*connector.Connector) error {
	known := map[string]bool{}
	var ids []string
	for _, c := range cs {
		for _, op := range c.Operations {
			if !known[op.ID] {
				known[op.ID] = true
				ids = append(ids, op.ID)
			}
		}
	}
	names := make([]string, 0, len(f.Operations))
	for id := range f.Operations {
		names = append(names, id)
	}
	sort.Strings(names)
	for _, id := range names {
		if known[id] {
			continue
		}
		best, bestD := "", 1<<30
		for _, k := range ids {
			if d := spelling.Distance(strings.ToLower(id), strings.ToLower(k)); d < bestD {
				best, bestD = k, d
			}
		}
		fix := "use an operationId of the connector (connectorlab inspect lists them)"
		if best != "" && bestD <= 3 {
			fix = fmt.Sprintf("did you mean %q?", best)
		}
		msg := fmt.Sprintf("faults.operations.%s: no served connector has the operation %q", id, id)
		if where != "" {
			msg = where + ": " + msg
		}
		return &workflow.Error{Kind: workflow.KindUsage, Message: msg + "; " + fix}
	}
	return nil
}

// CheckListen checks where n mocks would listen: port (0 = free ports)
// and the n-1 ports after it must be ports, and host must be loopback
// unless allowRemote.
func CheckListen(host string, allowRemote bool, port, n int) error {
	if port < 0 || port > 65535 {
		return workflow.Usage(fmt.Sprintf("port %d is not a port", port), "use 1-65535, or 0 for free ports")
	}
	if port != 0 && port+n-1 > 65535 {
		return workflow.Usage(fmt.Sprintf("port %d: %d connectors need ports %d-%d, past 65535", port, n, port, port+n-1), "pick a lower port, or serve them on one port with a prefix")
	}
	if !mock.IsLoopback(host) && !allowRemote {
		return workflow.Usage("host "+host+" would expose the mock to the network", "add --allow-remote if you mean it")
	}
	return nil
}
