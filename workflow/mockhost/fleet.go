package mockhost

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/connectorlab/connectorlab/internal/hostcheck"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/connectorlab/connectorlab/workflow"
	"github.com/connectorlab/connectorlab/workflow/recorder"
)

// Fleet is the mocks `connectorlab mock` serves together: one port per
// connector from Port on, or all on one port under /{slug}/ (Prefix).
type Fleet struct {
	Host   string
	Port   int
	Prefix bool
	// AllowHosts are Host names answered besides the bind address and
	// loopback names (DNS rebinding defence).
	AllowHosts []string
	Log        *slog.Logger
	Served     []*Served
	lns        []fleetListener
	seen       map[string]int
	closed     bool
}

type fleetListener struct {
	ln net.Listener
	h  http.Handler
}

// Served is one connector of a Fleet.
type Served struct {
	Path string
	// Slug is the connector's URL prefix with Prefix (unique in the fleet).
	Slug     string
	URL      string
	Unit     *Unit
	Attached *Attached
}

// Add builds the mock of c (loaded from path) with o.
func (f *Fleet) Add(path string, c *connector.Connector, o mock.Options, a *Attached) error {
	u, err := NewUnit(c, o)
	if err != nil {
		return &workflow.Error{Kind: workflow.KindUsage, Message: "cannot mock " + c.Name + ": " + err.Error(), Fix: "fix the definition (see connectorlab validate) and start again", Err: err}
	}
	slug := recorder.Slug(c.Name)
	if f.seen == nil {
		f.seen = map[string]int{}
	}
	f.seen[slug]++
	if n := f.seen[slug]; n > 1 {
		slug = fmt.Sprintf("%s-%d", slug, n)
	}
	f.Served = append(f.Served, &Served{Path: path, Slug: slug, Unit: u, Attached: a})
	return nil
}

// Connectors are the served definitions.
func (f *Fleet) Connectors() []*connector.Connector {
	out := make([]*connector.Connector, len(f.Served))
	for i, s := range f.Served {
		out[i] = s.Unit.Connector()
	}
	return out
}

// Listen opens the ports and sets every Served's URL.
func (f *Fleet) Listen() error {
	listen := func(port int) (net.Listener, error) {
		ln, err := mock.Listen(f.Host, port)
		if err != nil {
			f.closeListeners()
			return nil, &workflow.Error{Kind: workflow.KindInfra, Message: err.Error(), Fix: "pick another port, or 0 for free ports", Err: err}
		}
		return ln, nil
	}
	if f.Prefix || len(f.Served) == 1 {
		ln, err := listen(f.Port)
		if err != nil {
			return err
		}
		var h http.Handler = f.Served[0].Unit
		if f.Prefix {
			h = PrefixMux(f.Served)
		}
		f.lns = append(f.lns, fleetListener{ln, h})
		for _, s := range f.Served {
			s.URL = "http://" + ln.Addr().String()
			if f.Prefix {
				s.URL += "/" + s.Slug
			}
		}
		return nil
	}
	for i, s := range f.Served {
		port := f.Port
		if port != 0 {
			port += i
		}
		ln, err := listen(port)
		if err != nil {
			return err
		}
		f.lns = append(f.lns, fleetListener{ln, s.Unit})
		s.URL = "http://" + ln.Addr().String()
	}
	return nil
}

func (f *Fleet) closeListeners() {
	for _, l := range f.lns {
		l.ln.Close()
	}
	f.lns = nil
}

// Watch reloads every served connector when its files change (see
// Watch) until ctx is done.
func (f *Fleet) Watch(ctx context.Context, load Loader, report func(s *Served, c *connector.Connector, err error)) {
	for _, s := range f.Served {
		StartWatch(ctx, s.Unit, s.Path, load, func(c *connector.Connector, err error) { report(s, c, err) })
	}
}

