package faults

// Over fills what s leaves unset from base (a config file's faults under
// the flags): each setting given in s wins; the per-operation faults
// come from base.
func (s Spec) Over(base Spec) Spec {
	out := s
	out.Operations = base.Operations
	if out.Latency == "" {
		out.Latency = base.Latency
	}
	if out.ErrorRate == 0 {
		out.ErrorRate, out.ErrorStatus = base.ErrorRate, base.ErrorStatus
	}
	if out.ResetRate == 0 {
		out.ResetRate = base.ResetRate
	}
	if out.Throttle == "" {
		out.Throttle = base.Throttle
	}
	return out
}
