package mock

import "context"

// Resource pairs a collection path with its item path for stateful mode,
// e.g. {Collection: "/orders", Item: "/orders/{orderId}", IDField: "id"}.
// Paths are operation paths as declared (without basePath).
type Resource struct {
	Collection string `json:"collection"`
	Item       string `json:"item"`
	// IDField is the property of the resource that holds its id; empty
	// means inferred ("id", "<name>Id", or the item path parameter).
	IDField string `json:"idField,omitempty"`
}

type stateful struct {
	s *Server
}

func newStateful(s *Server, _ []Resource) (*stateful, error) {
	return &stateful{s: s}, nil
}

// Respond implements Responder.
func (st *stateful) Respond(ctx context.Context, c *Call) (*Reply, error) {
	return nil, nil
}