// Serve serves until ctx is done, then lets in-flight requests finish
// (up to 5s), stops the mocks and ends their recorded sessions.
func (f *Fleet) Serve(ctx context.Context) error {
	log := f.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var wg sync.WaitGroup
	errc := make(chan error, len(f.lns))
	for _, l := range f.lns {
		// Only requests addressed to this listener are answered: a web page
		// rebinding its own name to 127.0.0.1 is refused (DNS rebinding).
		srv := mock.NewHTTPServer(hostcheck.Policy{Bind: l.ln.Addr(), Names: f.AllowHosts}.Handler(l.h), log)
		wg.Add(1)
		go func(ln net.Listener) {
			defer wg.Done()
			if err := mock.Serve(ctx, srv, ln, 5*time.Second); err != nil {
				errc <- err
			}
		}(l.ln)
	}
	wg.Wait()
	close(errc)
	err := <-errc
	if cerr := f.Close(context.WithoutCancel(ctx)); err == nil {
		err = cerr
	}
	if err != nil {
		return &workflow.Error{Kind: workflow.KindInfra, Message: err.Error(), Err: err}
	}
	return nil
}

// Close stops the mocks and ends their recorded sessions.
func (f *Fleet) Close(ctx context.Context) error {
	f.closeListeners()
	if f.closed {
		return nil
	}
	f.closed = true
	var first error
	for _, s := range f.Served {
		s.Unit.Close()
		if err := s.Attached.End(ctx); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// PrefixMux serves several connectors under /{slug}/ on one port; any
// other path lists them.
func PrefixMux(served []*Served) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, "/")
		name, rest, _ := strings.Cut(p, "/")
		for _, s := range served {
			if s.Slug == name {
				r2 := r.Clone(r.Context())
				// The mock puts the prefix back into the URLs it hands out.
				r2.Header.Set("X-Forwarded-Prefix", strings.TrimSuffix(r.Header.Get("X-Forwarded-Prefix"), "/")+"/"+s.Slug)
				r2.URL.Path = "/" + rest
				if r.URL.RawPath != "" {
					_, rawRest, _ := strings.Cut(strings.TrimPrefix(r.URL.RawPath, "/"), "/")
					r2.URL.RawPath = "/" + rawRest
				}
				s.Unit.ServeHTTP(w, r2)
				return
			}
		}
		type entry struct {
			Name   string `json:"name"`
			Prefix string `json:"prefix"`
		}
		list := []entry{}
		for _, s := range served {
			list = append(list, entry{s.Unit.Connector().Name, "/" + s.Slug + "/"})
		}
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"type": mock.ProblemTypeBase + "no-connector", "title": "No such connector", "status": 404,
			"detail": "the first path segment names the connector; see connectors", "connectors": list,
		})
	})
}

// Banner says where s is served and gives a request to try.
func (s *Served) Banner() []string {
	srv := s.Unit.Server()
	c := srv.Connector()
	out := []string{fmt.Sprintf("Mocking %s (%d operations) at %s", c.Name, len(c.Operations), s.URL)}
	if c.CustomCode != nil {
		out = append(out, "  note: this connector has custom code (script.csx); it is not executed, responses come from the definition")
	}
	if ex := ExampleRequest(srv, s.URL); ex != "" {
		out = append(out, "  try: "+ex)
	}
	return out
}

// ExampleRequest is a ready-to-paste curl command for the connector's
// most typical read: a visible GET by id, else any visible GET, else the
// first operation, built by package probe (credentials the mock accepts
// included).
func ExampleRequest(s *mock.Server, base string) string {
	c := s.Connector()
	score := func(op *connector.Operation) int {
		n := 0
		if op.Method == http.MethodGet {
			n += 4
		}
		if op.Trigger == nil && op.Visibility != connector.VisibilityInternal {
			n += 2
		}
		if strings.Contains(op.Path, "{") {
			n++
		}
		return n
	}
	var pick *connector.Operation
	for _, op := range c.Operations {
		if pick == nil || score(op) > score(pick) {
			pick = op
		}
	}
	if pick == nil {
		return ""
	}
	// A bearer token the mock itself issued (valid for AccessTokenTTL): the
	// probe's placeholder token is refused by an OAuth 2.0 connector's mock.
	cr := probe.Credentials{BearerToken: s.IssueToken("mock-user", "")}
	req, err := probe.New(c, probe.Options{Seed: 1, Credentials: cr}).Build(pick)
	if err != nil {
		return ""
	}
	return req.Curl(base)
}
