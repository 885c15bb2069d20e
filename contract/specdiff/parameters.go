package specdiff

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/shape"
	"github.com/getkin/kin-openapi/openapi3"
)

// paramVisibility reads x-ms-visibility of a parameter, lower case.
func paramVisibility(p *openapi3.Parameter) string {
	if p == nil {
		return ""
	}
	v, _ := p.Extensions["x-ms-visibility"].(string)
	return strings.ToLower(strings.TrimSpace(v))
}

func paramDefault(p *openapi3.Parameter) bool {
	return p != nil && p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Default != nil
}

func defaultOf(p *openapi3.Parameter) string {
	if !paramDefault(p) {
		return "(none)"
	}
	b, _ := json.Marshal(p.Schema.Value.Default)
	return string(b)
}

// checkParameters: added required, became required, removed, retyped,
// enum narrowed, became internal.
func checkParameters(c *checker) {
	for _, od := range c.d.Ops {
		for _, pd := range od.Params {
			base := opFinding("", 0, od.New)
			base.Where, base.Field = "request."+pd.In, pd.Name
			switch {
			case pd.Old == nil:
				f := base
				internal := paramVisibility(pd.New) == "internal"
				if pd.New.Required && !paramDefault(pd.New) {
					f.ID, f.Level = ParamAddedRequired, contract.LevelError
					f.Message = fmt.Sprintf("new required %s parameter %q without a default: existing flows do not send it", pd.In, pd.Name)
					f.Fix = "make it optional or give it a default"
				} else {
					f.ID, f.Level = ParamAdded, contract.LevelInfo
					f.Message = fmt.Sprintf("new %s parameter %q", pd.In, pd.Name)
					if pd.New.Required {
						f.Message += " (required, with a default)"
					}
					if internal {
						f.Message += " (internal)"
					}
				}
				c.add(f)
				continue
			case pd.New == nil:
				f := base
				f.ID, f.Level = ParamRemoved, contract.LevelWarning
				f.Message = fmt.Sprintf("%s parameter %q was removed: flows that set it lose the value", pd.In, pd.Name)
				if paramVisibility(pd.Old) == "internal" {
					f.Level = contract.LevelInfo
					f.Message = fmt.Sprintf("internal %s parameter %q was removed (makers never set it)", pd.In, pd.Name)
				}
				c.add(f)
				continue
			}
			if pd.New.Required && !pd.Old.Required && !paramDefault(pd.New) {
				f := base
				f.ID, f.Level, f.Old, f.New = ParamBecameRequired, contract.LevelError, "optional", "required"
				f.Message = fmt.Sprintf("%s parameter %q became required", pd.In, pd.Name)
				c.add(f)
			}
			if paramVisibility(pd.New) == "internal" && paramVisibility(pd.Old) != "internal" {
				f := base
				f.ID, f.Level, f.Old, f.New = ParamVisibilityInternal, contract.LevelWarning, paramVisibility(pd.Old), "internal"
				f.Message = fmt.Sprintf("%s parameter %q became internal", pd.In, pd.Name)
				if pd.New.Required && !paramDefault(pd.New) {
					f.Level = contract.LevelError
					f.Message += " while required without a default: no one can set it"
				}
				c.add(f)
			}
			if od, nd := defaultOf(pd.Old), defaultOf(pd.New); od != nd {
				f := base
				f.ID, f.Level, f.Old, f.New = ParamDefaultChanged, contract.LevelInfo, od, nd
				f.Message = fmt.Sprintf("%s parameter %q default changed from %s to %s", pd.In, pd.Name, od, nd)
				if pd.New.Required {
					f.Level = contract.LevelWarning
				}
				c.add(f)
			}
			for _, ch := range pd.Changes {
				f := base
				if ch.Path != "" {
					f.Field = pd.Name + "." + ch.Path
				}
				switch ch.Kind {
				case shape.TypeChanged:
					f.ID, f.Level = ParamTypeChanged, typeLevel(ch, false)
					f.Old, f.New = ch.Old.TypeString(), ch.New.TypeString()
					f.Message = fmt.Sprintf("%s parameter %q changed type from %s to %s", pd.In, f.Field, f.Old, f.New)
				case shape.FormatChanged:
					f.ID, f.Level = ParamTypeChanged, contract.LevelWarning
					f.Old, f.New = ch.Old.Format, ch.New.Format
					f.Message = fmt.Sprintf("%s parameter %q changed format from %q to %q", pd.In, f.Field, f.Old, f.New)
				case shape.EnumNarrowed:
					f.ID, f.Level = ParamEnumNarrowed, contract.LevelError
					f.Old, f.New = strings.Join(ch.Old.Enum, ","), strings.Join(ch.New.Enum, ",")
					f.Message = fmt.Sprintf("%s parameter %q: %s", pd.In, f.Field, changeText(ch))
				case shape.EnumWidened:
					f.ID, f.Level = ParamEnumWidened, contract.LevelInfo
					f.Old, f.New = strings.Join(ch.Old.Enum, ","), strings.Join(ch.New.Enum, ",")
					f.Message = fmt.Sprintf("%s parameter %q: %s", pd.In, f.Field, changeText(ch))
				default:
					continue
				}
				c.add(f)
			}
		}
	}
}
