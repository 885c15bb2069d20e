//go:build !desktop && !dev && !bindings

package main

// desktopBuild is false in plain go build/vet/test builds: main explains
// how to build the real app and exits non-zero.
const desktopBuild = false

// needsDisplay: a plain build opens no window.
const needsDisplay = false
