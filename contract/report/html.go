package report

import (
	"bytes"
	"encoding/json"
	"html/template"
	"io"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/contract"
)

// HTML writes one self-contained page (no external CSS, scripts or
// fonts) with the findings and, per case, a side-by-side diff of the
// recorded and replayed bodies.
type HTML struct{}

type htmlRow struct {
	Left, Right string
	Op          string // "same", "del", "add", "chg"
}

type htmlCase struct {
	contract.Case
	Title  string
	Failed bool
	Rows   []htmlRow
}

type htmlSummary struct {
	Suite string
	*contract.Summary
}

type htmlPage struct {
	R      *contract.Report
	Title  string
	Cases  []htmlCase
	Failed int
	// Total counts listed and summarised cases; Summaries are the suites
	// with cases beyond the report's caps, tallied per operation.
	Total     int
	Summaries []htmlSummary
	// Findings are the report-level findings, errors first; Untested the
	// operations no case exercised, folded at the end so failures lead.
	Findings, Untested []contract.Finding
}

var htmlTmpl = template.Must(template.New("r").Funcs(template.FuncMap{
	"lower": strings.ToLower,
	"level": func(l contract.Level) string { return l.String() },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:16px 24px}
header h1{margin:0;font-size:20px}
header .meta{opacity:.8;font-size:13px;margin-top:4px}
main{padding:16px 24px;max-width:1400px}
.verdict{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;margin-left:8px}
.passed{background:#2da44e}.failed{background:#cf222e}
.counts span{margin-right:16px}
table{border-collapse:collapse;width:100%;background:#fff;margin:12px 0}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eaeef2}
.lv{font-weight:600;text-transform:uppercase;font-size:12px}
.error .lv{color:#cf222e}.warning .lv{color:#9a6700}.info .lv{color:#0969da}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
details{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:8px 0;padding:6px 10px}
summary{cursor:pointer}
.fail summary{color:#cf222e}
.diff{width:100%;table-layout:fixed}
.diff td{font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-all;border:none;padding:0 6px}
.diff td.del{background:#ffebe9}.diff td.add{background:#dafbe1}.diff td.chg{background:#fff8c5}
.note{background:#fff8c5;border:1px solid #d4a72c;padding:6px 10px;border-radius:6px}
</style></head><body>
<header><h1>{{.Title}}<span class="verdict {{if .R.Passed}}passed{{else}}failed{{end}}">{{if .R.Passed}}passed{{else}}failed{{end}}</span></h1>
<div class="meta">{{.R.Tool}} · {{.R.Kind}} · started {{.R.Started.Format "2006-01-02 15:04:05 MST"}} · fail on {{level .R.FailOn}}{{if .R.Shard}} · shard {{.R.Shard}}{{end}}</div></header>
<main>
<p class="counts"><span>errors: <b>{{index .R.Counts "error"}}</b></span><span>warnings: <b>{{index .R.Counts "warning"}}</b></span><span>infos: <b>{{index .R.Counts "info"}}</b></span>{{if .Total}}<span>cases: <b>{{.Total}}</b>, failed: <b>{{.Failed}}</b></span>{{end}}</p>
{{if .R.CustomCode}}<p class="note">This connector runs custom code (script.csx). Differences on its script operations may come from the script, not the API.</p>{{end}}
{{if .R.Noise}}<p>Ignored as volatile: <code>{{range $i, $n := .R.Noise}}{{if $i}}, {{end}}{{$n}}{{end}}</code></p>{{end}}
{{if .Findings}}<h2>Findings</h2>
<table><tr><th>Level</th><th>ID</th><th>Operation</th><th>Field</th><th>Message</th><th>Old</th><th>New</th></tr>
{{range .Findings}}<tr class="{{level .Level}}"><td class="lv">{{level .Level}}</td><td><code>{{.ID}}</code></td><td>{{.Operation}}</td><td><code>{{.Field}}</code></td><td>{{.Message}}{{if .Line}}<br><small>{{.File}}:{{.Line}}</small>{{end}}</td><td><code>{{.Old}}</code></td><td><code>{{.New}}</code></td></tr>
{{end}}</table>{{end}}
{{if .Cases}}<h2>Cases</h2>{{end}}
{{range .Cases}}<details class="{{if .Failed}}fail{{end}}"{{if .Failed}} open{{end}}><summary>{{if .Failed}}✗{{else}}✓{{end}} {{.Title}} <code>{{.Method}} {{.URL}}</code>{{if .Status}} → {{.Status}}{{end}}</summary>
{{if .Error}}<p class="error"><span class="lv">error</span> {{.Error}}</p>{{end}}
{{if .Findings}}<table><tr><th>Level</th><th>ID</th><th>Field</th><th>Message</th><th>Recorded</th><th>Now</th></tr>
{{range .Findings}}<tr class="{{level .Level}}"><td class="lv">{{level .Level}}</td><td><code>{{.ID}}</code></td><td><code>{{.Field}}</code></td><td>{{.Message}}{{if gt .Count 1}} (×{{.Count}}){{end}}</td><td><code>{{.Old}}</code></td><td><code>{{.New}}</code></td></tr>
{{end}}</table>{{end}}
{{if .Rows}}<table class="diff"><tr><th>recorded</th><th>replayed</th></tr>{{range .Rows}}<tr><td class="{{if eq .Op "del"}}del{{else if eq .Op "chg"}}chg{{end}}">{{.Left}}</td><td class="{{if eq .Op "add"}}add{{else if eq .Op "chg"}}chg{{end}}">{{.Right}}</td></tr>{{end}}</table>{{end}}
</details>
{{end}}
{{range .Summaries}}<details class="summarised"><summary>{{.Cases}} more cases of {{.Suite}} summarised, not listed</summary>
<table><tr><th>Operation</th><th>Cases</th><th>Passed</th><th>Warnings</th><th>Failed</th><th>Errors</th><th>Skipped</th><th>Findings</th></tr>
{{range .Operations}}<tr><td>{{if .Operation}}<code>{{.Operation}}</code>{{else}}(no operation matched){{end}}</td><td>{{.Cases}}</td><td>{{.Passed}}</td><td>{{.Warnings}}</td><td>{{.Failed}}</td><td>{{.Errors}}</td><td>{{.Skipped}}</td><td>{{range $i, $f := .Findings}}{{if $i}}, {{end}}<code>{{$f.ID}}</code> {{level $f.Level}} ×{{$f.Count}}{{end}}</td></tr>
{{end}}</table></details>
{{end}}{{if .Untested}}<details class="untested"><summary>{{len .Untested}} operations not exercised (info)</summary>
<ul>{{range .Untested}}<li><code>{{.Operation}}</code> {{.Method}} {{.Path}}</li>{{end}}</ul></details>{{end}}
</main></body></html>
`))

// pretty re-indents JSON bodies so line diffs line up field by field.
func pretty(s string) []string {
	if s == "" {
		return nil
	}
	var v any
	if json.Unmarshal([]byte(s), &v) == nil {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if enc.Encode(v) == nil {
			s = b.String()
		}
	}
	return strings.Split(strings.TrimRight(s, "\n"), "\n")
}

// maxDiffLines bounds the quadratic line diff; longer bodies are shown
// side by side without alignment.
const maxDiffLines = 1500

// sideBySide aligns two line lists with a longest-common-subsequence diff.
func sideBySide(a, b []string) []htmlRow {
	if len(a) == 0 && len(b) == 0 {
		return nil
	}
	if len(a) > maxDiffLines || len(b) > maxDiffLines {
		var rows []htmlRow
		for i := 0; i < max(len(a), len(b)); i++ {
			var l, r string
			if i < len(a) {
				l = a[i]
			}
			if i < len(b) {
				r = b[i]
			}
			op := "same"
			if l != r {
				op = "chg"
			}
			rows = append(rows, htmlRow{l, r, op})
		}
		return rows
	}
	n, m := len(a), len(b)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var rows []htmlRow
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			rows = append(rows, htmlRow{a[i], b[j], "same"})
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			rows = append(rows, htmlRow{a[i], "", "del"})
			i++
		default:
			rows = append(rows, htmlRow{"", b[j], "add"})
			j++
		}
	}
	// Pair a deletion directly followed by an addition into one changed row.
	var out []htmlRow
	for k := 0; k < len(rows); k++ {
		if rows[k].Op == "del" && k+1 < len(rows) && rows[k+1].Op == "add" {
			out = append(out, htmlRow{rows[k].Left, rows[k+1].Right, "chg"})
			k++
			continue
		}
		out = append(out, rows[k])
	}
	return out
}

// Format implements Formatter.
func (HTML) Format(w io.Writer, r *contract.Report) error {
	p := htmlPage{R: r, Title: "Connector Lab " + string(r.Kind) + " — " + r.Connector}
	for _, s := range r.Suites {
		for _, c := range s.Cases {
			hc := htmlCase{Case: c, Title: caseName(c), Failed: c.Failed(r.FailOn)}
			if hc.Failed {
				p.Failed++
			}
			hc.Rows = sideBySide(pretty(c.Recorded), pretty(c.Replayed))
			p.Cases = append(p.Cases, hc)
		}
		if sm := s.Summary; sm != nil {
			p.Failed += sm.Failed + sm.Errors
			p.Summaries = append(p.Summaries, htmlSummary{Suite: s.Name, Summary: sm})
		}
		p.Total += s.Total()
	}
	// Failures lead: failed cases first, then the rest in run order.
	sort.SliceStable(p.Cases, func(i, j int) bool { return p.Cases[i].Failed && !p.Cases[j].Failed })
	for _, f := range r.Findings {
		if f.Untested() {
			p.Untested = append(p.Untested, f)
		} else {
			p.Findings = append(p.Findings, f)
		}
	}
	sort.SliceStable(p.Findings, func(i, j int) bool { return p.Findings[i].Level > p.Findings[j].Level })
	return htmlTmpl.Execute(w, p)
}
