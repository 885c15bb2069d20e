package connector

import (
	"sort"
	"strings"
)

// knownPolicyTemplates are the policy template IDs (lower case) that the
// policy engine (package policy) applies; keep the two in step. Others
// (stringtoarray, encodepropertyvalue, setconnectionstatustoerror, typos)
// are reported by lint rather than ignored silently.
var knownPolicyTemplates = map[string]bool{
	"dynamichosturl":                       true,
	"dynamicsubdomain":                     true, // undocumented; applied as dynamichosturl
	"setheader":                            true,
	"setqueryparameter":                    true,
	"routerequesttoendpoint":               true,
	"setproperty":                          true,
	"moveproperties":                       true,
	"updatenextlink":                       true,
	"convertobjecttoarray":                 true,
	"convertarraytoobject":                 true,
	"stringreplace":                        true,
	"setvaluefromurl":                      true,
	"pollingtrigger":                       true,
	"setconnectionstatustounauthenticated": true,
}

// IsKnownPolicyTemplate reports whether id (any case) is a template the
// policy engine implements.
func IsKnownPolicyTemplate(id string) bool { return knownPolicyTemplates[strings.ToLower(id)] }

// Policy is one policyTemplateInstances entry of apiProperties.json.
type Policy struct {
	// Template is the templateId in lower case; the corpus spells it
	// inconsistently (setHeader, setheader).
	Template string `json:"template"`
	// TemplateID is the templateId as written.
	TemplateID string `json:"templateId"`
	Title      string `json:"title,omitempty"`
	// Parameters maps the parameter names with the
	// "x-ms-apimTemplateParameter." prefix removed to their values.
	Parameters map[string]any `json:"parameters,omitempty"`
	// Operations limits the policy to these operationIds; empty means all.
	Operations []string `json:"operations,omitempty"`
	// Section is "Request" or "Response" (x-ms-apimTemplate-policySection).
	Section string `json:"section,omitempty"`
	Pointer string `json:"pointer"`
}

// Param returns a policy parameter as a string.
func (p Policy) Param(name string) string { return str(p.Parameters[name]) }

// AppliesTo reports whether the policy runs for operationId.
func (p Policy) AppliesTo(operationID string) bool {
	if len(p.Operations) == 0 {
		return true
	}
	for _, o := range p.Operations {
		if strings.EqualFold(o, operationID) {
			return true
		}
	}
	return false
}

const (
	templateParamPrefix = "x-ms-apimTemplateParameter."
	templateOpKey       = "x-ms-apimTemplate-operationName"
	templateSectionKey  = "x-ms-apimTemplate-policySection"
)

func decodePolicies(props map[string]any) []Policy {
	var out []Policy
	for i, v := range asSlice(dig(props, "properties", "policyTemplateInstances")) {
		m := asMap(v)
		if m == nil {
			continue
		}
		p := Policy{
			TemplateID: str(m["templateId"]),
			Title:      str(m["title"]),
			Parameters: map[string]any{},
			Pointer:    "/properties/policyTemplateInstances/" + itoa(i),
		}
		p.Template = strings.ToLower(p.TemplateID)
		params := asMap(m["parameters"])
		keys := make([]string, 0, len(params))
		for k := range params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			val := params[k]
			switch {
			case strings.EqualFold(k, templateOpKey):
				switch ops := val.(type) {
				case []any:
					for _, o := range ops {
						if s := str(o); s != "" {
							p.Operations = append(p.Operations, s)
						}
					}
				case string:
					if ops != "" {
						p.Operations = append(p.Operations, ops)
					}
				}
			case strings.EqualFold(k, templateSectionKey):
				p.Section = str(val)
			case len(k) >= len(templateParamPrefix) && strings.EqualFold(k[:len(templateParamPrefix)], templateParamPrefix):
				p.Parameters[k[len(templateParamPrefix):]] = val
			default:
				p.Parameters[k] = val
			}
		}
		out = append(out, p)
	}
	return out
}
