// Package policy is the runtime engine for the policy templates of a
// connector's apiProperties.json (policyTemplateInstances): the one place
// that knows what dynamichosturl, setheader, routerequesttoendpoint and the
// rest do to a request or response. The mock server and the recording
// proxy both use it, so a request recorded through the proxy and one
// answered by the mock go through the same rewriting.
//
// It owns:
//   - the template expression language (@connectionParameters('x'),
//     @headers, @queryParameters, @body().a[0], @{...}, {@...}, {pathParam},
//     @Request.OriginalHTTPMethod): Parse, ParsePath;
//   - New, which compiles a connector's policies once and reports each one
//     that cannot run as written as a connector.Finding with a stable ID
//     (policy-template-unknown, policy-expression-invalid, …);
//   - Engine.Request and Engine.Response, which apply the request- and
//     response-section policies of an operation in declared order to real
//     *http.Request / *http.Response values and return a Trace for the
//     traffic log;
//   - Engine.BaseURL, the upstream base URL a connector talks to;
//   - PollingTrigger, the typed pollingtrigger description the mock's
//     polling-trigger runtime keeps its state with.
//
// Secrets: connection parameter values of securestring/oauthSetting type
// (and of undeclared names), credentials read from headers and values a
// setvaluefromurl call fetched never appear in a Trace, a log line or an
// error.
//
// It does not route requests to operations, authenticate, store or redact
// recordings, or serve HTTP. It imports connector and the standard library
// only; never mock, recordings, contract, app or cli.
//
// docs/POLICIES.md lists each template, its parameters, what the engine does
// and the known gaps.
package policy
