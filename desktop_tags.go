//go:build (desktop || dev) && !bindings

package main

// desktopBuild is true in builds that can open a window.
const desktopBuild = true

// needsDisplay: the window needs an X11 or Wayland display on Linux; main
// checks for one before GTK would abort.
const needsDisplay = true
