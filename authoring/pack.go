package authoring

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/connector/jsontext"
	"github.com/connectorlab/connectorlab/spelling"
)

// MaxScriptBytes is the custom-code size limit of Power Platform.
const MaxScriptBytes = 1 << 20

// PackOptions tune Check.
type PackOptions struct {
	// Certification applies the rules of connector certification
	// (publisher, stackOwner, connector metadata) as errors; without it
	// they are warnings, as for a custom connector imported in the portal.
	Certification bool
}

// packFiles are the files a connector folder may hold, and whether they
// go into the package.
var packFiles = map[string]bool{
	DefinitionFile: true, PropertiesFile: true, IconFile: true, ScriptFile: true, SettingsFile: true,
	ReadmeFile: false, "readme.md": false, "intro.md": false, ".gitignore": false,
}

var (
	colorRE   = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	secretRES = []struct {
		what string
		re   *regexp.Regexp
	}{
		{"a private key", regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`)},
		{"an AWS access key", regexp.MustCompile(`\bAKIA[0-9A-Z]{16}\b`)},
		{"a GitHub token", regexp.MustCompile(`\bgh[pousr]_[A-Za-z0-9]{36,}\b`)},
		{"a Slack token", regexp.MustCompile(`\bxox[baprs]-[A-Za-z0-9-]{10,}`)},
		{"a Stripe live key", regexp.MustCompile(`\b[rs]k_live_[A-Za-z0-9]{16,}`)},
		{"a storage account key", regexp.MustCompile(`AccountKey=[A-Za-z0-9+/=]{40,}`)},
		{"a JSON Web Token", regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}`)},
		{"a bearer token", regexp.MustCompile(`Bearer [A-Za-z0-9._~+/-]{24,}=*`)},
		{"a client secret", regexp.MustCompile(`(?i)"client_?secret"\s*:\s*"([^"\[{<][^"]{7,})"`)},
		{"a password", regexp.MustCompile(`(?i)"password"\s*:\s*"([^"\[{<][^"]{3,})"`)},
	}
)

// Check looks at a connector folder the way certification does: file
// names, required fields, the icon, the script size limit, secrets in the
// files and the definition's own validity. It returns findings (pack-* IDs
// and the lint errors behind pack-definition-invalid).
func Check(ctx context.Context, dir string, opts PackOptions) ([]connector.Finding, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a folder; pack takes a connector folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	lv := levelMap()
	var out []connector.Finding
	add := func(id string, level connector.Level, file, ptr, msg, fix string) {
		if level == 0 {
			level = lv[id]
		}
		out = append(out, connector.Finding{ID: id, Level: level, File: file, Pointer: ptr, Message: msg, Fix: fix})
	}
	have := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			if !strings.HasPrefix(name, ".") {
				add(PackFileName, connector.LevelWarning, filepath.Join(dir, name), "", "folder "+name+" is not part of a connector and is not packed", "")
			}
			continue
		}
		if _, ok := packFiles[name]; ok {
			have[name] = true
			continue
		}
		best, bestD := "", 4
		for known := range packFiles {
			if d := spelling.Distance(strings.ToLower(name), strings.ToLower(known)); d < bestD {
				best, bestD = known, d
			}
		}
		if best != "" && packFiles[best] {
			add(PackFileName, connector.LevelError, filepath.Join(dir, name), "", fmt.Sprintf("%s looks like %s but is misspelt; paconn and the portal do not read it", name, best), "rename it to "+best)
			continue
		}
		if strings.HasSuffix(strings.ToLower(name), ".zip") {
			continue
		}
		add(PackFileName, connector.LevelWarning, filepath.Join(dir, name), "", name+" is not a connector file and is not packed", "")
	}
	for _, req := range []string{DefinitionFile, PropertiesFile} {
		if !have[req] {
			add(PackFileMissing, 0, filepath.Join(dir, req), "", req+" is missing", "create the folder with 'connectorlab new'")
		}
	}
	certLevel := connector.LevelWarning
	if opts.Certification {
		certLevel = connector.LevelError
	}
	if have[DefinitionFile] {
		c, err := connector.Load(ctx, dir)
		if err != nil {
			add(PackInvalid, 0, filepath.Join(dir, DefinitionFile), "", err.Error(), "")
		} else {
			n := 0
			for _, f := range connector.Lint(ctx, c) {
				if f.Level >= connector.LevelError {
					out = append(out, f)
					n++
				}
			}
			if n > 0 {
				add(PackInvalid, 0, c.Files.Definition, "", fmt.Sprintf("validate reports %d errors (listed above)", n), "fix them; see connectorlab validate")
			}
			def := readJSON(c.Files.Definition)
			info := asMap(def["info"])
			for _, k := range []string{"title", "description", "version"} {
				if s, _ := info[k].(string); strings.TrimSpace(s) == "" {
					add(PackRequiredField, 0, c.Files.Definition, "/info/"+k, "info."+k+" is missing", "")
				}
			}
			if t, _ := info["title"].(string); len([]rune(t)) > 30 {
				add(PackRequiredField, certLevel, c.Files.Definition, "/info/title", fmt.Sprintf("info.title is %d characters; certification allows 30", len([]rune(t))), "shorten the title")
			}
			if h, _ := def["host"].(string); h == "" {
				add(PackRequiredField, 0, c.Files.Definition, "/host", "host is missing", "set the API's host name")
			}
			if def["x-ms-connector-metadata"] == nil {
				add(PackRequiredField, certLevel, c.Files.Definition, "/x-ms-connector-metadata", "x-ms-connector-metadata (Website, Privacy policy, Categories) is missing", "add it; certification requires it")
			}
		}
	}
	if have[PropertiesFile] {
		file := filepath.Join(dir, PropertiesFile)
		props := asMap(readJSON(file)["properties"])
		if props == nil {
			add(PackRequiredField, 0, file, "/properties", "apiProperties.json has no properties object", "")
		}
		col, _ := props["iconBrandColor"].(string)
		switch {
		case col == "":
			add(PackRequiredField, 0, file, "/properties/iconBrandColor", "iconBrandColor is missing", `set it, e.g. "#007ee5"`)
		case !colorRE.MatchString(col):
			add(PackRequiredField, 0, file, "/properties/iconBrandColor", fmt.Sprintf("iconBrandColor %q is not #rrggbb", col), "")
		case opts.Certification && (strings.EqualFold(col, "#ffffff") || strings.EqualFold(col, DefaultBrandColor)):
			add(PackRequiredField, certLevel, file, "/properties/iconBrandColor", fmt.Sprintf("iconBrandColor %s: certification wants your brand colour, not white or the default", col), "")
		}
		for _, k := range []string{"publisher", "stackOwner"} {
			if s, _ := props[k].(string); s == "" {
				add(PackRequiredField, certLevel, file, "/properties/"+k, k+" is missing", "new --"+map[string]string{"publisher": "publisher", "stackOwner": "stack-owner"}[k]+" NAME, or edit apiProperties.json")
			}
		}
		cps := asMap(props["connectionParameters"])
		for _, name := range sortedKeys(cps) {
			p := asMap(cps[name])
			if t, _ := p["type"].(string); strings.EqualFold(t, "securestring") && p["defaultValue"] != nil && p["defaultValue"] != "" {
				add(PackSecret, 0, file, "/properties/connectionParameters/"+connector.EscapePointerToken(name)+"/defaultValue", "securestring parameter "+name+" has a default value", "remove the value: makers type secrets when they connect")
			}
		}
	}
	if have[IconFile] {
		checkIcon(filepath.Join(dir, IconFile), add)
	}
	if have[ScriptFile] {
		if st, err := os.Stat(filepath.Join(dir, ScriptFile)); err == nil && st.Size() > MaxScriptBytes {
			add(PackScriptSize, 0, filepath.Join(dir, ScriptFile), "", fmt.Sprintf("script.csx is %d bytes; the limit is %d", st.Size(), MaxScriptBytes), "move logic to the API or shorten the script")
		}
	}
	for _, name := range sortedKeys(have) {
		if name == IconFile {
			continue
		}
		scanSecrets(filepath.Join(dir, name), add)
	}
	connector.SortFindings(out)
	return out, nil
}

