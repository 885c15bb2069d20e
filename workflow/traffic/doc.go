// Package traffic is the live traffic feed of running mocks and
// recording proxies: a Log is a recordings.Sink that keeps the newest
// exchanges in memory (bounded in count and body bytes), tags each with a
// stream ("mock:PATH", "session:ID") and hands rows to a listener in
// batches, so ten thousand exchanges a minute cost a few hundred events.
// View renders one exchange for a detail pane (bodies as text, redacted
// headers marked). The desktop's live lists sit on it. It imports
// recordings only, never cli or app.
package traffic
