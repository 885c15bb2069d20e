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
		for _, c := range s.Cases {
			run.Total++
			switch {
			case c.Error != "":
				run.Errors++
			case c.Skipped != "":
				run.Skipped++
			case c.Failed(r.FailOn):
				run.Failed++
			default:
				run.Passed++
			}
			if contract.MaxLevel(c.Findings) == contract.LevelWarning {
				run.Warnings++
			}
		}
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
	if len(fs) > 0 {
		if err := runs.AddFindings(ctx, run.ID, fs); err != nil {
			return run.ID, fmt.Errorf("save findings: %w", err)
		}
	}
	return run.ID, nil
}
