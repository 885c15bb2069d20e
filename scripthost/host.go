package scripthost

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultTimeout is the gateway's limit on one run of the script.
const DefaultTimeout = 5 * time.Second

// killGrace is how long past the timeout Go waits for the script's own
// cancellation before it kills the child.
const killGrace = 250 * time.Millisecond

// maxBody bounds a body a script's SendAsync receives.
const maxBody = 64 << 20

// SendFunc performs a request the script made with Context.SendAsync.
type SendFunc func(ctx context.Context, req *http.Request) (*http.Response, error)

// Options configure a Host. Zero values take the defaults noted.
type Options struct {
	// Engine is the toolchain; zero means FindEngine.
	Engine Engine
	// CacheDir holds compiled scripts; "" means DefaultCacheDir.
	CacheDir string
	// Timeout bounds one call, SendAsync included (0: DefaultTimeout).
	Timeout time.Duration
	// Send performs the script's SendAsync requests when a Call brings
	// none of its own; nil answers them with an error.
	Send   SendFunc
	Logger *slog.Logger
	// NoNetNamespace skips the network namespace even where available.
	NoNetNamespace bool
}

// DefaultCacheDir is the user's cache directory for compiled scripts.
func DefaultCacheDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		d = os.TempDir()
	}
	return filepath.Join(d, "connectorlab", "scripthost")
}

// Call is one run of the script.
type Call struct {
	OperationID   string
	CorrelationID string
	// Request is what the gateway hands the script: an absolute URL (the
	// backend's), the headers after auth and policies, the body.
	Request *http.Request
	// Send overrides Options.Send for this call.
	Send SendFunc
}

// LogLine is one line the script logged (Logger or Console).
type LogLine struct {
	Level   string        `json:"level"`
	Message string        `json:"message"`
	At      time.Duration `json:"at"` // since the call started
}

// Sent is one Context.SendAsync the script made.
type Sent struct {
	Method string      `json:"method"`
	URL    string      `json:"url"`
	Header http.Header `json:"header,omitempty"`
	Body   []byte      `json:"body,omitempty"`
	Status int         `json:"status,omitempty"`
	// RespHeader and RespBody are the answer before the script saw it.
	RespHeader http.Header   `json:"respHeader,omitempty"`
	RespBody   []byte        `json:"respBody,omitempty"`
	Error      string        `json:"error,omitempty"`
	Duration   time.Duration `json:"duration"`
}

// ScriptError says why a call produced no response of the script's own.
type ScriptError struct {
	// Kind is "exception" (the script threw), "timeout" or "host" (the
	// child could not run it).
	Kind    string `json:"kind"`
	Type    string `json:"type,omitempty"` // the .NET exception type
	Message string `json:"message"`
	Stack   string `json:"stack,omitempty"`
}

func (e *ScriptError) Error() string {
	if e.Type != "" {
		return e.Type + ": " + e.Message
	}
	return e.Message
}

// Result is the outcome of a call: the script's response, or what the
// gateway answers when it failed (Err set, Status 500/502/504).
type Result struct {
	Status   int           `json:"status"`
	Header   http.Header   `json:"header"`
	Body     []byte        `json:"body"`
	Logs     []LogLine     `json:"logs,omitempty"`
	Sends    []Sent        `json:"sends,omitempty"`
	Duration time.Duration `json:"duration"`
	Err      *ScriptError  `json:"error,omitempty"`
}

// Write sends the result to w.
func (r *Result) Write(w http.ResponseWriter) {
	h := w.Header()
	for k, vs := range r.Header {
		if hopHeader(k) {
			continue
		}
		h[k] = append([]string(nil), vs...)
	}
	h.Set("Content-Length", strconv.Itoa(len(r.Body)))
	w.WriteHeader(r.Status)
	w.Write(r.Body)
}

// Host runs one compiled script in a long-lived child process.
type Host struct {
	opts      Options
	asm       *Assembly
	log       *slog.Logger
	seq       atomic.Int64
	starts    atomic.Int64
	isolation atomic.Pointer[string]

	mu     sync.Mutex
	cur    *child
	closed bool
}

