package policy

import (
	"fmt"
	"strings"
)

// The body templates work the same on requests and responses; bodyCtx is
// what they need from either side.
type bodyCtx interface {
	loadJSON() (*jsonBody, error)
	newScope() *scope
	learn(v string)
}

// parentsAt resolves a parent path. A parent that is an array stands for
// each of its object elements (the documented "collection" behaviour); an
// object stands for itself.
func parentsAt(b *jsonBody, p Path) ([]*object, string) {
	if p.Root == FuncItem || p.Root == FuncTriggerBody {
		return nil, p.String() + " cannot be a parent path here"
	}
	v, ok := walk(b.val, p.Steps)
	if !ok {
		return nil, p.String() + " is absent"
	}
	switch x := v.(type) {
	case *object:
		return []*object{x}, ""
	case []any:
		var out []*object
		for _, e := range x {
			if o, ok := e.(*object); ok {
				out = append(out, o)
			}
		}
		if len(out) == 0 {
			return nil, p.String() + " has no object elements"
		}
		return out, ""
	}
	return nil, fmt.Sprintf("%s is a %s, not an object or array", p, kindOf(v))
}

// writeTarget writes val at target: from the body root for @body() paths,
// otherwise relative to parent (an @item() path or a bare one).
func writeTarget(b *jsonBody, parent *object, target Path, val any) error {
	if target.Root == FuncBody {
		nv, err := setAt(b.val, target.Steps, val)
		if err != nil {
			return err
		}
		b.val = nv
		return nil
	}
	if len(target.Steps) == 0 {
		return fmt.Errorf("target %q names no property", target.Raw)
	}
	_, err := setAt(parent, target.Steps, val)
	return err
}

func joinPath(parent Path, sub Path) string {
	s := parent.String()
	for _, st := range sub.Steps {
		s += st.String()
	}
	return s
}

// display shows a value in a note: short, and never a secret.
func display(v any, secret bool) string {
	if secret {
		return "<redacted>"
	}
	s := string(encodeJSON(v))
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}

func (cp *compiled) str(name string) string { return paramValue(cp.params[strings.ToLower(name)]) }

// setproperty: parent/sub path, value template.
func setProperty(h bodyCtx, cp *compiled) (string, bool, error) {
	b, err := h.loadJSON()
	if err != nil || !b.ok {
		return skipBody(b, err)
	}
	parent, sub := cp.paths["newpropertyparentpathtemplate"], cp.paths["newpropertysubpathtemplate"]
	if len(sub.Steps) == 0 {
		return "not applied: newPropertySubPathTemplate names no property", false, nil
	}
	parents, why := parentsAt(b, parent)
	if why != "" {
		return "not applied: " + why, false, nil
	}
	tpl := cp.tpl["propertyvaluepathtemplate"]
	if tpl == nil {
		tpl = &Template{}
	}
	set, absent := 0, 0
	var shown any
	shownSecret := false
	for _, p := range parents {
		sc := h.newScope()
		sc.item, sc.hasItem = p, true
		val, found, secret, err := sc.valueOf(tpl)
		if err != nil {
			return "", false, err
		}
		if !found {
			absent++
			continue
		}
		if secret {
			h.learn(stringOf(val))
		}
		if _, err := setAt(p, sub.Steps, val); err != nil {
			return fmt.Sprintf("not applied: cannot set %s: %v", joinPath(parent, sub), err), false, nil
		}
		set++
		shown, shownSecret = val, shownSecret || secret
	}
	if set == 0 {
		return fmt.Sprintf("not applied: the value %q is absent", tpl.Raw), false, nil
	}
	b.dirty = true
	note := fmt.Sprintf("set %s = %s", joinPath(parent, sub), display(shown, shownSecret))
	if len(parents) > 1 {
		note += " on " + plural(set, "element")
	}
	if absent > 0 {
		note += fmt.Sprintf(" (value absent for %d)", absent)
	}
	return note, true, nil
}

func skipBody(b *jsonBody, err error) (string, bool, error) {
	if err != nil {
		return "", false, err
	}
	return "not applied: " + b.why, false, nil
}

