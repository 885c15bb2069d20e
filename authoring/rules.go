package authoring

import "github.com/connectorlab/connectorlab/contract"

// Finding IDs of conversion losses (create-*), of inference from traffic
// (infer-*) and of the certification checks of Check (pack-*). They are
// stable: tests and users key on them. Rules lists them for the catalogue.
const (
	LossOneOf              = "create-oneof-approximated"
	LossAnyOf              = "create-anyof-approximated"
	LossNot                = "create-not-dropped"
	LossNullableUnion      = "create-nullable-union"
	LossTypeUnion          = "create-type-union"
	LossKeyword            = "create-keyword-dropped"
	LossServers            = "create-servers-multiple"
	LossServerVariables    = "create-server-variables"
	LossOperationServers   = "create-operation-servers"
	LossCookieParam        = "create-cookie-parameter"
	LossParamContent       = "create-parameter-content"
	LossParamStyle         = "create-parameter-style"
	LossCallback           = "create-callback-dropped"
	LossWebhooks           = "create-webhooks-dropped"
	LossLinks              = "create-links-dropped"
	LossGetBody            = "create-get-body-dropped"
	LossContentTypes       = "create-content-type-multiple"
	LossExamples           = "create-examples-multiple"
	LossMethod             = "create-method-unsupported"
	LossSecurityAlternates = "create-security-alternatives"
	LossAuthUnsupported    = "create-auth-unsupported"
	LossBearerAsAPIKey     = "create-bearer-as-apikey"
	FixOperationID         = "create-operation-id-generated"
	FixOperationIDRenamed  = "create-operation-id-renamed"
	FixSummary             = "create-summary-generated"
	FixPostmanV1           = "create-postman-v1-upgraded"
	LossMockoonRules       = "create-mockoon-rules"
	LossMockoonTemplating  = "create-mockoon-templating"
	LossMockoonRoute       = "create-mockoon-route"

	ExportMockoonOperationID = "export-mockoon-operation-id"
	ExportMockoonParameters  = "export-mockoon-parameters"
	ExportMockoonAuth        = "export-mockoon-auth"
	ExportMockoonPolicy      = "export-mockoon-policy"
	ExportMockoonCustomCode  = "export-mockoon-custom-code"
	ExportMockoonTrigger     = "export-mockoon-trigger"
	ExportMockoonPath        = "export-mockoon-path"
	ExportMockoonRouteClash  = "export-mockoon-route-clash"
	ExportMockoonGenerated   = "export-mockoon-body-generated"
	ExportMockoonErrorRate   = "export-mockoon-error-rate"
	ExportMockoonDisabled    = "export-mockoon-disabled"
	ExportMockoonModeRules   = "export-mockoon-mode-rules"

	InferTemplated   = "infer-path-templated"
	InferAuth        = "infer-auth-detected"
	InferUnmatched   = "infer-merge-unmatched"
	InferNoExchanges = "infer-no-exchanges"

	PackFileName      = "pack-file-name"
	PackFileMissing   = "pack-file-missing"
	PackRequiredField = "pack-required-field"
	PackIconFormat    = "pack-icon-format"
	PackIconSize      = "pack-icon-size"
	PackScriptSize    = "pack-script-too-large"
	PackSecret        = "pack-secret"
	PackInvalid       = "pack-definition-invalid"
)

// KindCreate is the catalogue kind of the rules below.
const KindCreate contract.Kind = "create"

