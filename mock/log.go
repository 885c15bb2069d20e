package mock

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
)

// LogSink prints exchanges, one line each: "text" for people, "json" for
// tools (the recordings.Exchange as JSON, bodies base64 as encoding/json
// writes []byte).
type LogSink struct {
	mu     sync.Mutex
	w      io.Writer
	format string
}

// NewLogSink returns a sink writing format ("text" or "json") to w.
func NewLogSink(w io.Writer, format string) (*LogSink, error) {
	switch format {
	case "text", "json":
	default:
		return nil, fmt.Errorf("log format %q: use text or json", format)
	}
	return &LogSink{w: w, format: format}, nil
}

// Record implements recordings.Sink.
func (l *LogSink) Record(_ context.Context, x *recordings.Exchange) error {
	var line []byte
	if l.format == "json" {
		b, err := json.Marshal(x)
		if err != nil {
			return err
		}
		line = append(b, '\n')
	} else {
		line = []byte(textLine(x))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.w.Write(line)
	return err
}

func textLine(x *recordings.Exchange) string {
	var b strings.Builder
	b.WriteString(x.StartedAt.Format("15:04:05.000"))
	b.WriteByte(' ')
	if x.Connector != "" {
		b.WriteString("[" + x.Connector + "] ")
	}
	fmt.Fprintf(&b, "%s %s -> ", x.Request.Method, x.Request.URL)
	if x.Error != "" {
		b.WriteString("dropped (" + x.Error + ")")
	} else {
		fmt.Fprintf(&b, "%d", x.Response.Status)
		if ct := x.Response.Header.Get("Content-Type"); ct != "" {
			fmt.Fprintf(&b, " %s", ct)
		}
		fmt.Fprintf(&b, " %dB", x.Response.Size)
	}
	fmt.Fprintf(&b, " %s", x.Duration.Round(10*time.Microsecond))
	if x.OperationID != "" {
		b.WriteString(" " + x.OperationID)
	}
	if x.Source != "" && x.Source != recordings.SourceMock {
		b.WriteString(" (" + string(x.Source) + ")")
	}
	for _, n := range x.Notes {
		b.WriteString("\n    " + n.Level + " " + n.ID + ": " + n.Message)
	}
	b.WriteByte('\n')
	return b.String()
}
