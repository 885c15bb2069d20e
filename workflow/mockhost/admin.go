package mockhost

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/mock/admin"
	"github.com/connectorlab/connectorlab/workflow"
)

// DefaultAdminPort is where a mock's admin API listens unless told.
const DefaultAdminPort = 4000

// Admin is a running admin API of a hub of mocks.
type Admin struct {
	URL   string
	Token string
	// TokenPath is the token file written for `connectorlab trigger`;
	// "" when it could not be written (TokenErr says why).
	TokenPath string
	TokenErr  error
	// FellBack is set when the default port was taken and a free one
	// was used instead.
	FellBack bool
}

// StartAdmin serves the admin API of hub on 127.0.0.1:port until ctx is
// done (port 0: a free one). When port is DefaultAdminPort, was not
// asked for explicitly and is taken (another mock runs), a free port is
// used and FellBack says so; an explicit busy port is an error. stop
// removes the token file.
func StartAdmin(ctx context.Context, hub *mock.Hub, port int, explicit bool, log *slog.Logger) (a *Admin, stop func(), err error) {
	tok, err := admin.NewToken()
	if err != nil {
		return nil, nil, &workflow.Error{Kind: workflow.KindInfra, Message: "admin API token: " + err.Error(), Err: err}
	}
	h, err := admin.NewHandler(hub, tok)
	if err != nil {
		return nil, nil, &workflow.Error{Kind: workflow.KindInfra, Message: "admin API: " + err.Error(), Err: err}
	}
	a = &Admin{Token: tok}
	ln, err := mock.Listen("127.0.0.1", port)
	if err != nil && port == DefaultAdminPort && !explicit && errors.Is(err, syscall.EADDRINUSE) {
		ln, err = mock.Listen("127.0.0.1", 0)
		a.FellBack = true
	}
	if err != nil {
		return nil, nil, &workflow.Error{Kind: workflow.KindInfra, Message: "admin API: " + err.Error(), Fix: "use --admin-port to pick another, -1 to turn it off", Err: err}
	}
	p := ln.Addr().(*net.TCPAddr).Port
	a.URL = "http://" + ln.Addr().String()
	hub.SetAdminURL(a.URL)
	path, err := admin.DefaultTokenPath(p)
	if err == nil {
		err = admin.WriteTokenFile(path, admin.TokenFile{URL: a.URL, Token: tok, PID: os.Getpid()})
	}
	if err != nil {
		a.TokenErr = err
	} else {
		a.TokenPath = path
	}
	go mock.Serve(ctx, mock.NewHTTPServer(h, log), ln, time.Second)
	return a, func() {
		if a.TokenPath != "" {
			os.Remove(a.TokenPath)
		}
	}, nil
}

// Lines say where the admin API is, for a banner.
func (a *Admin) Lines() []string {
	var out []string
	if a.FellBack {
		p := a.URL[strings.LastIndex(a.URL, ":")+1:]
		out = append(out, fmt.Sprintf("Admin port %d is in use (another mock?); using %s instead: pass --admin-port %s to connectorlab trigger", DefaultAdminPort, p, p))
	}
	if a.TokenErr != nil {
		out = append(out, "admin token file not written: "+a.TokenErr.Error())
	}
	return append(out, fmt.Sprintf("Admin API at %s (token in %s; or %s=%s)", a.URL, a.TokenPath, admin.TokenEnv, a.Token))
}
