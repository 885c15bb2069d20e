package specdiff

import (
	"fmt"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/shape"
)

// checkTrigger: trigger kind/cardinality changes and webhook payload
// (x-ms-notification-content) shape changes, also for payloads on paths
// with no trigger operation.
func checkTrigger(c *checker) {
	covered := map[string]bool{}
	for _, od := range c.d.Ops {
		o, n := od.Old.Trigger, od.New.Trigger
		if o != nil && o.ContentPointer != "" && n != nil && n.ContentPointer != "" {
			covered[od.Old.Path+"\x00"+od.New.Path] = true
		}
		f := opFinding(TriggerChanged, contract.LevelError, od.New)
		f.Where = "trigger"
		switch {
		case o == nil && n == nil:
			continue
		case o == nil:
			f.Old, f.New = "action", triggerName(n)
			f.Message = fmt.Sprintf("operation %s became a %s trigger: flows using it as an action break", od.New.ID, triggerName(n))
		case n == nil:
			f.Old, f.New = triggerName(o), "action"
			f.Message = fmt.Sprintf("operation %s is no longer a trigger (was %s)", od.New.ID, triggerName(o))
		case o.Kind != n.Kind || o.Cardinality != n.Cardinality:
			f.Old, f.New = triggerName(o), triggerName(n)
			f.Message = fmt.Sprintf("trigger %s changed from %s to %s", od.New.ID, f.Old, f.New)
		case notifURL(o) != notifURL(n):
			f.Old, f.New = notifURL(o), notifURL(n)
			f.Message = fmt.Sprintf("trigger %s now takes its callback URL from %s (was %s)", od.New.ID, f.New, f.Old)
		default:
			f.ID = ""
		}
		if f.ID != "" {
			c.add(f)
		}
		judgeOutgoing(c, od.New, payloadIDs, "", od.Payload)
	}
	// Payloads declared on paths without a matched trigger.
	for _, on := range c.d.Old.Notifications {
		for _, nn := range c.d.New.Notifications {
			if normPath(on.Path) != normPath(nn.Path) || covered[on.Path+"\x00"+nn.Path] {
				continue
			}
			changes := shape.Compare(shape.FromSchema(on.Schema, shape.SchemaOptions{}), shape.FromSchema(nn.Schema, shape.SchemaOptions{}), shape.CompareOptions{})
			op := &connector.Operation{Path: nn.Path, Pointer: nn.Pointer}
			judgeOutgoing(c, op, payloadIDs, "", changes)
		}
	}
}

func triggerName(t *connector.Trigger) string {
	if t == nil {
		return "action"
	}
	return string(t.Kind) + "/" + t.Cardinality
}

func notifURL(t *connector.Trigger) string {
	if t == nil || t.NotificationURL == nil {
		return ""
	}
	return t.NotificationURL.In + ":" + t.NotificationURL.Name
}
