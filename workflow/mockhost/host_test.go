package mockhost

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
)

// TestHostedMockChecksHost (issue 11 item 5): the desktop's mocks, served
// through Host, refuse a request addressed to a foreign Host name (DNS
// rebinding) and answer their own address and the names in AllowHosts.
func TestHostedMockChecksHost(t *testing.T) {
	c, err := connector.Load(context.Background(), "../../examples/contoso-orders")
	if err != nil {
		t.Fatal(err)
	}
	h := NewHost(nil)
	h.AllowHosts = []string{"mock.test"}
	m, err := h.Start(c, mock.Options{DisableAuth: true}, "k", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer h.StopAll()
	for host, want := range map[string]int{
		m.Addr.String():                          200,
		fmt.Sprintf("localhost:%d", m.Addr.Port): 200,
		"mock.test":                              200,
		"rebind.attacker.example":                403,
	} {
		req, _ := http.NewRequest("GET", m.URL()+"/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, resp.StatusCode, want)
		}
	}
}
