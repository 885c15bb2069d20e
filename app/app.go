package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Options configures the desktop application.
type Options struct {
	// Assets is the built frontend (frontend/dist); empty in builds without
	// the desktop tags.
	Assets fs.FS
	// ConfigDir holds the recent list; default: the user config dir plus
	// "connectorlab".
	ConfigDir string
	// Database is the recordings SQLite file; default ConfigDir/recordings.db.
	Database string
	Logger   *slog.Logger
	Version  string
	// OpenPath is opened as soon as the window is ready (a command-line
	// argument).
	OpenPath string
	// StartMock starts the mock of OpenPath on MockPort (0: any) once it is
	// open; MockNoAuth turns its auth check off.
	StartMock  bool
	MockPort   int
	MockNoAuth bool
	// Started is when the process started; ReadyFile, when set, receives
	// the start-up timing once the window is interactive (benchmarks).
	Started   time.Time
	ReadyFile string
}

// ContentSecurityPolicy is sent with every asset and repeated in
// index.html. Scripts and connections come only from the app itself;
// recorded bodies are rendered as text, and even if one were not, no inline
// script, plugin, frame or form target would run. Inline styles are allowed
// (they cannot run code): the Wails dev overlay injects a <style>, and the
// same policy in dev and production builds means e2e tests the real one.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// ErrNoDesktopTags is returned by Run in a binary built without the Wails
// build tags, where no window can be opened.
var ErrNoDesktopTags = errors.New("this binary was built without the desktop build tags")

// Desktop is the set of services bound to the window.
type Desktop struct {
	opts       Options
	log        *slog.Logger
	ctx        context.Context
	emit       *lateEmitter
	ws         *workspace
	traffic    *trafficLog
	Connectors *ConnectorService
	Traffic    *TrafficService
	Mock       *MockService
	Diff       *DiffService
	Record     *RecordService
	Contract   *ContractService
	System     *SystemService
	// NewConnector is the New connector flow (app/newconnector.go).
	NewConnector *NewConnectorService
	store        *storeHolder
	// trim returns freed heap to the OS after a load or a burst of traffic.
	trim *idleTrim
}

// New wires the services. Nothing touches the window until Run.
func New(opts Options) (*Desktop, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	if opts.ConfigDir == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return nil, userErr(err, "cannot find the user config directory: "+err.Error(), "set XDG_CONFIG_HOME (Linux) or HOME")
		}
		opts.ConfigDir = filepath.Join(dir, "connectorlab")
	}
	d := &Desktop{opts: opts, log: opts.Logger, ctx: context.Background(), ws: newWorkspace(), trim: newIdleTrim(time.Second)}
	// Every event (a traffic batch, a mock or recording starting) follows
	// work that allocated: trim once the events stop.
	d.emit = &lateEmitter{after: d.trim.poke}
	d.traffic = newTrafficLog(d.emit)
	d.Connectors = newConnectorService(d.log, d.ws, newRecentList(opts.ConfigDir), runtimeDialogs{})
	d.Connectors.loaded = d.trim.poke
	d.Traffic = &TrafficService{log: d.traffic}
	db := opts.Database
	if db == "" {
		db = filepath.Join(opts.ConfigDir, "recordings.db")
	}
	d.store = newStoreHolder(d.log, db)
	d.Mock = newMockService(d.log, d.ws, d.store, d.traffic, d.emit)
	d.Diff = newDiffService(d.log, runtimeDialogs{})
	d.Record = newRecordService(d.log, d.ws, d.store, d.traffic, d.emit, runtimeDialogs{})
	d.Contract = newContractService(d.log, d.ws, d.store, d.emit, runtimeDialogs{})
	d.System = &SystemService{opts: opts, log: d.log}
	d.NewConnector = newNewConnectorService(d.log, d.store, runtimeDialogs{})
	return d, nil
}

// bindings lists the structs whose exported methods the window may call.
func (d *Desktop) bindings() []any {
	return []any{d.Connectors, d.Traffic, d.Mock, d.Diff, d.Record, d.Contract, d.System, d.NewConnector}
}

func (d *Desktop) startup(ctx context.Context) {
	d.ctx = ctx
	d.emit.set(func(event string, data any) { runtime.EventsEmit(ctx, event, data) })
	d.Connectors.startup(ctx)
	d.Mock.startup(ctx)
	d.Diff.startup(ctx)
	d.Record.startup(ctx)
	d.Contract.startup(ctx)
	d.NewConnector.startup(ctx)
	runtime.OnFileDrop(ctx, func(_, _ int, paths []string) {
		if len(paths) > 0 {
			d.emit.Emit(EventOpenPath, paths[0])
		}
	})
}

func (d *Desktop) shutdown(ctx context.Context) {
	// The webview is going away: events sent now would hit a destroyed view.
	d.emit.set(nil)
	d.trim.stop()
	d.Contract.cancelAll()
	d.Record.stopAll()
	d.Mock.stopAll()
	d.traffic.Flush()
	d.store.close()
}

