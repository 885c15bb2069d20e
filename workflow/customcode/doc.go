// Package customcode is the workflow around a connector's custom code
// (script.csx) for the front doors: the --custom-code=off|on rule (on by
// default when the script host is available, otherwise a warning that
// says how to install it), starting the script host for a connector, and
// ScriptTest, the authoring loop behind 'connectorlab script test' that
// runs the script once against the mock or a target and reports the
// request and response before and after the code, its log lines and
// timing. It imports scripthost, mock, probe and connector, never cli
// or app.
package customcode
