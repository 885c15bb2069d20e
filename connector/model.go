package connector

import (
	"github.com/getkin/kin-openapi/openapi3"
)

// Format names the kind of document a connector was loaded from.
type Format string

// Formats Load understands.
const (
	FormatSwagger2 Format = "swagger2"
	FormatOpenAPI3 Format = "openapi3"
	FormatPostman  Format = "postman"
)

// Files lists the files a connector was read from. Empty fields were absent.
type Files struct {
	Dir        string `json:"dir,omitempty"`
	Definition string `json:"definition"`
	Properties string `json:"properties,omitempty"`
	Script     string `json:"script,omitempty"`
	Settings   string `json:"settings,omitempty"`
}

// Connector is a loaded connector: the OpenAPI 3 document (the one schema
// model) plus the Power Platform meaning typed on top of it.
type Connector struct {
	Name   string `json:"name"`
	Format Format `json:"format"`
	Files  Files  `json:"files"`

	// Doc is the normalised OpenAPI 3 document. Swagger 2.0 input is
	// converted with openapi2conv after repairs.
	Doc *openapi3.T `json:"-"`

	// Host, BasePath and Schemes come from the Swagger 2.0 document (or the
	// first server of an OpenAPI 3 one); policies rewrite them at run time.
	Host     string   `json:"host,omitempty"`
	BasePath string   `json:"basePath,omitempty"`
	Schemes  []string `json:"schemes,omitempty"`

	Operations   []*Operation    `json:"operations"`
	Auth         Auth            `json:"auth"`
	Policies     []Policy        `json:"policies,omitempty"`
	Capabilities *Capabilities   `json:"capabilities,omitempty"`
	Metadata     []MetadataEntry `json:"metadata,omitempty"`
	Annotation   *Annotation     `json:"annotation,omitempty"`
	CustomCode   *CustomCode     `json:"customCode,omitempty"`
	// Publisher and StackOwner come from apiProperties.json.
	Publisher  string `json:"publisher,omitempty"`
	StackOwner string `json:"stackOwner,omitempty"`

	// Extensions indexes every x-ms-* occurrence in the definition, with the
	// pointer where it sits, so nothing Power Platform needs is lost even
	// where the typed model has no field for it.
	Extensions []ExtensionUse `json:"-"`
	// Dynamic lists every x-ms-dynamic-* reference in the document, whether
	// an operation reaches it or not. Operation.Dynamic has those per
	// operation, with Power Platform targets such as "body/customerId".
	Dynamic []DynamicRef `json:"-"`

	// Notifications lists every path-level x-ms-notification-content, also
	// those on paths without a trigger operation (a webhook payload that a
	// trigger elsewhere may deliver).
	Notifications []Notification `json:"notifications,omitempty"`

	// Findings are the repairs made while loading; Lint adds more.
	Findings []Finding `json:"findings,omitempty"`

	// Settings is settings.json decoded, when present.
	Settings map[string]any `json:"settings,omitempty"`

	byID map[string]*Operation
	src  *source // the parsed definition, to locate lint findings
}

// ReleaseSource drops the definition's bytes that Lint reads to give its
// findings a line and column; later Lint calls locate findings by pointer
// only. A long-lived holder that has linted already calls it (the desktop:
// 1.2 MB for HubSpot CRM V2).
func (c *Connector) ReleaseSource() {
	if c.src != nil {
		c.src = &source{file: c.src.file}
	}
}

// Operation finds an operation by operationId (case-sensitive), or nil.
func (c *Connector) Operation(id string) *Operation {
	return c.byID[id]
}

// ExtensionUse is one x-ms-* key found in the definition.
type ExtensionUse struct {
	Key     string
	Pointer string // pointer of the object that carries the key
	Value   any
}

// Visibility is x-ms-visibility, normalised to lower case.
type Visibility string

// Visibility values Power Platform knows.
const (
	VisibilityNone      Visibility = ""
	VisibilityImportant Visibility = "important"
	VisibilityAdvanced  Visibility = "advanced"
	VisibilityInternal  Visibility = "internal"
)

// Operation is one path × method with its Power Platform meaning.
type Operation struct {
	ID          string     `json:"operationId"`
	Method      string     `json:"method"`
	Path        string     `json:"path"`
	Summary     string     `json:"summary,omitempty"`
	Description string     `json:"description,omitempty"`
	Visibility  Visibility `json:"visibility,omitempty"`
	Deprecated  bool       `json:"deprecated,omitempty"`
	Tags        []string   `json:"tags,omitempty"`

	Trigger    *Trigger     `json:"trigger,omitempty"`
	Dynamic    []DynamicRef `json:"dynamic,omitempty"`
	Pageable   *Pageable    `json:"pageable,omitempty"`
	Annotation *Annotation  `json:"annotation,omitempty"`
	// Extra holds the operation-level x-ms-* keys the typed fields above do
	// not cover (x-ms-openai-data, x-ms-no-generic-test, …).
	Extra map[string]any `json:"extra,omitempty"`
	// CustomCode is true when apiProperties scriptOperations lists this
	// operation, or when the connector has a script and no such list.
	CustomCode bool `json:"customCode,omitempty"`

	Pointer string              `json:"pointer"`
	Op      *openapi3.Operation `json:"-"`
	Item    *openapi3.PathItem  `json:"-"`
}

