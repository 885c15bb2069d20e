package create

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/connector/jsontext"
	"github.com/connectorlab/connectorlab/connector/postman"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/workflow"
	"github.com/connectorlab/connectorlab/workflow/exchanges"
)

// Blank is the From value of an empty connector.
const Blank = "blank"

// Request says what to create.
type Request struct {
	// From is a file (OpenAPI 3 JSON/YAML, Swagger 2.0, Postman v1/v2,
	// HAR, a connector folder), Blank, or a session name/#id when Store is
	// set.
	From string
	// Store holds the recordings when From names a session.
	Store recordings.Store
	// StoreFile names the database in findings.
	StoreFile string
	Options   authoring.Options
	// MaxBytes limits input files (0: the loader's default).
	MaxBytes int64
	Log      *slog.Logger
}

// Result is the folder to write plus how it was made.
type Result struct {
	Folder *authoring.Folder
	// Source says what the input was: blank, openapi3, swagger2, postman,
	// postman-v1, har, session.
	Source string
	// Operations is the number of operations in the definition.
	Operations int
}

// New builds a connector folder from r.From.
func New(ctx context.Context, r Request) (*Result, error) {
	if r.Options.Auth != "" && !validAuth(r.Options.Auth) {
		return nil, workflow.Usage(fmt.Sprintf("--auth %q is not a known kind", r.Options.Auth), "use one of "+strings.Join(authoring.AuthKinds, ", "))
	}
	if r.Options.ServicePrincipal && r.Options.Auth != authoring.AuthAAD {
		return nil, workflow.Usage("--service-principal needs --auth aad", "add --auth aad (Microsoft Entra ID)")
	}
	src, kind, err := source(ctx, r)
	if err != nil {
		return nil, err
	}
	f, err := authoring.Build(src, r.Options)
	if err != nil {
		return nil, &workflow.Error{Kind: workflow.KindUsage, Message: err.Error(), Err: err}
	}
	res := &Result{Folder: f, Source: kind}
	for _, item := range asMap(f.Definition["paths"]) {
		for m := range asMap(item) {
			if m != "parameters" && !strings.HasPrefix(m, "x-") {
				res.Operations++
			}
		}
	}
	return res, nil
}

