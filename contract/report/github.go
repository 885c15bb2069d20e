package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/connectorlab/connectorlab/contract"
)

// GitHub writes GitHub Actions workflow commands (::error, ::warning,
// ::notice), one per finding, with file and line when known, so findings
// show up on the pull request's diff.
type GitHub struct{}

// escapeData and escapeProp follow the workflow-command escaping rules.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// Format implements Formatter.
func (GitHub) Format(w io.Writer, r *contract.Report) error {
	r = printableReport(r, true)
	for _, f := range r.AllFindings() {
		cmd := "notice"
		switch f.Level {
		case contract.LevelError:
			cmd = "error"
		case contract.LevelWarning:
			cmd = "warning"
		}
		var props []string
		if f.File != "" {
			props = append(props, "file="+escapeProp(f.File))
			if f.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Line), fmt.Sprintf("col=%d", f.Col))
			}
		}
		title := f.ID
		if f.Operation != "" {
			title += " " + f.Operation
		}
		props = append(props, "title="+escapeProp(title))
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(f.Message)); err != nil {
			return err
		}
	}
	for _, s := range r.Suites {
		if s.Summary == nil {
			continue
		}
		// One annotation per summarised suite: its findings are tallied,
		// not one command each.
		if _, err := fmt.Fprintf(w, "::notice title=%s::%s: %s", escapeProp("summarised "+s.Name), escapeData(s.Name), escapeData(summaryText(s.Summary))); err != nil {
			return err
		}
		if _, err := io.WriteString(w, "\n"); err != nil {
			return err
		}
	}
	return nil
}
