//go:build !desktop && !dev

package main

import "embed"

// assets is empty in plain builds (and in Wails' own bindings build): no
// frontend/dist is needed and main explains how to build the real app.
var assets embed.FS
