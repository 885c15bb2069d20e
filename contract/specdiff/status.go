package specdiff

import (
	"fmt"
	"strings"

	"github.com/connectorlab/connectorlab/contract"
)

// checkStatus: the main success status, declared statuses, bodies and
// media types of responses.
func checkStatus(c *checker) {
	for _, od := range c.d.Ops {
		base := opFinding("", 0, od.New)
		base.Where = "response.status"
		p := od.Primary
		if p != nil && p.OldStatus != p.NewStatus {
			f := base
			f.ID, f.Level, f.Old, f.New = StatusChanged, contract.LevelError, p.OldStatus, p.NewStatus
			f.Message = fmt.Sprintf("success status changed from %s to %s", p.OldStatus, p.NewStatus)
			c.add(f)
		}
		if p != nil && p.OldSchema && !p.NewSchema {
			f := base
			f.ID, f.Level, f.Where = BodyRemoved, contract.LevelError, "response.body"
			f.Old, f.New = p.OldStatus+" with body", p.NewStatus+" without body"
			f.Message = fmt.Sprintf("success response %s no longer has a body (was %s with a schema): flows reading outputs break", p.NewStatus, p.OldStatus)
			c.add(f)
		}
		primaryOld, primaryNew := "", ""
		if p != nil {
			primaryOld, primaryNew = p.OldStatus, p.NewStatus
		}
		for _, s := range od.StatusesRemoved {
			if s == primaryOld {
				continue
			}
			f := base
			f.ID, f.Level, f.Old = StatusRemoved, contract.LevelWarning, s
			if !strings.HasPrefix(s, "2") {
				f.Level = contract.LevelInfo
			}
			f.Message = fmt.Sprintf("status %s is no longer declared", s)
			c.add(f)
		}
		for _, s := range od.StatusesAdded {
			if s == primaryNew {
				continue
			}
			f := base
			f.ID, f.Level, f.New = StatusAdded, contract.LevelInfo, s
			f.Message = fmt.Sprintf("new declared status %s", s)
			c.add(f)
		}
		for _, r := range od.Responses {
			if r.OldMedia != "" && r.NewMedia != "" && !sameMedia(r.OldMedia, r.NewMedia) {
				f := base
				f.ID, f.Level, f.Where = MediaTypeChanged, contract.LevelWarning, "response.header"
				f.Field, f.Old, f.New = "Content-Type", r.OldMedia, r.NewMedia
				f.Message = fmt.Sprintf("response %s media type changed from %s to %s", r.NewStatus, r.OldMedia, r.NewMedia)
				c.add(f)
			}
		}
	}
}

func sameMedia(a, b string) bool {
	norm := func(s string) string {
		s, _, _ = strings.Cut(strings.ToLower(s), ";")
		return strings.TrimSpace(s)
	}
	return norm(a) == norm(b)
}
