package mock

import (
	"encoding/json"
	"errors"
	"fmt"
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
	bytes   int64 // JSON size of every value held
}

type bucket struct {
	keys  []string
	vals  map[string]any
	sizes map[string]int64
}

// sizeOf is the JSON size of v, the store's measure of memory held.
func sizeOf(v any) int64 {
	b, err := json.Marshal(v)
	if err != nil {
		return 0
	}
	return int64(len(b))
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
	s.putSizedLocked(bucketName, key, v, sizeOf(v))
}

func (s *State) putSizedLocked(bucketName, key string, v any, size int64) {
	b := s.buckets[bucketName]
	if b == nil {
		b = &bucket{vals: map[string]any{}, sizes: map[string]int64{}}
		s.buckets[bucketName] = b
	}
	if _, ok := b.vals[key]; !ok {
		b.keys = append(b.keys, key)
	}
	s.bytes += size - b.sizes[key]
	b.vals[key] = v
	b.sizes[key] = size
}

// Limits cap what PutCapped stores.
type Limits struct {
	// MaxBytes caps the JSON size of everything the store holds.
	MaxBytes int64
	// MaxItems caps the entries of one bucket.
	MaxItems int
}

// Errors of PutCapped.
var (
	ErrItemTooLarge = errors.New("item larger than the store")
	ErrStoreFull    = errors.New("store full")
)

// PutCapped stores v under key within l, atomically: when the bucket is
// at MaxItems, or the store would pass MaxBytes, the bucket's oldest
// entries are evicted first (their keys are returned). A value larger
// than MaxBytes on its own gives ErrItemTooLarge; a store still over
// MaxBytes once the bucket is empty (other buckets hold it) ErrStoreFull.
// Nothing is stored on error.
func (s *State) PutCapped(bucketName, key string, v any, l Limits) (evicted []string, err error) {
	size := sizeOf(v)
	s.mu.Lock()
	defer s.mu.Unlock()
	if l.MaxBytes > 0 && size > l.MaxBytes {
		return nil, fmt.Errorf("%w: the item is %d bytes of JSON, the store holds at most %d", ErrItemTooLarge, size, l.MaxBytes)
	}
	b := s.buckets[bucketName]
	var old int64
	exists := false
	if b != nil {
		old, exists = b.sizes[key]
	}
	over := func() bool {
		n := 0
		if b != nil {
			n = len(b.keys)
		}
		return !exists && l.MaxItems > 0 && n >= l.MaxItems || l.MaxBytes > 0 && s.bytes-old+size > l.MaxBytes
	}
	for over() && b != nil && len(b.keys) > 0 {
		k := b.keys[0]
		if k == key {
			if len(b.keys) == 1 {
				break
			}
			k = b.keys[1]
		}
		s.deleteLocked(bucketName, k)
		evicted = append(evicted, k)
	}
	if l.MaxBytes > 0 && s.bytes-old+size > l.MaxBytes {
		return evicted, fmt.Errorf("%w: the store holds %d bytes of JSON and the item needs %d more; the cap is %d", ErrStoreFull, s.bytes-old, size, l.MaxBytes)
	}
	s.putSizedLocked(bucketName, key, v, size)
	return evicted, nil
}

// Bytes is the JSON size of everything the store holds.
func (s *State) Bytes() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.bytes
}

// Len is the number of entries of bucket.
func (s *State) Len(bucketName string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if b := s.buckets[bucketName]; b != nil {
		return len(b.keys)
	}
	return 0
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
	s.bytes -= b.sizes[key]
	delete(b.sizes, key)
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
		s.bytes = 0
		return
	}
	if b := s.buckets[bucketName]; b != nil {
		for _, n := range b.sizes {
			s.bytes -= n
		}
	}
	delete(s.buckets, bucketName)
}
