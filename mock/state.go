package mock

import (
	"sort"
	"sync"
)

// State is a per-server store of JSON-like values in named buckets, each
// keeping insertion order so that lists come out the same every run.
// Stateful mode keeps its resources here; behaviours (trigger subscriptions,
// polling cursors) may use their own buckets. Safe for concurrent use.
//
// Values are stored as given: callers must not mutate a value after Put or
// one returned by Get; use Update to change one.
type State struct {
	mu      sync.RWMutex
	buckets map[string]*bucket
}

type bucket struct {
	keys []string
	vals map[string]any
}

// NewState returns an empty store.
func NewState() *State { return &State{buckets: map[string]*bucket{}} }

// Entry is one key and value of a bucket.
type Entry struct {
	Key   string
	Value any
}

// Get returns the value under key in bucket.
func (s *State) Get(bucketName, key string) (any, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.buckets[bucketName]
	if b == nil {
		return nil, false
	}
	v, ok := b.vals[key]
	return v, ok
}

// Put stores v under key, keeping the key's original position if it exists.
func (s *State) Put(bucketName, key string, v any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putLocked(bucketName, key, v)
}

func (s *State) putLocked(bucketName, key string, v any) {
	b := s.buckets[bucketName]
	if b == nil {
		b = &bucket{vals: map[string]any{}}
		s.buckets[bucketName] = b
	}
	if _, ok := b.vals[key]; !ok {
		b.keys = append(b.keys, key)
	}
	b.vals[key] = v
}

// Update atomically replaces the value under key with fn(old, exists). When
// fn returns keep=false the key is deleted.
func (s *State) Update(bucketName, key string, fn func(old any, exists bool) (v any, keep bool)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var old any
	ok := false
	if b := s.buckets[bucketName]; b != nil {
		old, ok = b.vals[key]
	}
	v, keep := fn(old, ok)
	if !keep {
		s.deleteLocked(bucketName, key)
		return
	}
	s.putLocked(bucketName, key, v)
}

// Delete removes key and reports whether it was there.
func (s *State) Delete(bucketName, key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleteLocked(bucketName, key)
}

func (s *State) deleteLocked(bucketName, key string) bool {
	b := s.buckets[bucketName]
	if b == nil {
		return false
	}
	if _, ok := b.vals[key]; !ok {
		return false
	}
	delete(b.vals, key)
	for i, k := range b.keys {
		if k == key {
			b.keys = append(b.keys[:i:i], b.keys[i+1:]...)
			break
		}
	}
	return true
}

// List returns the entries of bucket in insertion order.
func (s *State) List(bucketName string) []Entry {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.buckets[bucketName]
	if b == nil {
		return nil
	}
	out := make([]Entry, len(b.keys))
	for i, k := range b.keys {
		out[i] = Entry{k, b.vals[k]}
	}
	return out
}

// Buckets returns the bucket names, sorted.
func (s *State) Buckets() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.buckets))
	for k := range s.buckets {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Reset empties bucket, or every bucket when bucketName is "".
func (s *State) Reset(bucketName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if bucketName == "" {
		s.buckets = map[string]*bucket{}
		return
	}
	delete(s.buckets, bucketName)
}
