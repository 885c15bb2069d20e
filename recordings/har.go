package recordings

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the fields
// browsers, Postman, Charles, mitmproxy and Dev Proxy write. Custom fields
// start with "_" as the spec asks.

// HAR is a HAR file.
type HAR struct {
	Log HARLog `json:"log"`
}

// HARLog is the log object.
type HARLog struct {
	Version string      `json:"version"`
	Creator HARCreator  `json:"creator"`
	Browser *HARCreator `json:"browser,omitempty"`
	Pages   []HARPage   `json:"pages,omitempty"`
	Entries []HAREntry  `json:"entries"`
	Comment string      `json:"comment,omitempty"`
}

// HARCreator names the tool that wrote the file.
type HARCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// HARPage is a page (browsers); kept on import only as pageref.
type HARPage struct {
	StartedDateTime string `json:"startedDateTime"`
	ID              string `json:"id"`
	Title           string `json:"title"`
}

// HAREntry is one exchange.
type HAREntry struct {
	Pageref         string      `json:"pageref,omitempty"`
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"`
	Request         HARRequest  `json:"request"`
	Response        HARResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         HARTimings  `json:"timings"`
	ServerIPAddress string      `json:"serverIPAddress,omitempty"`
	Comment         string      `json:"comment,omitempty"`
	// Connectorlab carries what HAR has no field for; other tools ignore it.
	Connectorlab *HARExtra `json:"_connectorlab,omitempty"`
}

// HARExtra is the "_connectorlab" entry extension.
type HARExtra struct {
	ID          int64       `json:"id,omitempty"`
	Source      Source      `json:"source,omitempty"`
	Connector   string      `json:"connector,omitempty"`
	OperationID string      `json:"operationId,omitempty"`
	Error       string      `json:"error,omitempty"`
	Notes       []Note      `json:"notes,omitempty"`
	Redactions  []Redaction `json:"redactions,omitempty"`
	Request     *HARBody    `json:"request,omitempty"`
	Response    *HARBody    `json:"response,omitempty"`
}

// HARBody records a stored body's size, hash and truncation.
type HARBody struct {
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256,omitempty"`
	Truncated bool   `json:"truncated,omitempty"`
	Encoding  string `json:"encoding,omitempty"`
}

// HARNameValue is a header, query parameter or form parameter.
type HARNameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// HARCookie is a cookie (written empty: cookies live in redacted headers).
type HARCookie struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// HARRequest is the request object.
type HARRequest struct {
	Method      string         `json:"method"`
	URL         string         `json:"url"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []HARCookie    `json:"cookies"`
	Headers     []HARNameValue `json:"headers"`
	QueryString []HARNameValue `json:"queryString"`
	PostData    *HARPostData   `json:"postData,omitempty"`
	HeadersSize int64          `json:"headersSize"`
	BodySize    int64          `json:"bodySize"`
}

// HARPostData is a request body.
type HARPostData struct {
	MimeType string         `json:"mimeType"`
	Params   []HARNameValue `json:"params,omitempty"`
	Text     string         `json:"text"`
	// Encoding "base64" is not in HAR 1.2 but several tools write it for
	// binary bodies; we do too.
	Encoding string `json:"encoding,omitempty"`
}

// HARResponse is the response object.
type HARResponse struct {
	Status      int            `json:"status"`
	StatusText  string         `json:"statusText"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []HARCookie    `json:"cookies"`
	Headers     []HARNameValue `json:"headers"`
	Content     HARContent     `json:"content"`
	RedirectURL string         `json:"redirectURL"`
	HeadersSize int64          `json:"headersSize"`
	BodySize    int64          `json:"bodySize"`
	Error       string         `json:"_error,omitempty"` // Chrome: net::ERR_...
}

// HARContent is a response body.
type HARContent struct {
	Size        int64  `json:"size"`
	Compression int64  `json:"compression,omitempty"`
	MimeType    string `json:"mimeType"`
	Text        string `json:"text,omitempty"`
	Encoding    string `json:"encoding,omitempty"`
}