// stringreplace: replace sourceString in the string at parent/sub, writing
// the result to newPropertyPath (or back in place).
func stringReplace(h bodyCtx, cp *compiled) (string, bool, error) {
	b, err := h.loadJSON()
	if err != nil || !b.ok {
		return skipBody(b, err)
	}
	parent, sub, target := cp.paths["propertyparentpath"], cp.paths["propertysubpath"], cp.paths["newpropertypath"]
	if len(sub.Steps) == 0 {
		return "not applied: propertySubPath names no property", false, nil
	}
	if len(target.Steps) == 0 && target.Root != FuncBody {
		target = Path{Steps: sub.Steps, Raw: sub.Raw}
	}
	parents, why := parentsAt(b, parent)
	if why != "" {
		return "not applied: " + why, false, nil
	}
	src, repl := cp.str("sourceString"), cp.str("replacementString")
	n := 0
	for _, p := range parents {
		v, ok := walk(p, sub.Steps)
		s, isStr := v.(string)
		if !ok || !isStr {
			continue
		}
		if src != "" {
			s = strings.ReplaceAll(s, src, repl)
		}
		if err := writeTarget(b, p, target, s); err != nil {
			return fmt.Sprintf("not applied: %v", err), false, nil
		}
		n++
	}
	if n == 0 {
		return fmt.Sprintf("not applied: no string at %s", joinPath(parent, sub)), false, nil
	}
	b.dirty = true
	return fmt.Sprintf("replaced %q with %q in %s into %s (%s)", src, repl, joinPath(parent, sub), target, plural(n, "value")), true, nil
}

// convertobjecttoarray: {k: v, …} → [{keyName: k, valueName: v}, …].
func objectToArray(h bodyCtx, cp *compiled) (string, bool, error) {
	b, err := h.loadJSON()
	if err != nil || !b.ok {
		return skipBody(b, err)
	}
	parent, sub, target := cp.paths["propertyparentpath"], cp.paths["propertysubpath"], cp.paths["newpropertypath"]
	keyName, valName := strings.TrimSpace(cp.str("keyName")), strings.TrimSpace(cp.str("valueName"))
	if keyName == "" {
		keyName = "key"
	}
	if valName == "" {
		valName = "value"
	}
	targetFor := func() Path {
		if len(target.Steps) == 0 && target.Root != FuncBody {
			return Path{Steps: sub.Steps}
		}
		return target
	}
	parents, why := parentsAt(b, parent)
	if why != "" {
		return "not applied: " + why, false, nil
	}
	n, items := 0, 0
	for _, p := range parents {
		v, ok := walk(p, sub.Steps)
		o, isObj := v.(*object)
		if !ok || !isObj {
			continue
		}
		arr := make([]any, 0, len(o.keys))
		for i, k := range o.keys {
			e := newObject()
			e.set(keyName, k)
			e.set(valName, deepCopy(o.vals[i]))
			arr = append(arr, e)
		}
		t := targetFor()
		if len(t.Steps) == 0 && t.Root != FuncBody {
			continue
		}
		if err := writeTarget(b, p, t, arr); err != nil {
			return fmt.Sprintf("not applied: %v", err), false, nil
		}
		n++
		items += len(arr)
	}
	if n == 0 {
		return fmt.Sprintf("not applied: no object at %s", joinPath(parent, sub)), false, nil
	}
	b.dirty = true
	return fmt.Sprintf("converted the object at %s into an array of %s at %s", joinPath(parent, sub), plural(items, "item"), targetFor()), true, nil
}