func readJSON(file string) map[string]any {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	norm, _, err := jsontext.Normalize(b, jsontext.Options{})
	if err != nil {
		return nil
	}
	var m map[string]any
	_ = json.Unmarshal(norm, &m)
	return m
}

func checkIcon(file string, add func(id string, level connector.Level, file, ptr, msg, fix string)) {
	f, err := os.Open(file)
	if err != nil {
		return
	}
	defer f.Close()
	st, _ := f.Stat()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		add(PackIconFormat, 0, file, "", "icon.png is not a PNG image: "+err.Error(), "save the icon as PNG")
		return
	}
	if cfg.Width != cfg.Height || cfg.Width < 100 || cfg.Width > 230 {
		add(PackIconSize, 0, file, "", fmt.Sprintf("icon is %d×%d; use a square PNG of 100-230 px", cfg.Width, cfg.Height), "")
	}
	if st != nil && st.Size() > 1<<20 {
		add(PackIconSize, 0, file, "", fmt.Sprintf("icon is %d bytes; keep it under 1 MB", st.Size()), "")
	}
}

func scanSecrets(file string, add func(id string, level connector.Level, file, ptr, msg, fix string)) {
	b, err := os.ReadFile(file)
	if err != nil {
		return
	}
	lines := bytes.Split(b, []byte("\n"))
	for i, line := range lines {
		for _, s := range secretRES {
			if m := s.re.FindSubmatch(line); m != nil {
				if len(m) > 1 && placeholder(string(m[1])) {
					continue
				}
				f := connector.Finding{ID: PackSecret, Level: connector.LevelError, File: file, Line: i + 1, Col: bytes.Index(line, m[0]) + 1,
					Message: "line holds what looks like " + s.what + " (value not shown)", Fix: "remove it; secrets come from the connection, never the files"}
				out := f
				add(out.ID, out.Level, out.File, "", out.Message, out.Fix)
				break
			}
		}
	}
}

func placeholder(v string) bool {
	l := strings.ToLower(v)
	return strings.Contains(l, "replace") || strings.Contains(l, "your") || strings.Contains(l, "xxx") || strings.Contains(l, "example") ||
		strings.Contains(l, "redacted") || strings.HasPrefix(l, "@") || strings.Contains(l, "{{")
}

// Pack writes the zip of a checked folder: the files paconn and the portal
// import read, with fixed timestamps so the same folder gives the same
// bytes.
func Pack(dir string, w io.Writer) ([]string, error) {
	zw := zip.NewWriter(w)
	var names []string
	for name, include := range packFiles {
		if include {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return nil, err
		}
		if _, err := fw.Write(b); err != nil {
			return nil, err
		}
	}
	return names, zw.Close()
}
