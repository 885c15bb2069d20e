// Package faults owns the rules for fault-injection settings (latency,
// error and reset rates, error status, throttling, per-operation
// overrides) and the human form the CLI's flags and --config file use
// ("250ms", "100ms-1s", "10/1m"). The desktop's form and the CLI both end
// in Validate, so the rules exist once. It imports mock (for mock.Faults).
package faults
