// Package spelling owns the "did you mean" arithmetic shared by lint,
// the router's closest-miss report, the policy engine and the CLI: the
// edit distance between two names.
//
// It imports the standard library only, so every package may use it.
package spelling
