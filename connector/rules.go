package connector

import (
	"github.com/connectorlab/connectorlab/connector/jsontext"
)

// Rule describes one finding ID of loading and linting a definition
// (`connectorlab validate`): its usual level and what it means. The
// contract package's catalogue (contract/catalogue_test.go) lists these
// beside the contract and authoring IDs, and docs/CONTRACT.md documents
// them; TestRulesCoverEveryID holds the list to the IDs the code emits.
type Rule struct {
	ID      string
	Level   Level
	Summary string
}

// Rules returns every finding ID Load and Lint can report, sorted by ID:
// load repairs, JSON repairs (json-*), Postman conversion warnings
// (postman-*) and the certification-style lint checks.
func Rules() []Rule {
	E, W, I := LevelError, LevelWarning, LevelInfo
	rs := []Rule{
		{"auth-mismatch", W, "apiProperties.json connection parameters and securityDefinitions describe different authentication"},
		{"basepath-relative", W, "basePath does not start with '/'; read with one"},
		{"component-renamed", W, "a definitions/components key has characters OpenAPI 3 does not allow; renamed, $refs follow"},
		{"description-missing", I, "an operation has no description (certification requires one)"},
		{"dynamic-lookup-parameter-unknown", W, "an x-ms-dynamic-* lookup passes a parameter its lookup operation does not have"},
		{"dynamic-operation-missing", E, "an x-ms-dynamic-* lookup names no operationId"},
		{"dynamic-operation-unknown", E, "an x-ms-dynamic-* lookup refers to an operation that does not exist"},
		{"dynamic-parameter-unknown", E, "an x-ms-dynamic-* lookup takes a value from a parameter the operation does not have"},
		{"extension-misspelt", W, "an x-ms-* key looks like a misspelt Power Platform extension, which the platform ignores"},
		{"extension-unknown", I, "an x-ms-* key is not a Power Platform extension Connector Lab knows"},
		{FormatUnsatisfiable, W, "a string format admits none of the schema's enum values: the enum is enforced, the format is not (moved to x-unsatisfiable-format)"},
		{"host-invalid", W, "host holds a scheme or a path; read as the host alone"},
		{"method-case", W, "a path item's method key is not lower case; read in lower case"},
		{"openapi-invalid", W, "kin-openapi's strict validation rejects the definition (loaded anyway)"},
		{"operation-id-duplicate", E, "two operations share an operationId (compared ignoring case)"},
		{"operation-id-missing", E, "an operation has no operationId"},
		{"parameter-internal-required", W, "a parameter is internal and required but has no default, so no maker can fill it"},
		{"path-conflict", W, "two paths differ only in parameter names: requests cannot tell them apart"},
		{"path-item-invalid", W, "a path item is not an object; ignored"},
		{"path-item-unknown-key", W, "a path item has an unknown key; ignored"},
		{"path-parameter-undeclared", E, "a path template variable has no path parameter"},
		{"path-relative", W, "a path does not start with '/'"},
		{"pattern-not-enforced", W, "a pattern Go's RE2 cannot compile (look-arounds, backreferences) is not checked (moved to x-unenforced-pattern)"},
		{"pattern-translated", I, "a pattern's \\uXXXX escapes were translated to RE2 \\x{...}"},
		{PatternUnsatisfiable, W, "a pattern matches none of the schema's enum values, or no value of its format: the enum or format is enforced, the pattern is not (moved to x-unsatisfiable-pattern)"},
		{"policy-unknown-operation", W, "a policy template instance names an operation the definition does not have"},
		{"policy-unknown-template", W, "a policy template instance uses a template Connector Lab does not know"},
		{"properties-missing", W, "the folder has no apiProperties.json: connection parameters are unknown"},
		{"properties-not-object", E, "apiProperties.json has no properties object"},
		{"properties-unreadable", E, "apiProperties.json cannot be read or parsed"},
		{"ref-external", W, "a $ref points outside the document; not followed, read as an open schema"},
		{"ref-unresolved", W, "a $ref points at nothing; read as an open schema"},
		{"responses-empty", W, "an operation declares no responses; a default response without body is assumed"},
		{"schema-array-without-items", W, "an array schema has no items; read as an array of anything"},
		{"schema-invalid", W, "a schema cannot be read; read as an open schema"},
		{"schema-type-file", I, `type "file" inside a schema; read as string/binary`},
		{"schema-type-null", W, `type "null" is not valid here; read as an untyped nullable schema`},
		{"script-missing", W, "scriptOperations lists operations but the folder has no script file"},
		{"security-scheme-renamed", I, "a security scheme name has characters OpenAPI 3 does not allow (often a space); renamed"},
		{"security-undefined-scheme", W, "a security requirement names a scheme securityDefinitions does not define; the requirement is dropped"},
		{"summary-missing", W, "an operation has no summary; the designer shows it as the action name"},
		{"swagger-version", W, `swagger is not "2.0"; read as 2.0`},
		{"trigger-invalid", E, "x-ms-trigger is not single or batch"},
		{"visibility-case", I, "x-ms-visibility is not lower case"},
		{"visibility-invalid", W, "x-ms-visibility is not one of important, advanced, internal"},
		{"webhook-notification-content-missing", W, "a webhook trigger's path has no x-ms-notification-content: the payload shape is unknown"},
		{"webhook-notification-url-missing", E, "a webhook trigger has no parameter with x-ms-notification-url"},
		{"webhook-unsubscribe-missing", E, "a webhook trigger has no DELETE operation to unsubscribe"},

		{jsontext.RepairBOM, W, "JSON repair: a leading byte order mark was removed"},
		{jsontext.RepairComment, W, "JSON repair: a // or /* */ comment was removed"},
		{jsontext.RepairControlChar, W, "JSON repair: raw control characters in a string were escaped"},
		{jsontext.RepairDuplicateKey, W, "JSON: an object repeats a key (the last value is kept)"},
		{jsontext.RepairExtraBracket, W, "JSON repair: a bracket that closed the root value early was removed or moved to the end"},
		{jsontext.RepairInvalidEscape, W, `JSON repair: a backslash starting no valid escape (as "\d" in a regex) was doubled`},
		{jsontext.RepairMissingComma, W, "JSON repair: a missing ',' between values was inserted"},
		{jsontext.RepairNotUTF8, W, "JSON repair: bytes that are not UTF-8 were decoded as Windows-1252"},
		{jsontext.RepairTrailingComma, W, "JSON repair: a ',' before '}' or ']' was removed"},
		{jsontext.RepairUnicodeSpace, W, "JSON repair: Unicode spaces between tokens became one space"},

		{"postman-auth-incomplete", W, "Postman: an auth setting lacks the fields its kind needs"},
		{"postman-auth-unsupported", W, "Postman: an auth kind with no connector form"},
		{"postman-body-not-json", W, "Postman: a raw JSON body does not parse; kept as an open schema"},
		{"postman-body-unsupported", W, "Postman: a body mode with no connector form"},
		{"postman-duplicate-operation", W, "Postman: two requests have the same method and path; the first is kept"},
		{"postman-duplicate-operation-id", W, "Postman: two requests would get the same operationId; renamed"},
		{"postman-example-not-json", W, "Postman: a saved response body does not parse as JSON"},
		{"postman-item-empty", W, "Postman: an item has no request"},
		{"postman-method-unsupported", W, "Postman: a method Power Platform connectors do not support"},
		{"postman-path-param-renamed", W, "Postman: a path variable was renamed to a valid parameter name"},
		{"postman-response-no-code", W, "Postman: a saved response has no status code"},
		{"postman-undefined-variable", W, "Postman: a {{variable}} is not defined in the collection"},
		{"postman-unparsable-url", W, "Postman: a request URL cannot be parsed"},
	}
	return rs
}