// New compiles src (or takes it from the cache) and starts its child.
func New(ctx context.Context, src Source, opts Options) (*Host, error) {
	if opts.Engine.Mono == "" {
		e, err := FindEngine()
		if err != nil {
			return nil, err
		}
		opts.Engine = e
	}
	if opts.CacheDir == "" {
		opts.CacheDir = DefaultCacheDir()
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	asm, err := Compile(ctx, opts.Engine, opts.CacheDir, src)
	if err != nil {
		return nil, err
	}
	h := &Host{opts: opts, asm: asm, log: log}
	c, err := h.spawn()
	if err != nil {
		return nil, err
	}
	h.cur = c
	return h, nil
}

// Assembly is the compiled script.
func (h *Host) Assembly() *Assembly { return h.asm }

// Timeout is the per-call limit in force.
func (h *Host) Timeout() time.Duration { return h.opts.Timeout }

// Starts is how many child processes were started (1 + restarts).
func (h *Host) Starts() int { return int(h.starts.Load()) }

// Isolation describes how the child is confined.
func (h *Host) Isolation() string {
	if p := h.isolation.Load(); p != nil {
		return *p
	}
	return ""
}

// Close stops the child.
func (h *Host) Close() error {
	h.mu.Lock()
	h.closed = true
	c := h.cur
	h.cur = nil
	h.mu.Unlock()
	if c != nil {
		c.kill(errors.New("the script host was closed"))
	}
	return nil
}

// live returns the running child, starting one when there is none.
func (h *Host) live() (*child, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, errors.New("the script host was closed")
	}
	if h.cur != nil && !h.cur.isDead() {
		return h.cur, nil
	}
	c, err := h.spawn()
	if err != nil {
		return nil, err
	}
	h.cur = c
	return c, nil
}

// restart kills c (if it is still current) and starts a fresh child in
// the background so the next call does not pay the cold start.
func (h *Host) restart(c *child, why error) {
	c.kill(why)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cur != c || h.closed {
		return
	}
	h.cur = nil
	if n, err := h.spawn(); err == nil {
		h.cur = n
	} else {
		h.log.Warn("script host restart failed", "err", err)
	}
}

// spawn starts a child and waits for its ready frame.
func (h *Host) spawn() (*child, error) {
	mkcmd := func() *exec.Cmd {
		cmd := exec.Command(h.opts.Engine.Mono, "--debug", h.asm.Path)
		cmd.Dir = h.opts.CacheDir
		// An empty environment but what mono needs: no credentials of the
		// user's shell reach the script.
		cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + h.opts.CacheDir, "LANG=C.UTF-8", "MONO_GC_PARAMS=nursery-size=8m"}
		return cmd
	}
	var cmd *exec.Cmd
	var stdin io.WriteCloser
	var stdout io.ReadCloser
	stderr := &tail{max: 8 << 10}
	isolation := ""
	var startErr error
	for _, netns := range []bool{!h.opts.NoNetNamespace && netNamespaceSupported, false} {
		cmd = mkcmd()
		cmd.SysProcAttr, isolation = sysProcAttr(netns)
		cmd.Stderr = stderr
		var err error
		if stdin, err = cmd.StdinPipe(); err != nil {
			return nil, fmt.Errorf("start the script host: %w", err)
		}
		if stdout, err = cmd.StdoutPipe(); err != nil {
			return nil, fmt.Errorf("start the script host: %w", err)
		}
		if startErr = cmd.Start(); startErr == nil {
			break
		}
		if !netns {
			break
		}
		h.log.Debug("script host: no network namespace", "err", startErr)
	}
	if startErr != nil {
		return nil, fmt.Errorf("start the script host (%s): %w", h.opts.Engine.Mono, startErr)
	}
	h.starts.Add(1)
	h.isolation.Store(&isolation)
	c := &child{h: h, cmd: cmd, in: stdin, stderr: stderr, calls: map[int64]*pending{}, ready: make(chan struct{}), exited: make(chan struct{})}
	go c.readLoop(bufio.NewReaderSize(stdout, 64<<10))
	go func() {
		err := cmd.Wait()
		c.die(fmt.Errorf("the script host exited (%v)%s", err, c.stderrTail()))
		close(c.exited)
	}()
	select {
	case <-c.ready:
		return c, nil
	case <-c.exited:
		return nil, c.deadErr()
	case <-time.After(30 * time.Second):
		c.kill(errors.New("the script host did not start in 30s"))
		return nil, errors.New("the script host did not start in 30s" + c.stderrTail())
	}
}

