package specdiff

import (
	"fmt"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/shape"
)

// checker collects findings for one diff.
type checker struct {
	d   *Diff
	out []contract.Finding
}

func (c *checker) add(f contract.Finding) { c.out = append(c.out, f) }

// opFinding starts a finding about an operation, located in the new file
// when the operation exists there.
func opFinding(id string, level contract.Level, op *connector.Operation) contract.Finding {
	f := contract.Finding{ID: id, Level: level}
	if op != nil {
		f.Operation, f.Method, f.Path, f.Pointer = op.ID, op.Method, op.Path, op.Pointer
		f.CustomCode = op.CustomCode
	}
	return f
}

// checks is every judgement, one per file. Order does not matter: Check
// sorts the result.
var checks = []func(*checker){
	checkOperations,
	checkVisibility,
	checkParameters,
	checkRequestBody,
	checkResponses,
	checkStatus,
	checkTrigger,
	checkAuth,
	checkPolicies,
	checkDynamic,
}

// Check judges a diff into findings.
func Check(d *Diff) []contract.Finding {
	c := &checker{d: d}
	for _, ch := range checks {
		ch(c)
	}
	for i := range c.out {
		f := &c.out[i]
		if f.Pointer == "" {
			continue
		}
		// Removed operations live only in the old file.
		switch {
		case f.Where == "policy":
			f.File = d.New.Files.Properties
		case f.ID == OperationRemoved:
			f.File = d.Old.Files.Definition
		default:
			f.File = d.New.Files.Definition
		}
	}
	contract.Locate(c.out)
	contract.Sort(c.out)
	return c.out
}

// Run computes and judges in one call.
func Run(old, new *connector.Connector) []contract.Finding { return Check(Compute(old, new)) }

// typeLevel judges a type change of a value flowing to the client
// (response, payload) or from it (request). Widening what the client must
// accept is a warning for integer → number, narrowing what it may send is
// an error; the opposite directions are harmless.
func typeLevel(ch shape.Change, toClient bool) contract.Level {
	o, n := ch.Old.PrimaryType(), ch.New.PrimaryType()
	untypedOld, untypedNew := len(ch.Old.Types) == 0, len(ch.New.Types) == 0
	widened := (o == shape.TypeInteger && n == shape.TypeNumber) || untypedNew
	narrowed := (o == shape.TypeNumber && n == shape.TypeInteger) || untypedOld
	switch {
	case toClient && widened:
		return contract.LevelWarning
	case toClient && narrowed:
		return contract.LevelInfo
	case !toClient && widened:
		return contract.LevelInfo
	}
	return contract.LevelError
}

// bodyIDs names the findings of one kind of body.
type bodyIDs struct {
	where                                       string
	removed, renamed, added, typeChanged, other string
	toClient                                    bool
}

var (
	responseIDs = bodyIDs{where: "response.body", removed: ResponseFieldRemoved, renamed: ResponseFieldRenamed,
		added: ResponseFieldAdded, typeChanged: ResponseTypeChanged, toClient: true}
	payloadIDs = bodyIDs{where: "notification.body", removed: PayloadFieldRemoved, renamed: PayloadFieldRenamed,
		added: PayloadFieldAdded, typeChanged: PayloadTypeChanged, other: PayloadChanged, toClient: true}
)

// judgeOutgoing turns shape changes of a body the API sends (a response
// or a webhook payload) into findings.
func judgeOutgoing(c *checker, op *connector.Operation, ids bodyIDs, status string, changes []shape.Change) {
	for _, ch := range changes {
		f := opFinding("", 0, op)
		f.Where, f.Field = ids.where, shape.Display(ch.Path)
		at := ""
		if status != "" {
			at = " (" + status + ")"
		}
		switch ch.Kind {
		case shape.Removed:
			f.ID, f.Level, f.Old = ids.removed, contract.LevelError, ch.Old.TypeString()
			f.Message = fmt.Sprintf("field %s%s was removed", f.Field, at)
			if ch.Similar != "" {
				f.Message += fmt.Sprintf("; perhaps renamed to %s", ch.Similar)
			}
		case shape.Renamed:
			f.ID, f.Level, f.Old, f.New = ids.renamed, contract.LevelError, ch.Path, ch.NewPath
			f.Message = fmt.Sprintf("field %s%s was renamed to %s (only the case differs; JSON names are case-sensitive)", ch.Path, at, ch.NewPath)
		case shape.Added:
			f.ID, f.Level, f.New = ids.added, contract.LevelInfo, ch.New.TypeString()
			f.Message = fmt.Sprintf("new field %s%s", f.Field, at)
		case shape.TypeChanged:
			f.ID, f.Level = ids.typeChanged, typeLevel(ch, ids.toClient)
			f.Old, f.New = ch.Old.TypeString(), ch.New.TypeString()
			f.Message = fmt.Sprintf("field %s%s changed type from %s to %s", f.Field, at, f.Old, f.New)
		default:
			id, level := ids.other, contract.LevelWarning
			if id == "" {
				switch ch.Kind {
				case shape.FormatChanged:
					id = ResponseFormatChanged
				case shape.NullableAdded:
					id = ResponseFieldNullable
				case shape.RequiredRemoved:
					id = ResponseFieldOptional
				case shape.EnumWidened:
					id = ResponseEnumWidened
				case shape.BecameDynamic, shape.BecameStatic:
					id = ResponseDynamic
				default:
					continue // narrowing what the client receives is harmless
				}
			} else if !outgoingWorth(ch.Kind) {
				continue
			}
			f.ID, f.Level = id, level
			f.Old, f.New = describe(ch, true), describe(ch, false)
			f.Message = fmt.Sprintf("field %s%s: %s", f.Field, at, changeText(ch))
		}
		c.add(f)
	}
}

func outgoingWorth(k shape.ChangeKind) bool {
	switch k {
	case shape.FormatChanged, shape.NullableAdded, shape.RequiredRemoved, shape.EnumWidened, shape.BecameDynamic, shape.BecameStatic:
		return true
	}
	return false
}

func describe(ch shape.Change, old bool) string {
	n := ch.New
	if old {
		n = ch.Old
	}
	if n == nil {
		return ""
	}
	switch ch.Kind {
	case shape.EnumWidened, shape.EnumNarrowed:
		return strings.Join(n.Enum, ",")
	case shape.FormatChanged:
		return n.Format
	case shape.RequiredAdded, shape.RequiredRemoved:
		if n.Required {
			return "required"
		}
		return "optional"
	}
	return n.TypeString()
}

func changeText(ch shape.Change) string {
	switch ch.Kind {
	case shape.FormatChanged:
		return fmt.Sprintf("format changed from %q to %q", ch.Old.Format, ch.New.Format)
	case shape.NullableAdded:
		return "may now be null"
	case shape.NullableRemoved:
		return "may no longer be null"
	case shape.RequiredRemoved:
		return "is no longer required"
	case shape.RequiredAdded:
		return "is now required"
	case shape.EnumWidened:
		if len(ch.Values) == 0 {
			return "enum restriction removed"
		}
		return "new enum values " + strings.Join(ch.Values, ", ")
	case shape.EnumNarrowed:
		if len(ch.Values) == 0 {
			return "now restricted to an enum"
		}
		return "enum values removed: " + strings.Join(ch.Values, ", ")
	case shape.BecameDynamic:
		return "shape is now decided at run time (x-ms-dynamic-schema)"
	case shape.BecameStatic:
		return "shape is now static instead of x-ms-dynamic-schema"
	case shape.ClosedAdded:
		return "additionalProperties is now false"
	}
	return string(ch.Kind)
}
