package connector

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// confinedFiles refuses a connector folder whose files (definition,
// apiProperties.json, settings.json, script) are links that leave the
// folder: a hostile folder could otherwise make the loader read, and its
// errors quote, any file the user can read. Links that stay inside the
// folder are fine. The message names the file and the link's target, never
// the target's content.
func confinedFiles(files Files) error {
	if files.Dir == "" {
		return nil
	}
	root, err := os.OpenRoot(files.Dir)
	if err != nil {
		return &LoadError{File: files.Dir, Msg: "cannot open folder: " + errText(err), Err: err}
	}
	defer root.Close()
	for _, p := range []string{files.Definition, files.Properties, files.Settings, files.Script} {
		if p == "" {
			continue
		}
		if err := confined(root, files.Dir, p); err != nil {
			return err
		}
	}
	return nil
}

func confined(root *os.Root, dir, path string) error {
	rel, err := filepath.Rel(dir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return &LoadError{File: path, Msg: "is outside the connector folder " + dir, Fix: "copy the file into the folder"}
	}
	if _, err := root.Stat(rel); err == nil {
		return nil
	}
	target, lerr := os.Readlink(path)
	if lerr != nil {
		target = "somewhere outside it"
	}
	return &LoadError{File: path, Msg: fmt.Sprintf("is a link that leaves the connector folder %s (to %s); refused, its content is not read", dir, target),
		Fix: "replace the link with a copy of the file, or a link to a file inside the folder"}
}

// readIn reads path through the connector folder dir, so a link swapped in
// after confinedFiles checked it is still not followed out of the folder.
// dir "" (a lone definition file the user named) reads path as it is.
func (l *Loader) readIn(dir, path string) ([]byte, error) {
	if dir == "" {
		return l.readFile(path)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, &LoadError{File: dir, Msg: "cannot open folder: " + errText(err), Err: err}
	}
	defer root.Close()
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return nil, &LoadError{File: path, Msg: "is outside the connector folder " + dir}
	}
	f, err := root.Open(rel)
	if err != nil {
		if cerr := confined(root, dir, path); cerr != nil {
			return nil, cerr
		}
		return nil, &LoadError{File: path, Msg: "cannot open: " + errText(err), Err: err}
	}
	defer f.Close()
	return l.readLimited(path, f)
}

func (l *Loader) readLimited(path string, f io.Reader) ([]byte, error) {
	limit := l.maxBytes()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &LoadError{File: path, Msg: "cannot read: " + errText(err), Err: err}
	}
	if int64(len(data)) > limit {
		return nil, &LoadError{File: path, Msg: fmt.Sprintf("file is larger than the %d MiB limit", limit>>20),
			Fix: "raise the limit with --max-size if the file is genuine"}
	}
	return data, nil
}