// child is one mono process.
type child struct {
	h      *Host
	cmd    *exec.Cmd
	in     io.WriteCloser
	wmu    sync.Mutex
	stderr *tail
	ready  chan struct{}
	exited chan struct{}

	mu    sync.Mutex
	calls map[int64]*pending
	dead  error
}

type pending struct {
	start time.Time
	ctx   context.Context
	send  SendFunc
	done  chan *frame
	mu    sync.Mutex
	logs  []LogLine
	sends []Sent
}

func (c *child) isDead() bool { c.mu.Lock(); defer c.mu.Unlock(); return c.dead != nil }

func (c *child) deadErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dead == nil {
		return errors.New("the script host is not running")
	}
	return c.dead
}

func (c *child) stderrTail() string {
	s := strings.TrimSpace(c.stderr.String())
	if s == "" {
		return ""
	}
	return ": " + s
}

func (c *child) write(f *frame) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return writeFrame(c.in, f)
}

// die marks the child dead and fails every call in flight.
func (c *child) die(err error) {
	c.mu.Lock()
	if c.dead == nil {
		c.dead = err
	}
	calls := c.calls
	c.calls = map[int64]*pending{}
	c.mu.Unlock()
	for _, p := range calls {
		select {
		case p.done <- &frame{T: "done", Type: "", Error: err.Error()}:
		default:
		}
	}
}

// kill ends the child's whole process group.
func (c *child) kill(why error) {
	c.die(why)
	killGroup(c.cmd)
	c.in.Close()
}

func (c *child) readLoop(r io.Reader) {
	readyOnce := sync.Once{}
	for {
		f, err := readFrame(r)
		if err != nil {
			// EOF, or the pipe cmd.Wait closed when the child exited: the
			// wait goroutine reports the exit with its status.
			if !errors.Is(err, io.EOF) && !errors.Is(err, os.ErrClosed) {
				c.kill(fmt.Errorf("the script host broke the protocol: %w", err))
			}
			return
		}
		switch f.T {
		case "ready":
			readyOnce.Do(func() { close(c.ready) })
		case "log":
			if p := c.get(f.ID); p != nil {
				p.mu.Lock()
				p.logs = append(p.logs, LogLine{Level: f.Level, Message: f.Msg, At: time.Since(p.start)})
				p.mu.Unlock()
			} else {
				c.h.log.Debug("script log outside a call", "level", f.Level, "msg", f.Msg)
			}
		case "send":
			if p := c.get(f.ID); p != nil {
				go c.doSend(p, f)
			}
		case "done":
			if p := c.get(f.ID); p != nil {
				select {
				case p.done <- f:
				default:
				}
			}
		case "fatal":
			c.kill(errors.New("the script host failed: " + f.Error))
			return
		}
	}
}

func (c *child) get(id int64) *pending {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[id]
}

