package policy

import "fmt"

// Trace lists what the policies did to one request or response, for the
// traffic log. It never holds secret values: connection parameters of type
// securestring/oauthSetting, credentials read from headers and values
// fetched by setvaluefromurl appear as <redacted>.
type Trace struct {
	OperationID string      `json:"operationId,omitempty"`
	Section     Section     `json:"section"`
	Steps       []TraceStep `json:"steps,omitempty"`
	// Method and URL are the request as it leaves the policies (request
	// section only), with secret values redacted.
	Method string `json:"method,omitempty"`
	URL    string `json:"url,omitempty"`
	// Unauthenticated is set when setconnectionstatustounauthenticated
	// matched the response status: the real gateway would mark the
	// connection as needing a new sign-in.
	Unauthenticated bool `json:"unauthenticated,omitempty"`
}

// TraceStep is one policy that matched the operation and section.
type TraceStep struct {
	Template string `json:"template"` // templateId in lower case
	Title    string `json:"title,omitempty"`
	Pointer  string `json:"pointer"` // JSON pointer in apiProperties.json
	// Applied is false when the policy matched but changed nothing: it was
	// disabled by a finding, skipped by existsAction, or found nothing to
	// act on. Note says which.
	Applied bool   `json:"applied"`
	Note    string `json:"note"`
}

func (s TraceStep) String() string {
	name := s.Template
	if s.Title != "" {
		name += fmt.Sprintf(" %q", s.Title)
	}
	return name + ": " + s.Note
}

// Notes renders each step on one line.
func (t Trace) Notes() []string {
	out := make([]string, len(t.Steps))
	for i, s := range t.Steps {
		out[i] = s.String()
	}
	return out
}

// Applied counts the steps that changed something.
func (t Trace) Applied() int {
	n := 0
	for _, s := range t.Steps {
		if s.Applied {
			n++
		}
	}
	return n
}
