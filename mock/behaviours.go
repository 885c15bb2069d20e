package mock

// installBehaviours attaches the built-in Power Platform behaviours
// (triggers, dynamic values and schemas, paging, policies) to s. It is the
// single integration point for the mock/* behaviour packages: each adds its
// Responders, Filters and Mounts here. New calls it before the stateful
// store is added, so behaviours see calls first.
func installBehaviours(s *Server) error {
	return installPowerPlatform(s)
}
