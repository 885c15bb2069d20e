package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// TokenFile is what the mock writes so that the CLI on the same machine
// can find and use its admin API.
type TokenFile struct {
	SchemaVersion int    `json:"schemaVersion"`
	URL           string `json:"url"`
	Token         string `json:"token"`
	PID           int    `json:"pid,omitempty"`
}

// TokenEnv names the environment variable that overrides the token file.
const TokenEnv = "CONNECTORLAB_ADMIN_TOKEN"

// DefaultTokenPath is where the mock with its admin API on port keeps its
// token file: the user's config directory, readable by the user only.
func DefaultTokenPath(port int) (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the config directory for the admin token file: %w", err)
	}
	return filepath.Join(dir, "connectorlab", "admin", strconv.Itoa(port)+".json"), nil
}

// WriteTokenFile writes tf to path with mode 0600 (directories 0700).
func WriteTokenFile(path string, tf TokenFile) error {
	tf.SchemaVersion = 1
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("write admin token file: %w", err)
	}
	b, _ := json.MarshalIndent(tf, "", "  ")
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write admin token file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write admin token file: %w", err)
	}
	return nil
}

// ReadTokenFile reads a token file.
func ReadTokenFile(path string) (TokenFile, error) {
	var tf TokenFile
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return tf, fmt.Errorf("no admin token file at %s: is `connectorlab mock` running with that admin port? (or set %s)", path, TokenEnv)
		}
		return tf, fmt.Errorf("read admin token file: %w", err)
	}
	if err := json.Unmarshal(b, &tf); err != nil {
		return tf, fmt.Errorf("admin token file %s: %w", path, err)
	}
	if tf.SchemaVersion != 1 || tf.Token == "" || tf.URL == "" {
		return tf, fmt.Errorf("admin token file %s: want schemaVersion 1 with url and token", path)
	}
	return tf, nil
}
