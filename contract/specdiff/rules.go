package specdiff

import "github.com/connectorlab/connectorlab/contract"

// Finding IDs of the breaking-change diff. Stable: users gate CI on them.
const (
	OperationRemoved    = "operation-removed"
	OperationRenamed    = "operation-renamed"
	OperationMoved      = "operation-moved"
	OperationAdded      = "operation-added"
	OperationDeprecated = "operation-deprecated"

	VisibilityInternal = "operation-visibility-internal"
	VisibilityChanged  = "operation-visibility-changed"

	ParamAddedRequired      = "request-parameter-added-required"
	ParamAdded              = "request-parameter-added"
	ParamBecameRequired     = "request-parameter-became-required"
	ParamRemoved            = "request-parameter-removed"
	ParamTypeChanged        = "request-parameter-type-changed"
	ParamEnumNarrowed       = "request-parameter-enum-narrowed"
	ParamEnumWidened        = "request-parameter-enum-widened"
	ParamVisibilityInternal = "request-parameter-visibility-internal"
	ParamDefaultChanged     = "request-parameter-default-changed"

	BodyAddedRequired      = "request-body-added-required"
	BodyBecameRequired     = "request-body-became-required"
	BodyFieldAddedRequired = "request-body-field-added-required"
	BodyFieldAdded         = "request-body-field-added"
	BodyFieldRequired      = "request-body-field-became-required"
	BodyFieldRemoved       = "request-body-field-removed"
	BodyTypeChanged        = "request-body-type-changed"
	BodyEnumNarrowed       = "request-body-enum-narrowed"
	BodyMediaChanged       = "request-body-media-type-changed"

	ResponseFieldRemoved  = "response-field-removed"
	ResponseFieldRenamed  = "response-field-renamed"
	ResponseFieldAdded    = "response-field-added"
	ResponseTypeChanged   = "response-type-changed"
	ResponseFormatChanged = "response-format-changed"
	ResponseFieldNullable = "response-field-nullable"
	ResponseFieldOptional = "response-field-optional"
	ResponseEnumWidened   = "response-enum-widened"
	ResponseDynamic       = "response-dynamic-schema-changed"

	StatusChanged    = "response-status-changed"
	StatusRemoved    = "response-status-removed"
	StatusAdded      = "response-status-added"
	BodyRemoved      = "response-body-removed"
	MediaTypeChanged = "response-media-type-changed"

	TriggerChanged      = "trigger-changed"
	PayloadFieldRemoved = "trigger-payload-field-removed"
	PayloadFieldRenamed = "trigger-payload-field-renamed"
	PayloadFieldAdded   = "trigger-payload-field-added"
	PayloadTypeChanged  = "trigger-payload-type-changed"
	PayloadChanged      = "trigger-payload-changed"

	AuthChanged       = "auth-changed"
	AuthScopesChanged = "auth-scopes-changed"
	ConnParamAdded    = "connection-parameter-added"
	ConnParamRemoved  = "connection-parameter-removed"

	PolicyAdded     = "policy-added"
	PolicyRemoved   = "policy-removed"
	PolicyChanged   = "policy-changed"
	HostChanged     = "host-changed"
	BasePathChanged = "base-path-changed"

	DynamicValuesChanged = "dynamic-values-changed"
)

