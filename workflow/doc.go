// Package workflow is the layer between the engine (connector, policy,
// recordings, mock, contract) and the two front doors (cli and app). Each
// sub-package owns one workflow end to end: its parsing, defaults,
// validation rules and error wording, so that cli/ only maps flags and
// app/ only maps forms onto it.
//
//   - workflow/recorder: a recording proxy with a Start/Stop handle
//     (upstream URL rules, required connection parameters, session names).
//   - workflow/faults: the one rule set for fault injection settings.
//   - workflow/exchanges: reading every exchange of a session.
//
// Errors a user can fix are *Error with a Kind (usage, exists,
// infrastructure) and a Fix; the front doors turn the Kind into an exit
// code or a dialog. workflow never imports cli, app or Wails.
package workflow
