package mock

// installBehaviours attaches the built-in Power Platform behaviours
// (triggers, dynamic values and schemas, paging, policies) to s. It is the
// single integration point for the mock/* behaviour packages: each adds its
// Responders, Filters and Mounts here. New calls it after Options.Responders
// and the stateful store, and not at all with Options.DisableBehaviours.
func installBehaviours(s *Server) error {
	return installPowerPlatform(s)
}