// Rules is the catalogue of authoring findings.
func Rules() contract.Catalogue {
	r := func(id string, l contract.Level, s string) contract.Rule {
		return contract.Rule{ID: id, Level: l, Kind: KindCreate, Summary: s}
	}
	E, W, I := contract.LevelError, contract.LevelWarning, contract.LevelInfo
	return contract.Catalogue{
		r(LossOneOf, W, "oneOf has no Swagger 2.0 form: object variants were merged into one object (a property is required only when every variant requires it), otherwise the first variant was kept"),
		r(LossAnyOf, W, "anyOf has no Swagger 2.0 form: approximated like oneOf"),
		r(LossNot, W, "a `not` schema was dropped"),
		r(LossNullableUnion, I, "a nullable union (type [X, null], nullable, oneOf/anyOf with null) became X with x-nullable"),
		r(LossTypeUnion, W, "a schema with several types became the loosest single type"),
		r(LossKeyword, I, "a JSON Schema keyword Swagger 2.0 lacks (const, if/then/else, prefixItems, patternProperties, ...) was dropped or approximated"),
		r(LossServers, W, "several servers: the first became host/basePath; differing hosts add a dynamichosturl policy"),
		r(LossServerVariables, I, "a templated server URL became a connection parameter and a dynamichosturl policy"),
		r(LossOperationServers, W, "servers on a path or operation were dropped: the connector has one host"),
		r(LossCookieParam, W, "a cookie parameter was dropped: connectors cannot declare cookies"),
		r(LossParamContent, W, "a parameter described by content (not schema) became a string"),
		r(LossParamStyle, I, "a parameter style Swagger 2.0 lacks (deepObject, spaceDelimited, ...) was approximated"),
		r(LossCallback, W, "callbacks were dropped (model a webhook trigger with x-ms-notification-url instead)"),
		r(LossWebhooks, W, "OpenAPI 3.1 webhooks were dropped"),
		r(LossLinks, I, "response links were dropped"),
		r(LossGetBody, W, "a request body on GET or HEAD was dropped: Power Platform does not send one"),
		r(LossContentTypes, I, "several media types for one body: JSON was kept (consumes/produces list the rest)"),
		r(LossExamples, I, "several named examples: the first became the example"),
		r(LossMethod, W, "an HTTP method Swagger 2.0 lacks (TRACE, QUERY) was dropped"),
		r(LossSecurityAlternates, W, "several security schemes: a connector has one way to authenticate per connection parameter set; the first was kept"),
		r(LossAuthUnsupported, W, "a security scheme Power Platform cannot express (openIdConnect, mutualTLS, digest) was dropped"),
		r(LossBearerAsAPIKey, I, "HTTP bearer auth became an API key in the Authorization header (the maker types \"Bearer <token>\")"),
		r(FixOperationID, I, "an operation had no operationId: one was made from method and path"),
		r(FixOperationIDRenamed, I, "an operationId was changed to pass certification (letters and digits, unique)"),
		r(FixSummary, I, "an operation had no summary or description: one was written from its path; review it"),
		r(FixPostmanV1, I, "a Postman collection v1 was upgraded to v2.1 before conversion"),
		r(LossMockoonRules, I, "Mockoon rules and response modes choose among responses; the connector keeps the responses and the parameters the rules read, not the logic"),
		r(LossMockoonTemplating, I, "a Mockoon body uses templating helpers; they were replaced by sample values in the example"),
		r(LossMockoonRoute, W, "a Mockoon route could not become an operation as is (non-HTTP type, any method, wildcard, duplicate)"),
		r(ExportMockoonOperationID, I, "Mockoon routes have no operationId: the summary became the route's documentation, and 'new --from' makes ids from method and path"),
		r(ExportMockoonParameters, I, "query and header parameters and request body schemas are not part of a Mockoon route (only path parameters are, in the endpoint)"),
		r(ExportMockoonAuth, I, "the connector's authentication is not checked by a Mockoon mock"),
		r(ExportMockoonPolicy, W, "policy templates (routing, set header, dynamic host) are not applied by Mockoon"),
		r(ExportMockoonCustomCode, W, "script.csx does not run in Mockoon: its operations answer their declared responses"),
		r(ExportMockoonTrigger, I, "a trigger became a plain route: Mockoon keeps no webhook subscriptions and fires no events"),
		r(ExportMockoonPath, W, "a path Mockoon's router reads differently: a query string or fragment in the path was dropped, a literal ':' reads as a route parameter, ( ) * + [ ] are patterns, {days}day is one longer parameter"),
		r(ExportMockoonRouteClash, W, "two operations map to one Mockoon route (same method and endpoint); the second was skipped"),
		r(ExportMockoonGenerated, I, "a response without an example got a body generated from its schema"),
		r(ExportMockoonErrorRate, W, "an override's error rate has no Mockoon form (use a rule or the random response mode instead)"),
		r(ExportMockoonDisabled, I, "a disabled operation became a route answering 501: Mockoon keeps route on/off in its own settings, not in the environment"),
		r(ExportMockoonModeRules, W, "an override has rules and a sequential/random list: Mockoon ignores rules in those modes, so the list was dropped"),
		r(InferTemplated, I, "path segments that vary across traffic (ids, numbers, uuids) became path parameters"),
		r(InferAuth, I, "authentication was inferred from the request headers seen (values are never kept)"),
		r(InferUnmatched, I, "--merge: traffic that matched no operation of the definition added a new operation"),
		r(InferNoExchanges, E, "the recording has no exchanges to learn from"),
		r(PackFileName, E, "a file in the folder has a name the portal or paconn does not accept"),
		r(PackFileMissing, E, "apiDefinition.swagger.json or apiProperties.json is missing"),
		r(PackRequiredField, E, "a field certification requires is missing (info.title, description, publisher, stackOwner, iconBrandColor, ...)"),
		r(PackIconFormat, E, "the icon is not a PNG"),
		r(PackIconSize, W, "the icon is not 1:1 or outside 100-230 px, or over 1 MB"),
		r(PackScriptSize, E, "script.csx is over the 1 MB custom-code limit"),
		r(PackSecret, E, "a file holds what looks like a secret (client secret, API key, password, token)"),
		r(PackInvalid, E, "the definition does not load, or validate reports errors"),
	}
}
