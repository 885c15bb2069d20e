package pairtruth

import "github.com/connectorlab/connectorlab/contract/specdiff"

// Diff says which connectorlab diff findings name each kind of change.
var Diff = Matcher{
	"field-removed":         {specdiff.ResponseFieldRemoved},
	"field-added":           {specdiff.ResponseFieldAdded, specdiff.PayloadFieldAdded},
	"field-renamed":         {specdiff.ResponseFieldRenamed},
	"type-changed":          {specdiff.ResponseTypeChanged},
	"payload-type-changed":  {specdiff.PayloadTypeChanged},
	"operations-added":      {specdiff.OperationAdded},
	"operations-deprecated": {specdiff.OperationDeprecated},
	"not-a-break":           {},
	"parameter-removed":     {specdiff.ParamRemoved},
	"fields-added":          {specdiff.ResponseFieldAdded, specdiff.PayloadFieldAdded},
	"status-changed":        {specdiff.StatusChanged},
	"operation-renamed":     {specdiff.OperationRenamed},
	"operation-removed":     {specdiff.OperationRemoved},
}

// OASDiff says which oasdiff (v1.37) changelog IDs name each kind. oasdiff
// has no notion of renames or webhook payloads: a case-only field rename
// counts when it reports the old name removed; payload changes it cannot see.
var OASDiff = Matcher{
	"field-removed":         {"response-optional-property-removed", "response-required-property-removed", "response-property-removed"},
	"field-added":           {"response-optional-property-added", "response-required-property-added"},
	"field-renamed":         {"response-optional-property-removed", "response-required-property-removed"},
	"type-changed":          {"response-property-type-changed", "response-body-type-changed", "response-body-type-specialized", "response-body-type-generalized"},
	"payload-type-changed":  {},
	"operations-added":      {"endpoint-added"},
	"operations-deprecated": {"endpoint-deprecated"},
	"not-a-break":           {},
	"parameter-removed":     {"request-parameter-removed"},
	"fields-added":          {"response-optional-property-added", "response-required-property-added"},
	"status-changed":        {"response-success-status-removed"},
	"operation-renamed":     {"api-operation-id-removed"},
	"operation-removed":     {"api-path-removed-without-deprecation", "api-removed-without-deprecation", "api-path-removed-before-sunset", "api-removed-before-sunset"},
}