// doSend performs one SendAsync and answers it.
func (c *child) doSend(p *pending, f *frame) {
	start := time.Now()
	reply := &frame{T: "sent", ID: f.ID, Sub: f.Sub}
	s := Sent{}
	if f.Req != nil {
		s.Method, s.URL, s.Header, s.Body = f.Req.Method, f.Req.URL, headerOf(f.Req.Headers), f.Req.Body
	}
	resp, err := func() (*wireResponse, error) {
		if f.Req == nil {
			return nil, errors.New("SendAsync without a request")
		}
		if p.send == nil {
			return nil, errors.New("SendAsync is not available here: no backend to send to")
		}
		req, err := http.NewRequestWithContext(p.ctx, f.Req.Method, f.Req.URL, bytes.NewReader(f.Req.Body))
		if err != nil {
			return nil, fmt.Errorf("SendAsync: %w", err)
		}
		req.Header = headerOf(f.Req.Headers)
		if hst := req.Header.Get("Host"); hst != "" {
			req.Host = hst
			req.Header.Del("Host")
		}
		req.ContentLength = int64(len(f.Req.Body))
		res, err := p.send(p.ctx, req)
		if err != nil {
			return nil, err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(io.LimitReader(res.Body, maxBody+1))
		if err != nil {
			return nil, fmt.Errorf("read the response to SendAsync: %w", err)
		}
		if len(body) > maxBody {
			return nil, fmt.Errorf("the response to SendAsync is larger than %d bytes", maxBody)
		}
		return &wireResponse{Status: res.StatusCode, Reason: reasonOf(res.Status), Headers: pairsOf(res.Header), Body: body}, nil
	}()
	if err != nil {
		reply.Error = err.Error()
		s.Error = err.Error()
	} else {
		reply.Resp = resp
		s.Status, s.RespHeader, s.RespBody = resp.Status, headerOf(resp.Headers), resp.Body
	}
	s.Duration = time.Since(start)
	p.mu.Lock()
	p.sends = append(p.sends, s)
	p.mu.Unlock()
	if err := c.write(reply); err != nil {
		c.h.log.Debug("script host: cannot answer SendAsync", "err", err)
	}
}

// Call runs the script once. It never returns an error: a failure is a
// Result carrying what the gateway would answer and Err.
func (h *Host) Call(ctx context.Context, in Call) *Result {
	start := time.Now()
	fail := func(status int, e *ScriptError, p *pending) *Result {
		r := &Result{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Err: e, Duration: time.Since(start)}
		r.Body = errorBody(status, e)
		if p != nil {
			p.mu.Lock()
			r.Logs, r.Sends = p.logs, p.sends
			p.mu.Unlock()
		}
		return r
	}
	if in.Request == nil || in.Request.URL == nil {
		return fail(500, &ScriptError{Kind: "host", Message: "no request to run the script on"}, nil)
	}
	wreq, err := toWire(in.Request)
	if err != nil {
		return fail(500, &ScriptError{Kind: "host", Message: err.Error()}, nil)
	}
	c, err := h.live()
	if err != nil {
		return fail(500, &ScriptError{Kind: "host", Message: err.Error()}, nil)
	}
	send := in.Send
	if send == nil {
		send = h.opts.Send
	}
	id := h.seq.Add(1)
	cctx, cancel := context.WithTimeout(ctx, h.opts.Timeout+killGrace)
	defer cancel()
	p := &pending{start: start, ctx: cctx, send: send, done: make(chan *frame, 1)}
	c.mu.Lock()
	if c.dead != nil {
		c.mu.Unlock()
		return fail(500, &ScriptError{Kind: "host", Message: c.dead.Error()}, nil)
	}
	c.calls[id] = p
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.calls, id)
		c.mu.Unlock()
	}()
	op := in.OperationID
	if err := c.write(&frame{T: "call", ID: id, Op: op, Corr: in.CorrelationID, Req: wreq, TimeoutMs: h.opts.Timeout.Milliseconds()}); err != nil {
		h.restart(c, fmt.Errorf("cannot write to the script host: %w", err))
		return fail(500, &ScriptError{Kind: "host", Message: "cannot reach the script host: " + err.Error()}, p)
	}
	timer := time.NewTimer(h.opts.Timeout + killGrace)
	defer timer.Stop()
	var f *frame
	select {
	case f = <-p.done:
	case <-timer.C:
		why := fmt.Errorf("a call of %s ran longer than the %s limit", op, h.opts.Timeout)
		h.restart(c, why)
		h.log.Warn("script timed out; host restarted", "operation", op, "limit", h.opts.Timeout)
		return fail(http.StatusGatewayTimeout, &ScriptError{Kind: "timeout", Message: fmt.Sprintf("the script ran longer than the %s limit; the gateway stops custom code after 5 seconds", h.opts.Timeout)}, p)
	case <-ctx.Done():
		_ = c.write(&frame{T: "cancel", ID: id})
		return fail(http.StatusBadGateway, &ScriptError{Kind: "host", Message: "the caller went away: " + ctx.Err().Error()}, p)
	}
	if f.Error != "" || f.Resp == nil {
		e := &ScriptError{Kind: "exception", Type: f.Type, Message: f.Error, Stack: f.Stack}
		status := http.StatusInternalServerError
		switch {
		case f.Type == "":
			e.Kind = "host"
		case strings.Contains(f.Type, "OperationCanceled") || strings.Contains(f.Type, "TaskCanceled"):
			if time.Since(start) >= h.opts.Timeout {
				e.Kind, status = "timeout", http.StatusGatewayTimeout
				e.Message = fmt.Sprintf("the script ran longer than the %s limit (%s)", h.opts.Timeout, f.Error)
			}
		case f.Type == "System.Net.Http.HttpRequestException":
			status = http.StatusBadGateway
		}
		return fail(status, e, p)
	}
	r := &Result{Status: f.Resp.Status, Header: headerOf(f.Resp.Headers), Body: f.Resp.Body, Duration: time.Since(start)}
	r.Header.Del("Content-Length")
	p.mu.Lock()
	r.Logs, r.Sends = p.logs, p.sends
	p.mu.Unlock()
	return r
}

