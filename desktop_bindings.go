//go:build bindings

package main

// desktopBuild is true in Wails' own bindings build, which runs main to
// generate frontend/src/api/wailsjs.
const desktopBuild = true

// needsDisplay is false: the bindings build opens no window (wails build
// runs it on build machines without a display).
const needsDisplay = false