func validAuth(a string) bool {
	for _, k := range authoring.AuthKinds {
		if a == k {
			return true
		}
	}
	return false
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

func source(ctx context.Context, r Request) (*authoring.Source, string, error) {
	switch {
	case r.From == "":
		return nil, "", workflow.Usage("nothing to create from", "pass --from FILE, --from blank, or --from SESSION --db FILE")
	case r.From == Blank:
		title := r.Options.Name
		if title == "" {
			title = "New connector"
		}
		doc := blankDoc(title)
		return &authoring.Source{Doc: doc, File: Blank}, "blank", nil
	case r.Store != nil:
		sess, err := recordings.PickSession(ctx, r.Store, r.From, "")
		if err != nil {
			if errors.Is(err, recordings.ErrNotFound) {
				return nil, "", &workflow.Error{Kind: workflow.KindUsage, Message: fmt.Sprintf("%s has no session %q", r.StoreFile, r.From),
					Fix: "list them with 'connectorlab recordings ls --db " + r.StoreFile + "'", Err: err}
			}
			return nil, "", &workflow.Error{Kind: workflow.KindInfra, Message: err.Error(), Err: err}
		}
		xs, err := exchanges.All(ctx, r.Store, sess.ID)
		if err != nil {
			return nil, "", &workflow.Error{Kind: workflow.KindInfra, Message: err.Error(), Err: err}
		}
		title := r.Options.Name
		if title == "" {
			title = sess.Connector
		}
		src, err := fromTraffic(xs, title, fmt.Sprintf("%s#%s", r.StoreFile, sess.Name), &r.Options)
		return src, "session", err
	}
	st, err := os.Stat(r.From)
	if err != nil {
		return nil, "", &workflow.Error{Kind: workflow.KindUsage, Message: fmt.Sprintf("--from %s: %v", r.From, errText(err)),
			Fix: "pass an OpenAPI, Swagger, Postman or HAR file, a connector folder, 'blank', or a session with --db", Err: err}
	}
	if !st.IsDir() {
		limit := r.MaxBytes
		if limit <= 0 {
			limit = connector.DefaultMaxBytes
		}
		if st.Size() > limit {
			return nil, "", workflow.Usage(fmt.Sprintf("%s is %d MiB, over the %d MiB limit", r.From, st.Size()>>20, limit>>20), "raise it with --max-size")
		}
		data, err := os.ReadFile(r.From)
		if err != nil {
			return nil, "", &workflow.Error{Kind: workflow.KindInfra, Message: err.Error(), Err: err}
		}
		if root := jsonRoot(data); root != nil {
			switch {
			case strings.EqualFold(filepath.Ext(r.From), ".har") || isHAR(root):
				xs, skipped, err := recordings.ReadHAR(bytes.NewReader(data), recordings.Limits{})
				if err != nil {
					return nil, "", &workflow.Error{Kind: workflow.KindUsage, Message: fmt.Sprintf("%s: %v", r.From, err), Err: err}
				}
				for _, s := range skipped {
					logf(r.Log, "HAR entry skipped", "file", r.From, "reason", s)
				}
				src, err := fromTraffic(xs, r.Options.Name, r.From, &r.Options)
				return src, "har", err
			case authoring.IsPostmanV1(root):
				v2, err := authoring.UpgradePostmanV1(root)
				if err != nil {
					return nil, "", &workflow.Error{Kind: workflow.KindUsage, Message: fmt.Sprintf("%s: %v", r.From, err), Err: err}
				}
				src, err := fromPostman(v2, r.From)
				if src != nil {
					src.Findings = append(src.Findings, connector.Finding{ID: authoring.FixPostmanV1, Level: connector.LevelInfo, File: r.From,
						Message: "Postman collection v1 upgraded to v2.1 before conversion"})
				}
				return src, "postman-v1", err
			case IsMockoon(root):
				src, err := fromMockoon(root, r.From)
				return src, "mockoon", err
			}
		}
	}
	l := &connector.Loader{MaxBytes: r.MaxBytes}
	c, err := l.Load(ctx, r.From)
	if err != nil {
		return nil, "", &workflow.Error{Kind: workflow.KindUsage, Message: err.Error(), Err: err}
	}
	src, err := authoring.FromConnector(c)
	if err != nil {
		return nil, "", &workflow.Error{Kind: workflow.KindInfra, Message: err.Error(), Err: err}
	}
	return src, string(c.Format), nil
}

func logf(l *slog.Logger, msg string, args ...any) {
	if l != nil {
		l.Info(msg, args...)
	}
}

func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func jsonRoot(data []byte) map[string]any {
	norm, _, err := jsontext.Normalize(data, jsontext.Options{})
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(norm, &m) != nil {
		return nil
	}
	return m
}

func isHAR(root map[string]any) bool {
	log := asMap(root["log"])
	_, ok := log["entries"].([]any)
	return ok
}

func fromPostman(v2 []byte, file string) (*authoring.Source, error) {
	doc, warns, err := postman.Convert(v2)
	if err != nil {
		return nil, &workflow.Error{Kind: workflow.KindUsage, Message: fmt.Sprintf("%s: %v", file, err), Err: err}
	}
	src := &authoring.Source{Doc: doc, File: file}
	for _, w := range warns {
		src.Findings = append(src.Findings, connector.Finding{ID: w.ID, Level: connector.LevelWarning, File: file, Pointer: w.Pointer, Message: w.Message})
	}
	return src, nil
}

func fromTraffic(xs []*recordings.Exchange, title, file string, opts *authoring.Options) (*authoring.Source, error) {
	inf, err := Infer(xs, InferOptions{Title: title, File: file})
	if err != nil {
		return nil, &workflow.Error{Kind: workflow.KindUsage, Message: err.Error(), Fix: "record some traffic first ('connectorlab record')", Err: err}
	}
	if opts.Auth == "" && inf.Auth != "" {
		opts.Auth = inf.Auth
		if opts.APIKeyName == "" {
			opts.APIKeyName, opts.APIKeyIn = inf.APIKeyName, inf.APIKeyIn
		}
	}
	return &authoring.Source{Doc: inf.Doc, File: file, Findings: inf.Findings}, nil
}
