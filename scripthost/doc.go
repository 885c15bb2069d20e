// Package scripthost runs a connector's custom code (script.csx) the way
// the Power Platform gateway does: the script is compiled with Mono's C#
// compiler (mcs, or csc when present) together with a shim of the
// gateway's surface (ScriptBase, IScriptContext, ILogger,
// CreateJsonContent) and a small host loop, into an assembly cached by
// sha256(script + shim). One long-lived mono child process per connector
// runs Script.ExecuteAsync per call and talks to Go over its stdin and
// stdout with length-prefixed JSON frames (see proto.go).
//
// Go keeps every socket: Context.SendAsync in the script is a frame back
// to Go, which performs the request through an injected Send function, so
// the mock, the recording proxy and test each decide where a script's
// requests go (the simulated backend, the live upstream through the
// recording proxy, the test target).
//
// Gateway limits: the source must be under 1 MB, using directives must
// name namespaces on the gateway's list (checked at compile time, naming
// the line), one call runs at most 5 s (Options.Timeout) after which the
// child's whole process group is killed and a fresh child started. An
// exception in the script answers 500 with its message (502 when it came
// from SendAsync), as the gateway does; the script's Logger output and its
// Console writes are captured as log lines of the call.
//
// Isolation (see docs/CUSTOM-CODE.md): the child runs in its own process
// group with only stdin, stdout and stderr open, an empty environment, the
// cache directory as working directory, and, on Linux where unprivileged
// user namespaces allow it, in a new network namespace with no interfaces
// up, so it cannot open sockets to anything. It can still read the files
// the user running Connector Lab can read: this is a development sandbox,
// not a security boundary; run untrusted scripts in a container.
//
// Handler and RoundTripper are the single hook points the mock, the
// recording proxy and test install: Handler runs the script in front of an
// http.Handler (the mock, the proxy), RoundTripper in front of an
// http.RoundTripper (test's client).
package scripthost
