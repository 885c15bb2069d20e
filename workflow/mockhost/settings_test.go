package mockhost

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/workflow"
	"github.com/connectorlab/connectorlab/workflow/faults"
)

const sample = "../../examples/contoso-orders"

func loadSample(t *testing.T) *connector.Connector {
	t.Helper()
	c, err := (&connector.Loader{}).Load(context.Background(), sample)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSettingsOptions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	okCfg := write("ok.json", `{"schemaVersion": 1, "faults": {"latency": "1s", "errorRate": 0.5, "errorStatus": 503, "operations": {"GetOrder": {"throttle": "5/10s"}}}}`)
	tests := []struct {
		name string
		s    Settings
		want string // "" = no error
	}{
		{"defaults", Settings{}, ""},
		{"auth off", Settings{Auth: "off"}, ""},
		{"bad auth", Settings{Auth: "maybe"}, `auth "maybe"`},
		{"bad log format", Settings{LogFormat: "xml"}, `log format "xml"`},
		{"negative body", Settings{MaxBodyMB: -1}, "negative"},
		{"bad latency", Settings{Faults: faults.Spec{Latency: "soon"}}, `latency "soon"`},
		{"bad error rate", Settings{Faults: faults.Spec{ErrorRate: 2}}, "not a share"},
		{"missing config", Settings{ConfigFile: filepath.Join(dir, "none.json")}, "config"},
		{"unknown field", Settings{ConfigFile: write("u.json", `{"schemaVersion": 1, "fault": {}}`)}, "unknown field"},
		{"schema version", Settings{ConfigFile: write("v.json", `{"schemaVersion": 2}`)}, "schemaVersion is 2"},
		{"resources need stateful", Settings{ConfigFile: write("r.json", `{"schemaVersion": 1, "resources": [{"collection": "/orders", "item": "/orders/{id}", "idField": "id"}]}`)}, "only apply with --stateful"},
		{"config ok", Settings{ConfigFile: okCfg}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.s.Options()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || workflow.KindOf(err) != workflow.KindUsage {
				t.Fatalf("err = %v (kind %v), want a usage error containing %q", err, workflow.KindOf(err), tt.want)
			}
		})
	}
	// The flags win over the file; the file's per-operation faults stay.
	o, err := Settings{ConfigFile: okCfg, Faults: faults.Spec{Latency: "10ms"}}.Options()
	if err != nil {
		t.Fatal(err)
	}
	if o.Faults.Latency != 10*time.Millisecond || o.Faults.ErrorRate != 0.5 || o.Faults.ErrorStatus != 503 || o.Faults.Operations["GetOrder"].Throttle != 5 {
		t.Errorf("merged faults = %+v", o.Faults)
	}
	var log bytes.Buffer
	o, _ = Settings{LogFormat: "json", LogTo: &log, Auth: "off"}.Options()
	if o.Sink == nil || !o.DisableAuth {
		t.Errorf("options = %+v", o)
	}
}

func TestCheckFaultOperationsSuggestsTheClosestOperation(t *testing.T) {
	t.Parallel()
	c := loadSample(t)
	f, _ := faults.Spec{Operations: map[string]faults.Spec{"GetOrdr": {Latency: "1s"}}}.Parse()
	err := CheckFaultOperations("--config x.json", f, []*connector.Connector{c})
	if err == nil || !strings.Contains(err.Error(), `did you mean "GetOrder"?`) || !strings.HasPrefix(err.Error(), "--config x.json: ") {
		t.Fatalf("err = %v", err)
	}
	f, _ = faults.Spec{Operations: map[string]faults.Spec{"GetOrder": {Latency: "1s"}}}.Parse()
	if err := CheckFaultOperations("", f, []*connector.Connector{c}); err != nil {
		t.Fatal(err)
	}
}

func TestCheckListen(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		host   string
		remote bool
		port   int
		n      int
		ok     bool
	}{
		{"127.0.0.1", false, 4010, 1, true},
		{"127.0.0.1", false, 0, 5, true},
		{"127.0.0.1", false, 65535, 2, false},
		{"127.0.0.1", false, -1, 1, false},
		{"127.0.0.1", false, 70000, 1, false},
		{"0.0.0.0", false, 0, 1, false},
		{"0.0.0.0", true, 0, 1, true},
	} {
		if err := CheckListen(tt.host, tt.remote, tt.port, tt.n); (err == nil) != tt.ok {
			t.Errorf("CheckListen(%s, %v, %d, %d) = %v", tt.host, tt.remote, tt.port, tt.n, err)
		}
	}
}

func TestModesCheck(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		m         Modes
		replaying bool
		n         int
		want      string
	}{
		{"nothing", Modes{}, false, 3, ""},
		{"session without replay", Modes{Session: "s"}, false, 1, "only apply when replaying"},
		{"fallback and spy", Modes{Fallback: true, Spy: "https://x.example"}, true, 1, "choose one"},
		{"session for several", Modes{Session: "s"}, true, 2, "one connector"},
		{"bad spy", Modes{Spy: "ftp://x"}, true, 1, "not the live API's base URL"},
		{"spy with credentials", Modes{Spy: "https://u:p@x.example"}, true, 1, "user:password"},
		{"good spy", Modes{Spy: "https://x.example/v1"}, true, 1, ""},
	} {
		err := tt.m.Check(tt.replaying, tt.n)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestFilesOpenRefusesAMissingReplayFile(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "none.db")
	m := &Modes{}
	if _, err := (Files{Replay: db}).Open(context.Background(), m, nil); err == nil || workflow.KindOf(err) != workflow.KindUsage {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("%s was created", db)
	}
}
