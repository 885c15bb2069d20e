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
