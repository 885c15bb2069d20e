//go:build desktop || dev

package main

import "embed"

// assets is the built frontend. Only desktop and dev builds embed it, so a
// fresh clone can run go build/vet/test ./... before any npm step.
//
//go:embed all:frontend/dist
var assets embed.FS
