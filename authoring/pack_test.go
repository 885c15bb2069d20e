package authoring_test

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
)

func newDir(t *testing.T) string {
	t.Helper()
	c, err := connector.Load(context.Background(), "testdata/petstore.openapi3.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src, _ := authoring.FromConnector(c)
	f, err := authoring.Build(src, authoring.Options{Auth: authoring.AuthAPIKey, Publisher: "Contoso", StackOwner: "Contoso Ltd"})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "pets")
	if err := f.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeIcon(t *testing.T, file string, w, h int) {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		cert  bool
		want  string // finding ID at error level; "" for none
		warn  string // finding ID at warning level
	}{
		{name: "fresh folder passes", setup: func(*testing.T, string) {}},
		{name: "certification wants metadata", setup: func(*testing.T, string) {}, cert: true, want: authoring.PackRequiredField},
		{name: "misspelt definition", setup: func(t *testing.T, dir string) {
			os.Rename(filepath.Join(dir, authoring.DefinitionFile), filepath.Join(dir, "apiDefination.swagger.json"))
		}, want: authoring.PackFileName},
		{name: "secret in properties", setup: func(t *testing.T, dir string) {
			p := filepath.Join(dir, authoring.PropertiesFile)
			b, _ := os.ReadFile(p)
			b = bytes.Replace(b, []byte(`"iconBrandColor"`), []byte(`"clientSecret": "s3cr3t-V4lue-9f8e7d",`+"\n"+`    "iconBrandColor"`), 1)
			os.WriteFile(p, b, 0o644)
		}, want: authoring.PackSecret},
		{name: "icon not png", setup: func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, authoring.IconFile), []byte("GIF89a..."), 0o644)
		}, want: authoring.PackIconFormat},
		{name: "icon not square", setup: func(t *testing.T, dir string) {
			writeIcon(t, filepath.Join(dir, authoring.IconFile), 160, 100)
		}, warn: authoring.PackIconSize},
		{name: "script over 1 MB", setup: func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, authoring.ScriptFile), bytes.Repeat([]byte("// x\n"), authoring.MaxScriptBytes/5+10), 0o644)
		}, want: authoring.PackScriptSize},
		{name: "no properties", setup: func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, authoring.PropertiesFile))
		}, want: authoring.PackFileMissing},
		{name: "bad brand color", setup: func(t *testing.T, dir string) {
			p := filepath.Join(dir, authoring.PropertiesFile)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(b, []byte(authoring.DefaultBrandColor), []byte("blue"), 1), 0o644)
		}, want: authoring.PackRequiredField},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := newDir(t)
			tt.setup(t, dir)
			fs, err := authoring.Check(context.Background(), dir, authoring.PackOptions{Certification: tt.cert})
			if err != nil {
				t.Fatal(err)
			}
			errs := map[string]bool{}
			warns := map[string]bool{}
			for _, f := range fs {
				if f.Level >= connector.LevelError {
					errs[f.ID] = true
				} else if f.Level == connector.LevelWarning {
					warns[f.ID] = true
				}
				if strings.Contains(f.Message, "s3cr3t") {
					t.Errorf("a finding shows the secret: %s", f)
				}
			}
			if tt.want == "" && len(errs) > 0 {
				t.Errorf("errors on a fresh folder: %v", fs)
			}
			if tt.want != "" && !errs[tt.want] {
				t.Errorf("no %s error in %v", tt.want, fs)
			}
			if tt.warn != "" && !warns[tt.warn] {
				t.Errorf("no %s warning in %v", tt.warn, fs)
			}
		})
	}
}

func TestPackZip(t *testing.T) {
	t.Parallel()
	dir := newDir(t)
	writeIcon(t, filepath.Join(dir, authoring.IconFile), 160, 160)
	var a, b bytes.Buffer
	names, err := authoring.Pack(dir, &a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := authoring.Pack(dir, &b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("packing the same folder twice gave different bytes")
	}
	zr, err := zip.NewReader(bytes.NewReader(a.Bytes()), int64(a.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range zr.File {
		got = append(got, f.Name)
	}
	sort.Strings(got)
	want := []string{authoring.DefinitionFile, authoring.PropertiesFile, authoring.IconFile, authoring.SettingsFile}
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") || len(names) != len(want) {
		t.Errorf("zip holds %v, want %v", got, want)
	}
}
