// Package grading is the one grading table of Connector Lab: every finding
// ID any tool emits (diff, test, drift, and the mock's conformance sweep)
// with its level, so the same change gets the same verdict whichever tool
// sees it. docs/CONTRACT.md prints it; TestSameChangeSameGrade holds the
// tools to it.
//
// The level of a single finding may still follow its context where the
// table's summary says so (a removed parameter that was internal is info);
// an ID never changes meaning, and a change seen by two tools is graded
// alike.
package grading

import (
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/conform"
	"github.com/connectorlab/connectorlab/contract/drift"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/contract/specdiff"
	"github.com/connectorlab/connectorlab/probe"
)

// Table returns every finding ID with its level, sorted by kind and ID.
func Table() contract.Catalogue {
	var all contract.Catalogue
	for _, c := range []contract.Catalogue{specdiff.Rules(), conform.Rules(), drift.Rules(), drift.TrafficRules(), replay.Rules(), conformanceRules()} {
		all = append(all, c...)
	}
	return all.Sorted()
}

// Level is the table's level of id; ok is false for an unknown ID.
func Level(id string) (contract.Level, bool) {
	r, ok := Table().Lookup(id)
	return r.Level, ok
}

// Finding IDs of the mock conformance sweep (`mock --conformance`) that
// have no test counterpart; its other failure classes map onto test's IDs
// (see ConformanceID).
const (
	ConformanceBuild     = "conformance-request-unbuildable"
	ConformanceTransport = "conformance-no-answer"
	ConformanceRouting   = "conformance-wrong-operation"
	ConformanceBody      = "conformance-body-invalid"
)

func conformanceRules() contract.Catalogue {
	r := func(id string, l contract.Level, s string) contract.Rule {
		return contract.Rule{ID: id, Level: l, Kind: "conformance", Summary: s}
	}
	E, I := contract.LevelError, contract.LevelInfo
	return contract.Catalogue{
		r(ConformanceBuild, I, "mock --conformance: no valid request could be built for the operation (not counted as a pass)"),
		r(ConformanceTransport, E, "mock --conformance: the request got no answer"),
		r(ConformanceRouting, E, "mock --conformance: another operation answered (Connectorlab-Operation header)"),
		r(ConformanceBody, E, "mock --conformance: the body is not valid against the declared schema (types, required, formats, patterns, bounds)"),
	}
}

// ConformanceID is the finding ID of a mock conformance sweep failure
// class (probe.Class*): a status the operation does not declare as a
// success is test's status-undeclared / operation-never-succeeded, an
// undeclared content type is content-type-undeclared. "" for a pass.
func ConformanceID(class string) string {
	switch class {
	case "":
		return ""
	case probe.ClassStatus:
		return replay.NeverSucceeded
	case probe.ClassContentType:
		return conform.ContentTypeUndeclared
	case probe.ClassBody:
		return ConformanceBody
	case probe.ClassRouting:
		return ConformanceRouting
	case probe.ClassTransport:
		return ConformanceTransport
	}
	return ConformanceBuild
}

// ConformanceLevel is the level the table gives a sweep failure class.
func ConformanceLevel(class string) contract.Level {
	l, _ := Level(ConformanceID(class))
	return l
}
