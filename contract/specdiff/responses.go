package specdiff

// checkResponses: field-level changes of response bodies, for every status
// both sides declare and for the main success response when its status
// changed.
func checkResponses(c *checker) {
	for _, od := range c.d.Ops {
		seen := map[string]bool{}
		if p := od.Primary; p != nil {
			status := p.NewStatus
			if p.OldStatus != p.NewStatus {
				status = p.OldStatus + "→" + p.NewStatus
			}
			judgeOutgoing(c, od.New, responseIDs, status, p.Changes)
			seen[p.OldStatus+"/"+p.NewStatus] = true
		}
		for _, r := range od.Responses {
			if seen[r.OldStatus+"/"+r.NewStatus] {
				continue
			}
			judgeOutgoing(c, od.New, responseIDs, r.NewStatus, r.Changes)
		}
	}
}
