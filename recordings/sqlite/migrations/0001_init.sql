-- 0001: sessions, exchanges, runs, findings.
-- Times are Unix nanoseconds (UTC); durations nanoseconds; JSON columns hold
-- the encoding/json form of the recordings types.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
) STRICT;

CREATE TABLE sessions (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL UNIQUE,
  connector   TEXT    NOT NULL DEFAULT '',
  upstream    TEXT    NOT NULL DEFAULT '',
  source      TEXT    NOT NULL DEFAULT '',
  started_at  INTEGER NOT NULL,
  ended_at    INTEGER NOT NULL DEFAULT 0,
  status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'complete', 'incomplete')),
  problem     TEXT    NOT NULL DEFAULT '',
  best_effort INTEGER NOT NULL DEFAULT 0,
  tags        TEXT    NOT NULL DEFAULT '[]',
  rules       TEXT    NOT NULL DEFAULT '{}',
  writer_pid  INTEGER NOT NULL DEFAULT 0,
  writer_host TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE exchanges (
  id             INTEGER PRIMARY KEY,
  session_id     INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  source         TEXT    NOT NULL DEFAULT '',
  connector      TEXT    NOT NULL DEFAULT '',
  operation_id   TEXT    NOT NULL DEFAULT '',
  started_at     INTEGER NOT NULL,
  duration_ns    INTEGER NOT NULL DEFAULT 0,
  upstream_ns    INTEGER NOT NULL DEFAULT 0,
  method         TEXT    NOT NULL,
  url            TEXT    NOT NULL,
  path           TEXT    NOT NULL DEFAULT '',
  req_headers    TEXT    NOT NULL DEFAULT '{}',
  req_body       BLOB,
  req_size       INTEGER NOT NULL DEFAULT 0,
  req_sha256     TEXT    NOT NULL DEFAULT '',
  req_truncated  INTEGER NOT NULL DEFAULT 0,
  req_encoding   TEXT    NOT NULL DEFAULT '',
  req_wire_size  INTEGER NOT NULL DEFAULT 0,
  status         INTEGER NOT NULL DEFAULT 0,
  resp_headers   TEXT    NOT NULL DEFAULT '{}',
  resp_body      BLOB,
  resp_size      INTEGER NOT NULL DEFAULT 0,
  resp_sha256    TEXT    NOT NULL DEFAULT '',
  resp_truncated INTEGER NOT NULL DEFAULT 0,
  resp_encoding  TEXT    NOT NULL DEFAULT '',
  resp_wire_size INTEGER NOT NULL DEFAULT 0,
  error          TEXT    NOT NULL DEFAULT '',
  notes          TEXT    NOT NULL DEFAULT '[]',
  redactions     TEXT    NOT NULL DEFAULT '[]'
) STRICT;

CREATE INDEX exchanges_by_session   ON exchanges(session_id, id);
-- No index on operation_id: every index is paid on every insert, and
-- filtering one session's rows by operation is a short scan.

CREATE TABLE runs (
  id         INTEGER PRIMARY KEY,
  session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
  connector  TEXT    NOT NULL DEFAULT '',
  kind       TEXT    NOT NULL DEFAULT '',
  target     TEXT    NOT NULL DEFAULT '',
  started_at INTEGER NOT NULL,
  ended_at   INTEGER NOT NULL DEFAULT 0,
  status     TEXT    NOT NULL DEFAULT 'running',
  total      INTEGER NOT NULL DEFAULT 0,
  passed     INTEGER NOT NULL DEFAULT 0,
  failed     INTEGER NOT NULL DEFAULT 0,
  errors     INTEGER NOT NULL DEFAULT 0,
  skipped    INTEGER NOT NULL DEFAULT 0,
  warnings   INTEGER NOT NULL DEFAULT 0,
  detail     BLOB
) STRICT;

CREATE INDEX runs_by_session ON runs(session_id, id);

CREATE TABLE findings (
  id           INTEGER PRIMARY KEY,
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  finding_id   TEXT    NOT NULL,
  level        TEXT    NOT NULL CHECK (level IN ('error', 'warning', 'info')),
  operation_id TEXT    NOT NULL DEFAULT '',
  exchange_id  INTEGER REFERENCES exchanges(id) ON DELETE SET NULL,
  message      TEXT    NOT NULL,
  pointer      TEXT    NOT NULL DEFAULT '',
  detail       BLOB
) STRICT;

CREATE INDEX findings_by_run      ON findings(run_id, id);
CREATE INDEX findings_by_exchange ON findings(exchange_id);
