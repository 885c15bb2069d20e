package replay

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/recordings"
)

// SaveRun writes a finished report to the store's run history (runs and
// findings tables) so the desktop app can show trends. sessionID is the
// replayed session (0 for generated or HAR runs). Each finding keeps its
// full JSON in Detail.
func SaveRun(ctx context.Context, runs recordings.Runs, r *contract.Report, kind string, sessionID int64) (int64, error) {
	run := &recordings.Run{SessionID: sessionID, Connector: r.Connector, Kind: kind, Target: r.Target,
		StartedAt: r.Started, EndedAt: r.Started.Add(time.Duration(r.Duration)), Status: "passed"}
	if !r.Passed {
		run.Status = "failed"
	}
	for _, s := range r.Suites {
		t := s.Tally(r.FailOn)
		run.Total += t.Cases
		run.Errors += t.Errors
		run.Skipped += t.Skipped
		run.Failed += t.Failed
		run.Passed += t.Passed + t.Warnings
		run.Warnings += t.Warned
	}
	detail, _ := json.Marshal(map[string]any{"schemaVersion": contract.SchemaVersion, "failOn": r.FailOn, "shard": r.Shard,
		"recordings": r.Recordings, "counts": r.Counts, "customCode": r.CustomCode})
	run.Detail = detail
	if err := runs.CreateRun(ctx, run); err != nil {
		return 0, fmt.Errorf("save run: %w", err)
	}
	var fs []*recordings.Finding
	for _, f := range r.AllFindings() {
		d, _ := json.Marshal(f)
		if sessionID == 0 {
			f.Exchange = 0 // generated or imported exchanges are not rows of the store
		}
		fs = append(fs, &recordings.Finding{RunID: run.ID, FindingID: f.ID, Level: f.Level.String(), OperationID: f.Operation,
			ExchangeID: f.Exchange, Message: f.Message, Pointer: f.Pointer, Detail: d})
	}
	// Findings of summarised cases: one row per operation, ID and level,
	// with their count (a million rows would make the history the store).
	for _, s := range r.Suites {
		if s.Summary == nil {
			continue
		}
		for _, op := range s.Summary.Operations {
			for _, ft := range op.Findings {
				f := contract.Finding{ID: ft.ID, Level: ft.Level, Operation: op.Operation, Count: ft.Count,
					Message: fmt.Sprintf("%s in %d cases not listed (summarised)", ft.ID, ft.Count)}
				d, _ := json.Marshal(f)
				fs = append(fs, &recordings.Finding{RunID: run.ID, FindingID: f.ID, Level: f.Level.String(), OperationID: f.Operation,
					Message: f.Message, Detail: d})
			}
		}
	}
	if len(fs) > 0 {
		if err := runs.AddFindings(ctx, run.ID, fs); err != nil {
			return run.ID, fmt.Errorf("save findings: %w", err)
		}
	}
	return run.ID, nil
}
