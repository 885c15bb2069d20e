package report

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
)

// TestGitHubAnnotationsCarryFileAndLine (issue 12 item 6): test and drift
// findings come from traffic and named no file, so the ::error commands
// the docs promise landed on no line of the pull request. They now point
// at the operation in the definition.
func TestGitHubAnnotationsCarryFileAndLine(t *testing.T) {
	t.Parallel()
	c, err := (&connector.Loader{}).Load(context.Background(), filepath.Join("..", "..", "examples", "contoso-orders"))
	if err != nil {
		t.Fatal(err)
	}
	op := c.Operations[0]
	r := &contract.Report{Kind: contract.KindTest, Connector: c.Name, FailOn: contract.LevelError,
		Findings: []contract.Finding{{ID: contract.OperationUntested, Level: contract.LevelInfo, Operation: op.ID, Message: "untested"}},
		Suites: []contract.Suite{{Name: c.Name, Cases: []contract.Case{{Name: op.ID, Operation: op.ID,
			Findings: []contract.Finding{{ID: "drift-type-changed", Level: contract.LevelError, Field: "total", Message: "total changed type"}}}}}}}
	contract.LocateOperations(r, c)
	r.Finish()
	var b bytes.Buffer
	if err := (GitHub{}).Format(&b, r); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^::error file=[^,]*apiDefinition\.swagger\.json,line=[1-9][0-9]*,col=[0-9]+,title=drift-type-changed`)
	if !re.Match(b.Bytes()) {
		t.Fatalf("no file and line on the error annotation:\n%s", b.String())
	}
}
