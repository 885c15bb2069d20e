package exchanges

import (
	"context"
	"fmt"

	"github.com/connectorlab/connectorlab/recordings"
)

// pageSize is how many exchanges one ListExchanges call asks for.
const pageSize = 1000

// All returns every exchange of session id, in recorded order.
func All(ctx context.Context, s recordings.Exchanges, sessionID int64) ([]*recordings.Exchange, error) {
	var xs []*recordings.Exchange
	err := Each(ctx, s, sessionID, func(x *recordings.Exchange) error {
		xs = append(xs, x)
		return nil
	})
	return xs, err
}

// Each calls fn for every exchange of session id, in recorded order,
// stopping at the first error.
func Each(ctx context.Context, s recordings.Exchanges, sessionID int64, fn func(*recordings.Exchange) error) error {
	f := recordings.ExchangeFilter{SessionID: sessionID, Limit: pageSize}
	for {
		page, err := s.ListExchanges(ctx, f)
		if err != nil {
			return fmt.Errorf("read session %d: %w", sessionID, err)
		}
		for _, x := range page.Exchanges {
			if err := fn(x); err != nil {
				return err
			}
		}
		if page.Next == 0 {
			return nil
		}
		f.After = page.Next
	}
}

// Remover is a store that can drop single exchanges (recordings/sqlite).
type Remover interface {
	DeleteExchange(ctx context.Context, sessionID, id int64) error
}

// Exclude removes exchanges ids from session sessionID, so that replays
// and drift no longer see them (`recordings rm SESSION --exchange ID`, the
// desktop's session view). Every id is checked to belong to the session
// before any is removed; an unknown one is an error naming it.
func Exclude(ctx context.Context, s interface {
	recordings.Exchanges
	Remover
}, sessionID int64, ids []int64) error {
	if len(ids) == 0 {
		return fmt.Errorf("no exchange to remove from session %d: give the exchange ids (recordings show lists them)", sessionID)
	}
	for _, id := range ids {
		x, err := s.Exchange(ctx, id)
		if err != nil || x.SessionID != sessionID {
			return fmt.Errorf("exchange %d is not in session %d (recordings show lists its exchanges): %w", id, sessionID, recordings.ErrNotFound)
		}
	}
	for _, id := range ids {
		if err := s.DeleteExchange(ctx, sessionID, id); err != nil {
			return fmt.Errorf("remove exchange %d of session %d: %w", id, sessionID, err)
		}
	}
	return nil
}
