//go:build desktop || dev || bindings

package main

// desktopBuild is true in builds that can open a window, and in Wails' own
// bindings build, which runs main to generate frontend/wailsjs.
const desktopBuild = true
