package sqlite

// errKind is what a driver error means for the user.
type errKind int

const (
	kindNone errKind = iota
	kindLocked
	kindReadOnly
	kindFull
	kindCorrupt
	kindCantOpen
	kindUnique
	kindNoDriver
)