// convertarraytoobject: [{id: a, …}, …] → {a: {…}, …}, keyed by the
// property at keyWithinCollectionPath; retainKey (default true) keeps it.
func arrayToObject(h bodyCtx, cp *compiled) (string, bool, error) {
	b, err := h.loadJSON()
	if err != nil || !b.ok {
		return skipBody(b, err)
	}
	parent, sub, target := cp.paths["propertyparentpath"], cp.paths["propertysubpath"], cp.paths["newpropertypath"]
	keyRaw := cp.str("keyWithinCollectionPath")
	if strings.TrimSpace(keyRaw) == "" {
		keyRaw = cp.str("keyName")
	}
	keyPath, err := ParsePath(keyRaw)
	if err != nil || len(keyPath.Steps) == 0 {
		return fmt.Sprintf("not applied: key path %q is not a property path", keyRaw), false, nil
	}
	retain := !strings.EqualFold(strings.TrimSpace(cp.str("retainKey")), "false")
	var valPath Path
	if vn := strings.TrimSpace(cp.str("valueName")); vn != "" {
		valPath, _ = ParsePath(vn)
	}
	parents, why := parentsAt(b, parent)
	if why != "" {
		return "not applied: " + why, false, nil
	}
	t := target
	if len(t.Steps) == 0 && t.Root != FuncBody {
		t = Path{Steps: sub.Steps}
	}
	n, items := 0, 0
	for _, p := range parents {
		v, ok := walk(p, sub.Steps)
		arr, isArr := v.([]any)
		if !ok || !isArr {
			continue
		}
		out := newObject()
		for _, e := range arr {
			eo, isObj := e.(*object)
			if !isObj {
				continue
			}
			kv, ok := walk(eo, keyPath.Steps)
			if !ok {
				continue
			}
			var val any = deepCopy(eo)
			if len(valPath.Steps) > 0 {
				val, _ = walk(eo, valPath.Steps)
				val = deepCopy(val)
			} else if !retain {
				deleteAt(val, keyPath.Steps)
			}
			out.set(stringOf(kv), val)
			items++
		}
		if len(t.Steps) == 0 && t.Root != FuncBody {
			continue
		}
		if err := writeTarget(b, p, t, out); err != nil {
			return fmt.Sprintf("not applied: %v", err), false, nil
		}
		n++
	}
	if n == 0 {
		return fmt.Sprintf("not applied: no array at %s", joinPath(parent, sub)), false, nil
	}
	b.dirty = true
	return fmt.Sprintf("converted the array at %s into an object of %s at %s", joinPath(parent, sub), plural(items, "key"), t), true, nil
}

// moveproperties: move (or, with copyOnlySubProperties, spread) the value
// at srcParent/srcSub to dstParent/dstSub.
func moveProperties(h bodyCtx, cp *compiled) (string, bool, error) {
	b, err := h.loadJSON()
	if err != nil || !b.ok {
		return skipBody(b, err)
	}
	srcParent, srcSub := cp.paths["srcparentpath"], cp.paths["srcsubpath"]
	dstParent, dstSub := cp.paths["dstparentpath"], cp.paths["dstsubpath"]
	if len(srcSub.Steps) == 0 {
		return "not applied: srcSubPath names no property", false, nil
	}
	sp, ok := walk(b.val, srcParent.Steps)
	if !ok {
		return "not applied: " + srcParent.String() + " is absent", false, nil
	}
	v, ok := walk(sp, srcSub.Steps)
	if !ok {
		return "not applied: " + joinPath(srcParent, srcSub) + " is absent", false, nil
	}
	dp, ok := walk(b.val, dstParent.Steps)
	dobj, isObj := dp.(*object)
	if !ok || !isObj {
		return "not applied: " + dstParent.String() + " is not an object", false, nil
	}
	only := strings.EqualFold(strings.TrimSpace(cp.str("copyOnlySubProperties")), "true")
	v = deepCopy(v)
	if only {
		so, isObj := v.(*object)
		if !isObj {
			return "not applied: " + joinPath(srcParent, srcSub) + " is not an object", false, nil
		}
		deleteAt(sp, srcSub.Steps)
		dst := dobj
		if len(dstSub.Steps) > 0 {
			cur, _ := walk(dobj, dstSub.Steps)
			co, isObj := cur.(*object)
			if !isObj {
				co = newObject()
				if _, err := setAt(dobj, dstSub.Steps, co); err != nil {
					return fmt.Sprintf("not applied: %v", err), false, nil
				}
			}
			dst = co
		}
		for i, k := range so.keys {
			dst.set(k, so.vals[i])
		}
		b.dirty = true
		return fmt.Sprintf("moved the %s of %s into %s", plural(len(so.keys), "property"), joinPath(srcParent, srcSub), joinPath(dstParent, dstSub)), true, nil
	}
	if len(dstSub.Steps) == 0 {
		return "not applied: dstSubPath names no property", false, nil
	}
	deleteAt(sp, srcSub.Steps)
	if _, err := setAt(dobj, dstSub.Steps, v); err != nil {
		return fmt.Sprintf("not applied: %v", err), false, nil
	}
	b.dirty = true
	return fmt.Sprintf("moved %s to %s", joinPath(srcParent, srcSub), joinPath(dstParent, dstSub)), true, nil
}
