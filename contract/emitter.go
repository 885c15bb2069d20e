package contract

// Emitter receives progress from long runs (replays, corpus diffs). The
// CLI adapts it to a progress bar on a terminal and to nothing in CI; the
// desktop app adapts it to Wails events. Implementations must be safe for
// concurrent use: the replay runner calls them from its workers.
type Emitter interface {
	// Progress says done of total units are finished; what names the last.
	Progress(done, total int, what string)
	// Case is called once per finished test case.
	Case(c Case)
}

// NopEmitter discards everything.
type NopEmitter struct{}

// Progress implements Emitter.
func (NopEmitter) Progress(int, int, string) {}

// Case implements Emitter.
func (NopEmitter) Case(Case) {}

// EmitterFuncs adapts functions to Emitter; nil fields are skipped.
type EmitterFuncs struct {
	ProgressFn func(done, total int, what string)
	CaseFn     func(c Case)
}

// Progress implements Emitter.
func (e EmitterFuncs) Progress(done, total int, what string) {
	if e.ProgressFn != nil {
		e.ProgressFn(done, total, what)
	}
}

// Case implements Emitter.
func (e EmitterFuncs) Case(c Case) {
	if e.CaseFn != nil {
		e.CaseFn(c)
	}
}