// Rules is the catalogue of diff findings.
func Rules() contract.Catalogue {
	r := func(id string, l contract.Level, s string) contract.Rule {
		return contract.Rule{ID: id, Level: l, Kind: contract.KindDiff, Summary: s}
	}
	E, W, I := contract.LevelError, contract.LevelWarning, contract.LevelInfo
	return contract.Catalogue{
		r(OperationRemoved, E, "an operation is gone: flows using the action break"),
		r(OperationRenamed, E, "same method and path, new operationId (also case-only): flows reference actions by operationId"),
		r(OperationMoved, W, "same operationId, other method or path"),
		r(OperationAdded, I, "a new operation"),
		r(OperationDeprecated, W, "an operation was marked deprecated"),
		r(VisibilityInternal, E, "x-ms-visibility became internal: the action disappears from the designer"),
		r(VisibilityChanged, I, "x-ms-visibility changed between none, advanced and important"),
		r(ParamAddedRequired, E, "a new required parameter without a default: existing flows do not send it"),
		r(ParamAdded, I, "a new optional parameter"),
		r(ParamBecameRequired, E, "an optional parameter became required"),
		r(ParamRemoved, W, "a parameter is gone (info when it was internal)"),
		r(ParamTypeChanged, E, "a parameter's type changed (info when it widened)"),
		r(ParamEnumNarrowed, E, "a parameter accepts fewer enum values"),
		r(ParamEnumWidened, I, "a parameter accepts more enum values"),
		r(ParamVisibilityInternal, W, "a parameter became internal"),
		r(ParamDefaultChanged, W, "a required parameter's default changed or was removed (info when optional)"),
		r(BodyFieldAdded, I, "a new optional request-body field"),
		r(BodyAddedRequired, E, "a required request body was added"),
		r(BodyBecameRequired, E, "the request body became required"),
		r(BodyFieldAddedRequired, E, "a new required request-body field"),
		r(BodyFieldRequired, E, "a request-body field became required"),
		r(BodyFieldRemoved, W, "a request-body field is gone"),
		r(BodyTypeChanged, E, "a request-body field's type changed (info when it widened)"),
		r(BodyEnumNarrowed, E, "a request-body field accepts fewer enum values"),
		r(BodyMediaChanged, W, "the request media type changed"),
		r(ResponseFieldRemoved, E, "a response field is gone: flows reading it break"),
		r(ResponseFieldRenamed, E, "a response field was renamed (case-only)"),
		r(ResponseFieldAdded, I, "a new response field"),
		r(ResponseTypeChanged, E, "a response field's type changed, incl. object↔array (warning for integer→number)"),
		r(ResponseFormatChanged, W, "a response field's format changed"),
		r(ResponseFieldNullable, W, "a response field may now be null"),
		r(ResponseFieldOptional, W, "a response field is no longer required"),
		r(ResponseEnumWidened, W, "a response field may carry new enum values"),
		r(ResponseDynamic, W, "a response switched between a static and an x-ms-dynamic-schema shape"),
		r(StatusChanged, E, "the main success status changed (e.g. 200 → 204)"),
		r(StatusRemoved, W, "a declared status is gone"),
		r(StatusAdded, I, "a new declared status"),
		r(BodyRemoved, E, "the success response no longer has a body"),
		r(MediaTypeChanged, W, "the response media type changed"),
		r(TriggerChanged, E, "trigger kind or cardinality changed, or an operation stopped/started being a trigger"),
		r(PayloadFieldRemoved, E, "a webhook payload (x-ms-notification-content) field is gone"),
		r(PayloadFieldRenamed, E, "a webhook payload field was renamed (case-only)"),
		r(PayloadFieldAdded, I, "a new webhook payload field"),
		r(PayloadTypeChanged, E, "a webhook payload field's type changed"),
		r(PayloadChanged, W, "another webhook payload change (nullability, format, enum, dynamic)"),
		r(AuthChanged, E, "the authentication kind, identity provider, key name or OAuth endpoints changed: connections must be recreated"),
		r(AuthScopesChanged, W, "OAuth scopes changed"),
		r(ConnParamAdded, E, "a required connection parameter was added (warning when optional)"),
		r(ConnParamRemoved, W, "a connection parameter is gone"),
		r(PolicyAdded, W, "an apiProperties policy template instance was added"),
		r(PolicyRemoved, W, "a policy template instance was removed"),
		r(PolicyChanged, W, "a policy template instance's parameters changed"),
		r(HostChanged, W, "the host changed"),
		r(BasePathChanged, W, "the basePath changed"),
		r(DynamicValuesChanged, W, "an x-ms-dynamic-* lookup now calls another operation or path"),
	}
}
