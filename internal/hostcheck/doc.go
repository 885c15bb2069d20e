// Package hostcheck is the one Host-header check of every Connector Lab
// listener that serves recorded or generated data (the mock, `mock
// --replay`, the admin API): a request is answered only when its Host names
// the address the listener is bound to, a loopback name, or a name the
// user allowed (--allow-host). A web page that rebinds its own DNS name to
// 127.0.0.1 sends its own name as Host and is refused, so it cannot read
// what the listener serves (DNS rebinding).
package hostcheck