// errorBody is the JSON error the host answers for a failed call.
func errorBody(status int, e *ScriptError) []byte {
	code := map[string]string{"exception": "ScriptExecutionException", "timeout": "ScriptExecutionTimeout", "host": "ScriptHostFailure"}[e.Kind]
	var b bytes.Buffer
	b.WriteString(`{"error":{"code":`)
	b.WriteString(strconv.Quote(code))
	b.WriteString(`,"status":`)
	b.WriteString(strconv.Itoa(status))
	b.WriteString(`,"message":`)
	b.WriteString(jsonString(e.Error()))
	b.WriteString("}}")
	return b.Bytes()
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func toWire(r *http.Request) (*wireRequest, error) {
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil {
			return nil, fmt.Errorf("read the request body: %w", err)
		}
		if len(b) > maxBody {
			return nil, fmt.Errorf("the request body is larger than %d bytes", maxBody)
		}
		body = b
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	u := *r.URL
	if u.Scheme == "" {
		u.Scheme = "https"
	}
	if u.Host == "" {
		u.Host = r.Host
	}
	return &wireRequest{Method: r.Method, URL: u.String(), Headers: pairsOf(r.Header), Body: body}, nil
}

func pairsOf(h http.Header) [][2]string {
	keys := make([]string, 0, len(h))
	for k := range h {
		if !hopHeader(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([][2]string, 0, len(keys))
	for _, k := range keys {
		for _, v := range h[k] {
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

func headerOf(pairs [][2]string) http.Header {
	h := http.Header{}
	for _, p := range pairs {
		if hopHeader(p[0]) {
			continue
		}
		h.Add(p[0], p[1])
	}
	return h
}

func hopHeader(k string) bool {
	switch http.CanonicalHeaderKey(k) {
	case "Content-Length", "Connection", "Keep-Alive", "Transfer-Encoding", "Te", "Trailer", "Upgrade", "Proxy-Connection":
		return true
	}
	return false
}

func reasonOf(status string) string {
	if i := strings.IndexByte(status, ' '); i >= 0 {
		return status[i+1:]
	}
	return ""
}

// tail keeps the last max bytes written (the child's stderr).
type tail struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tail) String() string { t.mu.Lock(); defer t.mu.Unlock(); return string(t.b) }