// appOptions is the Wails configuration; kept apart from Run so a test can
// check the security-relevant settings without a window.
func (d *Desktop) appOptions() *options.App {
	return &options.App{
		Title:     "Connector Lab",
		Width:     1280,
		Height:    820,
		MinWidth:  900,
		MinHeight: 600,
		AssetServer: &assetserver.Options{
			Assets:     d.opts.Assets,
			Middleware: securityHeaders,
		},
		BackgroundColour: &options.RGBA{R: 250, G: 250, B: 251, A: 255},
		OnStartup:        d.startup,
		OnShutdown:       d.shutdown,
		Bind:             d.bindings(),
		ErrorFormatter:   formatError,
		// Only the app's own origin may call bindings: no extra origins.
		BindingsAllowedOrigins: "",
		DragAndDrop: &options.DragAndDrop{
			EnableFileDrop:     true,
			DisableWebViewDrop: true,
		},
		EnableDefaultContextMenu: true, // copy/paste in text fields and bodies
	}
}

// securityHeaders adds the content security policy and friends to every
// response of the asset server.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// Run opens the window and blocks until it closes.
func (d *Desktop) Run() error {
	err := wails.Run(d.appOptions())
	if err != nil && strings.Contains(err.Error(), "correct build tags") {
		return fmt.Errorf("%w: %v", ErrNoDesktopTags, err)
	}
	return err
}

// lateEmitter forwards to the Wails runtime once the window has started;
// before that, events are dropped (there is no window to show them).
type lateEmitter struct {
	fn atomicFunc
	// after, when set, runs after each event sent (idleTrim.poke).
	after func()
}

func (l *lateEmitter) set(fn func(string, any)) { l.fn.Store(fn) }

func (l *lateEmitter) Emit(event string, data any) {
	if fn := l.fn.Load(); fn != nil {
		fn(event, data)
	}
	if l.after != nil {
		l.after()
	}
}

// runtimeDialogs opens the native pickers through the Wails runtime.
type runtimeDialogs struct{}

func (runtimeDialogs) ChooseFolder(ctx context.Context, title string) (string, error) {
	return runtime.OpenDirectoryDialog(ctx, runtime.OpenDialogOptions{Title: title})
}

func (runtimeDialogs) ChooseFile(ctx context.Context, title, patterns string) (string, error) {
	return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{Title: title, Filters: []runtime.FileFilter{
		{DisplayName: "Definitions (" + patterns + ")", Pattern: patterns},
	}})
}

func (runtimeDialogs) SaveFile(ctx context.Context, title, name, patterns string) (string, error) {
	return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: name, Filters: []runtime.FileFilter{
		{DisplayName: patterns, Pattern: patterns},
	}})
}

// SystemService is bound to the window: facts about the app itself.
type SystemService struct {
	opts  Options
	log   *slog.Logger
	ready sync.Once
}

// Info is what the window asks once at start-up.
type Info struct {
	Version    string `json:"version"`
	OpenPath   string `json:"openPath,omitempty"`
	StartMock  bool   `json:"startMock,omitempty"`
	MockPort   int    `json:"mockPort,omitempty"`
	MockNoAuth bool   `json:"mockNoAuth,omitempty"`
}

// Info returns the version and what the command line asked for.
func (s *SystemService) Info() (Info, error) {
	o := s.opts
	return Info{Version: o.Version, OpenPath: o.OpenPath, StartMock: o.StartMock, MockPort: o.MockPort, MockNoAuth: o.MockNoAuth}, nil
}

// StartupTiming is what Ready records.
type StartupTiming struct {
	ProcessStartUnixMs int64   `json:"processStartUnixMs"`
	ReadyUnixMs        int64   `json:"readyUnixMs"`
	SinceStartMs       int64   `json:"sinceStartMs"`
	NavigationMs       float64 `json:"navigationMs"`
}

// Ready is called by the window once it has rendered and answered its
// first binding call: the app is interactive. navigationMs is the page's
// own performance.now(). The timing goes to the ready file, when one is
// configured (bench/desktop.sh), and to the debug log.
func (s *SystemService) Ready(navigationMs float64) error {
	s.ready.Do(func() {
		now := time.Now()
		t := StartupTiming{ReadyUnixMs: now.UnixMilli(), NavigationMs: navigationMs}
		if !s.opts.Started.IsZero() {
			t.ProcessStartUnixMs = s.opts.Started.UnixMilli()
			t.SinceStartMs = now.Sub(s.opts.Started).Milliseconds()
		}
		s.log.Debug("window interactive", "sinceStartMs", t.SinceStartMs, "navigationMs", navigationMs)
		if s.opts.ReadyFile != "" {
			raw, _ := json.Marshal(t)
			if err := os.WriteFile(s.opts.ReadyFile, raw, 0o600); err != nil {
				s.log.Warn("ready file not written", "err", err)
			}
		}
	})
	return nil
}