// HARTimings are in milliseconds; -1 means not applicable.
type HARTimings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
	SSL     float64 `json:"ssl"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// HAREntryOf converts an exchange to a HAR entry.
func HAREntryOf(x *Exchange) HAREntry {
	e := HAREntry{
		StartedDateTime: x.StartedAt.UTC().Format(time.RFC3339Nano),
		Time:            ms(x.Duration),
		Request: HARRequest{
			Method: x.Request.Method, URL: x.Request.URL, HTTPVersion: "HTTP/1.1",
			Cookies: []HARCookie{}, Headers: harHeaders(x.Request.Header), QueryString: harQuery(x.Request.URL),
			HeadersSize: -1, BodySize: x.Request.Size,
		},
		Response: HARResponse{
			Status: x.Response.Status, StatusText: http.StatusText(x.Response.Status), HTTPVersion: "HTTP/1.1",
			Cookies: []HARCookie{}, Headers: harHeaders(x.Response.Header), HeadersSize: -1, BodySize: x.Response.Size,
			Content: HARContent{Size: x.Response.Size, MimeType: x.Response.Header.Get("Content-Type")},
		},
		Timings: HARTimings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1, Send: 0, Wait: ms(x.Upstream), Receive: ms(max(x.Duration-x.Upstream, 0))},
		Connectorlab: &HARExtra{ID: x.ID, Source: x.Source, Connector: x.Connector, OperationID: x.OperationID, Error: x.Error,
			Notes: x.Notes, Redactions: x.Redactions},
	}
	if x.Response.Status == 0 {
		e.Response.Content.Size, e.Response.BodySize, e.Response.Error = 0, -1, x.Error
	}
	if x.Response.WireSize > 0 {
		e.Response.BodySize = x.Response.WireSize
		e.Response.Content.Compression = x.Response.Size - x.Response.WireSize
	}
	if len(x.Request.Body) > 0 || x.Request.Size > 0 {
		text, enc := harText(x.Request.Body)
		e.Request.PostData = &HARPostData{MimeType: x.Request.Header.Get("Content-Type"), Text: text, Encoding: enc}
		e.Connectorlab.Request = &HARBody{Size: x.Request.Size, SHA256: x.Request.SHA256, Truncated: x.Request.Truncated, Encoding: x.Request.Encoding}
	}
	if len(x.Response.Body) > 0 {
		e.Response.Content.Text, e.Response.Content.Encoding = harText(x.Response.Body)
	}
	if x.Response.Size > 0 {
		e.Connectorlab.Response = &HARBody{Size: x.Response.Size, SHA256: x.Response.SHA256, Truncated: x.Response.Truncated, Encoding: x.Response.Encoding}
	}
	if x.Request.Truncated || x.Response.Truncated {
		e.Comment = "body truncated by the recording body cap; _connectorlab has the full size and SHA-256"
	}
	if loc := x.Response.Header.Get("Location"); loc != "" {
		e.Response.RedirectURL = loc
	}
	return e
}

func harText(b []byte) (string, string) {
	if utf8.Valid(b) {
		return string(b), ""
	}
	return base64.StdEncoding.EncodeToString(b), "base64"
}

func harHeaders(h http.Header) []HARNameValue {
	out := []HARNameValue{}
	for _, k := range sortedHeaderKeys(h) {
		for _, v := range h[k] {
			out = append(out, HARNameValue{Name: k, Value: v})
		}
	}
	return out
}

func harQuery(raw string) []HARNameValue {
	out := []HARNameValue{}
	_, q, ok := strings.Cut(raw, "?")
	if !ok {
		return out
	}
	q, _, _ = strings.Cut(q, "#")
	for _, p := range strings.Split(q, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		if u, err := url.QueryUnescape(k); err == nil {
			k = u
		}
		if u, err := url.QueryUnescape(v); err == nil {
			v = u
		}
		out = append(out, HARNameValue{Name: k, Value: v})
	}
	return out
}

// HARWriter streams a HAR file: Begin, Add per exchange, End.
type HARWriter struct {
	w   *bufio.Writer
	n   int
	err error
}

// NewHARWriter starts a HAR log on w.
func NewHARWriter(w io.Writer, creatorVersion, comment string) *HARWriter {
	hw := &HARWriter{w: bufio.NewWriter(w)}
	head, _ := json.Marshal(HARCreator{Name: "connectorlab", Version: creatorVersion})
	c, _ := json.Marshal(comment)
	_, hw.err = fmt.Fprintf(hw.w, "{\n  \"log\": {\n    \"version\": \"1.2\",\n    \"creator\": %s,\n    \"comment\": %s,\n    \"entries\": [", head, c)
	return hw
}

// Add writes one exchange.
func (hw *HARWriter) Add(x *Exchange) error {
	if hw.err != nil {
		return hw.err
	}
	b, err := json.MarshalIndent(HAREntryOf(x), "      ", "  ")
	if err != nil {
		hw.err = fmt.Errorf("encode exchange %d: %w", x.ID, err)
		return hw.err
	}
	sep := ",\n      "
	if hw.n == 0 {
		sep = "\n      "
	}
	hw.n++
	if _, err := hw.w.WriteString(sep); err != nil {
		hw.err = err
		return err
	}
	_, hw.err = hw.w.Write(b)
	return hw.err
}

// End closes the log and flushes.
func (hw *HARWriter) End() error {
	if hw.err != nil {
		return hw.err
	}
	if _, err := hw.w.WriteString("\n    ]\n  }\n}\n"); err != nil {
		return err
	}
	return hw.w.Flush()
}

// ReadHAR decodes a HAR file into exchanges (Source import, no session).
// Entries it cannot use are skipped with a reason in skipped.
func ReadHAR(r io.Reader, l Limits) (xs []*Exchange, skipped []string, err error) {
	var h HAR
	dec := json.NewDecoder(r)
	if err := dec.Decode(&h); err != nil {
		return nil, nil, fmt.Errorf("not a HAR file: %w", err)
	}
	if h.Log.Entries == nil {
		return nil, nil, errors.New("not a HAR file: no log.entries array")
	}
	if v := h.Log.Version; v != "" && v != "1.2" && v != "1.1" {
		skipped = append(skipped, fmt.Sprintf("log.version is %q; read as 1.2", v))
	}
	for i, e := range h.Log.Entries {
		x, err := exchangeOfHAR(e, l)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("entries[%d]: %v", i, err))
			continue
		}
		xs = append(xs, x)
	}
	return xs, skipped, nil
}

func exchangeOfHAR(e HAREntry, l Limits) (*Exchange, error) {
	if e.Request.Method == "" || e.Request.URL == "" {
		return nil, errors.New("no request method or url")
	}
	u, err := url.Parse(e.Request.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("request url %q is not an http(s) URL (data:, blob: and ws: entries are skipped)", e.Request.URL)
	}
	x := &Exchange{Source: SourceImport, Request: Request{Method: strings.ToUpper(e.Request.Method), URL: e.Request.URL}}
	if t, err := time.Parse(time.RFC3339Nano, e.StartedDateTime); err == nil {
		x.StartedAt = t.UTC()
	}
	x.Duration = time.Duration(e.Time * float64(time.Millisecond))
	if e.Timings.Wait > 0 {
		x.Upstream = time.Duration(e.Timings.Wait * float64(time.Millisecond))
	}
	reqH := headerOfHAR(e.Request.Headers)
	var reqBody []byte
	if pd := e.Request.PostData; pd != nil {
		switch {
		case pd.Text != "" && (pd.Encoding == "base64"):
			reqBody, err = base64.StdEncoding.DecodeString(pd.Text)
			if err != nil {
				return nil, fmt.Errorf("request postData: base64: %w", err)
			}
		case pd.Text != "":
			reqBody = []byte(pd.Text)
		case len(pd.Params) > 0:
			v := url.Values{}
			for _, p := range pd.Params {
				v.Add(p.Name, p.Value)
			}
			reqBody = []byte(v.Encode())
		}
		if reqH.Get("Content-Type") == "" && pd.MimeType != "" {
			reqH.Set("Content-Type", pd.MimeType)
		}
	}
	// HAR bodies are already decoded: drop the encoding header's effect.
	x.Request.Message, _ = BodyMessage(withoutEncoding(reqH), reqBody, l)
	x.Request.Header = reqH
	if e.Response.Status <= 0 {
		x.Error = e.Response.Error
		if x.Error == "" {
			x.Error = "no response (status 0 in the HAR file)"
		}
		x.Connector, x.OperationID = extraOf(e)
		return x, nil
	}
	respH := headerOfHAR(e.Response.Headers)
	var respBody []byte
	if c := e.Response.Content; c.Text != "" {
		if c.Encoding == "base64" {
			respBody, err = base64.StdEncoding.DecodeString(c.Text)
			if err != nil {
				return nil, fmt.Errorf("response content: base64: %w", err)
			}
		} else {
			respBody = []byte(c.Text)
		}
	}
	if respH.Get("Content-Type") == "" && e.Response.Content.MimeType != "" {
		respH.Set("Content-Type", e.Response.Content.MimeType)
	}
	x.Response.Status = e.Response.Status
	x.Response.Message, _ = BodyMessage(withoutEncoding(respH), respBody, l)
	x.Response.Header = respH
	if enc := strings.ToLower(respH.Get("Content-Encoding")); enc == "gzip" || enc == "br" || enc == "deflate" {
		x.Response.Encoding = enc
		if e.Response.BodySize > 0 {
			x.Response.WireSize = e.Response.BodySize
		}
	}
	if len(respBody) == 0 && e.Response.Content.Size > 0 {
		x.Notes = append(x.Notes, Note{ID: "body-not-captured", Level: "info", Message: fmt.Sprintf("the HAR file has no content text for this %d-byte response", e.Response.Content.Size)})
		x.Response.Size, x.Response.Truncated = e.Response.Content.Size, true
	}
	x.Connector, x.OperationID = extraOf(e)
	return x, nil
}

func extraOf(e HAREntry) (string, string) {
	if e.Connectorlab == nil {
		return "", ""
	}
	return e.Connectorlab.Connector, e.Connectorlab.OperationID
}

func withoutEncoding(h http.Header) http.Header {
	c := cloneHeader(h)
	if c != nil {
		c.Del("Content-Encoding")
	}
	return c
}

// headerOfHAR converts HAR headers, dropping HTTP/2 pseudo-headers
// (":authority", ":path") that browsers list.
func headerOfHAR(nv []HARNameValue) http.Header {
	h := http.Header{}
	for _, p := range nv {
		if p.Name == "" || strings.HasPrefix(p.Name, ":") {
			continue
		}
		h.Add(p.Name, p.Value)
	}
	return h
}

// ExportHAR writes a session's exchanges as HAR 1.2, each redacted again
// through the store on the way out (exports are shared: belt and braces).
func ExportHAR(ctx context.Context, s Store, sessionID int64, w io.Writer, version string) (int, error) {
	sess, err := s.Session(ctx, sessionID)
	if err != nil {
		return 0, err
	}
	hw := NewHARWriter(w, version, fmt.Sprintf("connectorlab session %q (connector %s, upstream %s, status %s)", sess.Name, sess.Connector, sess.Upstream, sess.Status))
	n, err := eachExchange(ctx, s, sessionID, func(x *Exchange) error { return hw.Add(x) })
	if err != nil {
		return n, err
	}
	return n, hw.End()
}

// eachExchange pages through a session, redacting each exchange.
func eachExchange(ctx context.Context, s Store, sessionID int64, fn func(*Exchange) error) (int, error) {
	n := 0
	f := ExchangeFilter{SessionID: sessionID, Limit: 200}
	for {
		page, err := s.ListExchanges(ctx, f)
		if err != nil {
			return n, err
		}
		for _, x := range page.Exchanges {
			if err := s.Redact(ctx, x); err != nil {
				return n, err
			}
			if err := fn(x); err != nil {
				return n, err
			}
			n++
		}
		if page.Next == 0 {
			return n, nil
		}
		f.After = page.Next
	}
}

// mediaType is the media type of a Content-Type value, lower case.
func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	return mt
}
