package app

import "sync/atomic"

// atomicFunc is an atomic.Pointer to an emit function.
type atomicFunc struct {
	p atomic.Pointer[func(string, any)]
}

func (a *atomicFunc) Store(fn func(string, any)) { a.p.Store(&fn) }

func (a *atomicFunc) Load() func(string, any) {
	if p := a.p.Load(); p != nil {
		return *p
	}
	return nil
}
