package sqlite

import "sync"

// HoldDrain makes the background writers of spooled exchanges started from
// now on wait until the returned function is called, so a test can act
// while exchanges that Record answered for are only in the spool.
func HoldDrain(s *Store) (release func()) {
	hold := make(chan struct{})
	s.gcMu.Lock()
	s.drainHold = hold
	s.gcMu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { close(hold) }) }
}
