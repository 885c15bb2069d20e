package mock

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/route"
)

// ProblemTypeBase prefixes the stable problem type URIs the mock answers
// with, e.g. "https://connectorlab.dev/problems/request-param-invalid".
const ProblemTypeBase = "https://connectorlab.dev/problems/"

// Problem is an RFC 9457 problem+json body. Errors lists each rule broken,
// naming the parameter or JSON pointer.
type Problem struct {
	Type     string            `json:"type"`
	Title    string            `json:"title"`
	Status   int               `json:"status"`
	Detail   string            `json:"detail,omitempty"`
	Errors   []ProblemError    `json:"errors,omitempty"`
	Closest  []route.Candidate `json:"closest,omitempty"`
	Allowed  []string          `json:"allowed,omitempty"`
	Instance string            `json:"instance,omitempty"`
	// Recording names the recorded exchange closest to a replay miss.
	Recording *recordings.ClosestMatch `json:"closestRecording,omitempty"`
}

// ProblemError is one broken rule.
type ProblemError struct {
	// In is where: path, query, header, cookie, body, content-type, auth.
	In string `json:"in"`
	// Name is the parameter or header name.
	Name string `json:"name,omitempty"`
	// Pointer is the JSON pointer into the body ("/lines/0/quantity").
	Pointer string `json:"pointer,omitempty"`
	// Rule is the keyword broken: required, type, enum, pattern, maximum, ...
	Rule    string `json:"rule,omitempty"`
	Message string `json:"message"`
}

func problemReply(status int, id, title, detail string, errs []ProblemError) *Reply {
	p := Problem{Type: ProblemTypeBase + id, Title: title, Status: status, Detail: detail, Errors: errs}
	return problem(p)
}

func problem(p Problem) *Reply {
	rep, err := JSONReply(p.Status, "application/problem+json", p)
	if err != nil { // cannot happen: Problem is plain data
		rep = NewReply(p.Status)
	}
	return rep
}

func missReply(method, path string, miss *route.Miss) *Reply {
	if miss.MethodNotAllowed() {
		p := Problem{Type: ProblemTypeBase + "method-not-allowed", Title: "Method not allowed", Status: http.StatusMethodNotAllowed,
			Detail:  fmt.Sprintf("%s is not declared for %s; the path accepts %s", method, path, strings.Join(miss.Allowed, ", ")),
			Allowed: miss.Allowed, Closest: miss.Closest}
		rep := problem(p)
		rep.Header.Set("Allow", strings.Join(miss.Allowed, ", "))
		return rep
	}
	detail := fmt.Sprintf("no operation of this connector matches %s %s", method, path)
	if len(miss.Closest) > 0 {
		c := miss.Closest[0]
		detail += fmt.Sprintf("; closest is %s %s (%s): %s", c.Method, c.Path, c.OperationID, c.Reason)
	}
	return problem(Problem{Type: ProblemTypeBase + "no-route", Title: "No such operation", Status: http.StatusNotFound,
		Detail: detail, Closest: miss.Closest})
}
