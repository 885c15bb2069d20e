package app

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestIdleTrimFreesOnceAfterPokes(t *testing.T) {
	t.Parallel()
	freed := make(chan struct{}, 10)
	m := &idleTrim{delay: 20 * time.Millisecond, free: func() { freed <- struct{}{} }}
	for range 3 {
		m.poke()
	}
	select {
	case <-freed:
	case <-time.After(10 * time.Second):
		t.Fatal("no trim after the pokes")
	}
	// Poked again later: it trims again.
	m.poke()
	select {
	case <-freed:
	case <-time.After(10 * time.Second):
		t.Fatal("no second trim after a later poke")
	}
}

func TestIdleTrimStopCancels(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	m := &idleTrim{delay: 300 * time.Millisecond, free: func() { n.Add(1) }}
	m.poke()
	m.stop()
	time.Sleep(600 * time.Millisecond)
	if got := n.Load(); got != 0 {
		t.Fatalf("trimmed %d times after stop", got)
	}
	var nilTrim *idleTrim
	nilTrim.poke() // services built without a Desktop: no-op, no panic
	nilTrim.stop()
}

func TestLateEmitterRunsAfterEachEvent(t *testing.T) {
	t.Parallel()
	var after, sent int
	e := &lateEmitter{after: func() { after++ }}
	e.Emit("x", 1) // before the window: dropped, still work done
	e.set(func(string, any) { sent++ })
	e.Emit("y", 2)
	if sent != 1 || after != 2 {
		t.Fatalf("sent %d, after %d; want 1 and 2", sent, after)
	}
}
