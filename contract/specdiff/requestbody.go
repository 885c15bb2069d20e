package specdiff

import (
	"fmt"

	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/shape"
)

// checkRequestBody: what a client must send got stricter.
func checkRequestBody(c *checker) {
	for _, od := range c.d.Ops {
		b := od.Body
		base := opFinding("", 0, od.New)
		base.Where = "request.body"
		switch {
		case !b.OldPresent && b.NewPresent && b.NewRequired:
			f := base
			f.ID, f.Level = BodyAddedRequired, contract.LevelError
			f.Message = "a required request body was added"
			c.add(f)
			continue
		case !b.OldPresent || !b.NewPresent:
			continue
		}
		if b.NewRequired && !b.OldRequired {
			f := base
			f.ID, f.Level, f.Old, f.New = BodyBecameRequired, contract.LevelError, "optional", "required"
			f.Message = "the request body became required"
			c.add(f)
		}
		if b.OldMedia != b.NewMedia && b.OldMedia != "" && b.NewMedia != "" {
			f := base
			f.ID, f.Level, f.Old, f.New = BodyMediaChanged, contract.LevelWarning, b.OldMedia, b.NewMedia
			f.Message = fmt.Sprintf("request media type changed from %s to %s", b.OldMedia, b.NewMedia)
			c.add(f)
		}
		for _, ch := range b.Changes {
			f := base
			f.Field = shape.Display(ch.Path)
			switch ch.Kind {
			case shape.Added:
				if ch.New.ReadOnly {
					continue
				}
				f.ID, f.Level, f.New = BodyFieldAddedRequired, contract.LevelError, ch.New.TypeString()
				f.Message = fmt.Sprintf("new required request-body field %s", f.Field)
				if !ch.New.Required {
					f.ID, f.Level = BodyFieldAdded, contract.LevelInfo
					f.Message = fmt.Sprintf("new optional request-body field %s", f.Field)
				}
			case shape.RequiredAdded:
				f.ID, f.Level, f.Old, f.New = BodyFieldRequired, contract.LevelError, "optional", "required"
				f.Message = fmt.Sprintf("request-body field %s became required", f.Field)
			case shape.Removed, shape.Renamed:
				if ch.Old.ReadOnly {
					continue
				}
				f.ID, f.Level, f.Old = BodyFieldRemoved, contract.LevelWarning, ch.Old.TypeString()
				f.Message = fmt.Sprintf("request-body field %s was removed: values flows send there are dropped", f.Field)
				if ch.Kind == shape.Renamed {
					f.New = ch.NewPath
					f.Message = fmt.Sprintf("request-body field %s was renamed to %s (case-only)", ch.Path, ch.NewPath)
					if ch.New.Required {
						f.ID, f.Level = BodyFieldAddedRequired, contract.LevelError
						f.Message += "; the new name is required, so flows sending the old one fail"
					}
				}
			case shape.TypeChanged:
				f.ID, f.Level = BodyTypeChanged, typeLevel(ch, false)
				f.Old, f.New = ch.Old.TypeString(), ch.New.TypeString()
				f.Message = fmt.Sprintf("request-body field %s changed type from %s to %s", f.Field, f.Old, f.New)
			case shape.EnumNarrowed:
				f.ID, f.Level = BodyEnumNarrowed, contract.LevelError
				f.Old, f.New = describe(ch, true), describe(ch, false)
				f.Message = fmt.Sprintf("request-body field %s: %s", f.Field, changeText(ch))
			default:
				continue
			}
			c.add(f)
		}
	}
}
