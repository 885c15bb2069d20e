package app

// Event names the window subscribes to. They are the contract with
// frontend/src/api/events.ts; change both together.
const (
	// EventTrafficBatch carries a TrafficBatch: how many exchanges were
	// recorded since the previous batch and on which streams (not the rows:
	// lists page them with TrafficService.Rows), at most ten a second.
	EventTrafficBatch = "traffic:batch"
	// EventTrafficCleared carries the scope whose rows were dropped.
	EventTrafficCleared = "traffic:cleared"
	// EventMockState carries a MockStatus when a mock starts, stops or fails.
	EventMockState = "mock:state"
	// EventContractProgress carries a ContractProgress while a run goes on.
	EventContractProgress = "contract:progress"
	// EventContractDone carries the finished ContractRun.
	EventContractDone = "contract:done"
	// EventRecordState carries a RecordStatus when a recording proxy starts
	// or stops.
	EventRecordState = "record:state"
	// EventSessionsChanged carries the SessionView of a session that
	// gained exchanges outside a recording (a saved test case).
	EventSessionsChanged = "sessions:changed"
	// EventOpenPath carries a path the user dropped on the window or passed
	// on the command line; the window opens it as a connector.
	EventOpenPath = "connector:open-path"
)

// emitter sends one event to the window. The Wails runtime implements it in
// production; tests record the calls.
type emitter interface {
	Emit(event string, data any)
}

// emitFunc adapts a function to emitter.
type emitFunc func(event string, data any)

func (f emitFunc) Emit(event string, data any) { f(event, data) }
