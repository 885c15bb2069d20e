package exchanges_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
	"github.com/connectorlab/connectorlab/workflow/exchanges"
)

func session(t *testing.T, st *sqlite.Store, name string, n int) (*recordings.Session, []int64) {
	t.Helper()
	ctx := context.Background()
	s := &recordings.Session{Name: name, Connector: "c"}
	if err := st.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := 0; i < n; i++ {
		x := &recordings.Exchange{SessionID: s.ID, Request: recordings.Request{Method: "GET", URL: "http://h/x"}, Response: recordings.Response{Status: 200}}
		if err := st.Record(ctx, x); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, x.ID)
	}
	return s, ids
}

// TestExcludeDropsOneBadExchange: `recordings rm SESSION --exchange ID`
// removes just that exchange; an id of another session is refused before
// anything is removed.
func TestExcludeDropsOneBadExchange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "r.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, aids := session(t, st, "a", 3)
	_, bids := session(t, st, "b", 1)
	if err := exchanges.Exclude(ctx, st, a.ID, []int64{aids[1], bids[0]}); !errors.Is(err, recordings.ErrNotFound) {
		t.Fatalf("an exchange of another session: got %v, want ErrNotFound", err)
	}
	if xs, _ := exchanges.All(ctx, st, a.ID); len(xs) != 3 {
		t.Fatalf("a refused call removed exchanges: %d left", len(xs))
	}
	if err := exchanges.Exclude(ctx, st, a.ID, []int64{aids[1]}); err != nil {
		t.Fatal(err)
	}
	xs, err := exchanges.All(ctx, st, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(xs) != 2 || xs[0].ID != aids[0] || xs[1].ID != aids[2] {
		t.Fatalf("left %v, want %d and %d", xs, aids[0], aids[2])
	}
	if err := exchanges.Exclude(ctx, st, a.ID, nil); err == nil {
		t.Fatal("no ids: want an error")
	}
}
