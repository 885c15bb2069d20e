// Package traffic is the live traffic feed of running mocks and
// recording proxies: a Log is a recordings.Sink that keeps the newest
// exchanges in memory (bounded in count and body bytes), tags each with a
// stream ("mock:PATH", "session:ID") and tells a listener of new rows in
// batches (counts, not rows), so ten thousand exchanges a minute cost a
// few hundred small events. Page is a filtered window of a list's rows,
// newest first: the desktop's virtualised lists ask for the few hundred
// rows around what they show, so the webview never holds every exchange.
// View renders one exchange for a detail pane (bodies as text, redacted
// headers marked). It imports
// recordings only, never cli or app.
package traffic