// TriggerKind says how a trigger delivers events.
type TriggerKind string

// Trigger kinds.
const (
	TriggerWebhook TriggerKind = "webhook"
	TriggerPolling TriggerKind = "polling"
)

// Trigger is x-ms-trigger with what it needs to fire.
type Trigger struct {
	Kind        TriggerKind    `json:"kind"`
	Cardinality string         `json:"cardinality"` // single | batch
	Hint        string         `json:"hint,omitempty"`
	Metadata    map[string]any `json:"metadata,omitempty"`
	// NotificationURL locates the callback-URL parameter of a webhook.
	NotificationURL *NotificationURL `json:"notificationUrl,omitempty"`
	// Content is the path-level x-ms-notification-content schema: the shape
	// of the payload the API posts to the callback.
	Content            *openapi3.SchemaRef `json:"-"`
	ContentDescription string              `json:"contentDescription,omitempty"`
	ContentPointer     string              `json:"contentPointer,omitempty"`
}

// Notification is one path-level x-ms-notification-content: the schema of
// the payload a webhook posts to its callback.
type Notification struct {
	Path        string              `json:"path"`
	Pointer     string              `json:"pointer"`
	Description string              `json:"description,omitempty"`
	Schema      *openapi3.SchemaRef `json:"-"`
}

// NotificationURL says where a webhook subscription carries its callback.
type NotificationURL struct {
	In string `json:"in"` // body, query, header, path
	// Name is the parameter name; for body it is the property path below
	// the body root, slash-separated (e.g. "url" or "subscription/callback").
	Name string `json:"name"`
}

// DynamicKind is one of the x-ms-dynamic-* extensions.
type DynamicKind string

// Dynamic kinds.
const (
	DynamicValues     DynamicKind = "values"
	DynamicList       DynamicKind = "list"
	DynamicSchema     DynamicKind = "schema"
	DynamicProperties DynamicKind = "properties"
	DynamicTree       DynamicKind = "tree"
)

// DynamicRef is an x-ms-dynamic-* reference from a parameter or schema to a
// lookup operation.
type DynamicRef struct {
	Kind DynamicKind `json:"kind"`
	// Target names what carries the reference: "query:customerId",
	// "body/items/type", "response:200".
	Target      string                  `json:"target"`
	Pointer     string                  `json:"pointer"`
	OperationID string                  `json:"operationId,omitempty"`
	Capability  string                  `json:"capability,omitempty"`
	Parameters  map[string]DynamicParam `json:"parameters,omitempty"`

	ValueCollection string `json:"valueCollection,omitempty"` // values: value-collection
	ValuePath       string `json:"valuePath,omitempty"`       // values/schema: value-path
	ValueTitle      string `json:"valueTitle,omitempty"`      // values: value-title
	ItemsPath       string `json:"itemsPath,omitempty"`       // list: itemsPath
	ItemValuePath   string `json:"itemValuePath,omitempty"`   // list/properties: itemValuePath
	ItemTitlePath   string `json:"itemTitlePath,omitempty"`   // list: itemTitlePath
	// Tree holds x-ms-dynamic-tree's settings/open/browse as written.
	Tree map[string]any `json:"tree,omitempty"`
}

// DynamicParam is how a lookup parameter gets its value: a literal, another
// parameter of the calling operation, or a reference such as "body/x".
type DynamicParam struct {
	Value              any    `json:"value,omitempty"`
	Parameter          string `json:"parameter,omitempty"`
	ParameterReference string `json:"parameterReference,omitempty"`
	Required           bool   `json:"required,omitempty"`
}

// Pageable is x-ms-pageable.
type Pageable struct {
	NextLinkName string `json:"nextLinkName"`
	ItemName     string `json:"itemName,omitempty"`
}

// Annotation is x-ms-api-annotation.
type Annotation struct {
	Family   string `json:"family,omitempty"`
	Revision int    `json:"revision,omitempty"`
	Status   string `json:"status,omitempty"`
}

// Capabilities is the root x-ms-capabilities.
type Capabilities struct {
	TestConnection *TestConnection `json:"testConnection,omitempty"`
	FilePicker     map[string]any  `json:"filePicker,omitempty"`
	Raw            map[string]any  `json:"raw,omitempty"`
}

// TestConnection names the operation the designer calls to check a connection.
type TestConnection struct {
	OperationID string         `json:"operationId"`
	Parameters  map[string]any `json:"parameters,omitempty"`
}

// MetadataEntry is one x-ms-connector-metadata row.
type MetadataEntry struct {
	Name  string `json:"propertyName"`
	Value string `json:"propertyValue"`
}

// CustomCode describes the C# script of a connector. It cannot run here; the
// flag lets contract reports tell script output from API drift.
type CustomCode struct {
	File       string   `json:"file"`
	Size       int64    `json:"size"`
	Operations []string `json:"operations,omitempty"`
}
