// Package report renders a contract.Report for people and for CI: text
// (coloured on a terminal), JSON, JUnit XML (Ant/Surefire shape: suite =
// connector or session, test case = operation × exchange; only findings at
// or above --fail-on fail a case), a self-contained HTML page with
// side-by-side body diffs, and GitHub Actions workflow annotations.
//
// All formats sit behind Formatter; New picks one by name.
//
// It imports contract only.
package report
