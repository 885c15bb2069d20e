package app

import (
	"runtime/debug"
	"sync"
	"time"
)

// idleTrim hands the Go heap's free pages back to the OS once the app has
// been quiet for a moment. Loading a large connector or taking a burst of
// traffic leaves a heap well above what stays live (HubSpot CRM V2 and
// 10,000 exchanges: 39 MB resident for 24 MB live), and the runtime's
// background scavenger keeps about the GC goal resident until then; a
// desktop app idles most of the time, so one forced collection after the
// work is cheap (a few ms) and the window's memory is what it holds, not its
// last peak (docs/PERFORMANCE.md, "Desktop app").
type idleTrim struct {
	delay time.Duration
	free  func()

	mu    sync.Mutex
	timer *time.Timer
}

func newIdleTrim(delay time.Duration) *idleTrim {
	return &idleTrim{delay: delay, free: debug.FreeOSMemory}
}

// poke says work just happened: trim delay after the last poke. A nil
// idleTrim does nothing (services built without a Desktop, in tests).
func (m *idleTrim) poke() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.timer == nil {
		m.timer = time.AfterFunc(m.delay, m.free)
		return
	}
	m.timer.Reset(m.delay)
}

// stop cancels a pending trim (shutdown).
func (m *idleTrim) stop() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.timer != nil {
		m.timer.Stop()
	}
}
