// Package triggers drives the triggers of a running mock through its
// admin API (`connectorlab trigger ls|fire`): it finds the API and its
// token (environment or token file), lists triggers, subscriptions and
// polling cursors, fires events, and writes both as text. A fire that
// reaches no subscriber, or a delivery that fails, is a finding. It
// imports mock/admin and mock/trigger, never cli or app.
package triggers
