package hostcheck

import (
	"net"
	"testing"
)

func TestAllowed(t *testing.T) {
	t.Parallel()
	lo := &net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 4010}
	any := &net.TCPAddr{IP: net.IPv4zero, Port: 4010}
	lan := &net.TCPAddr{IP: net.ParseIP("192.168.1.5"), Port: 4010}
	for _, tc := range []struct {
		bind  net.Addr
		names []string
		host  string
		want  bool
	}{
		{lo, nil, "127.0.0.1:4010", true},
		{lo, nil, "localhost:4010", true},
		{lo, nil, "[::1]:4010", true},
		{lo, nil, "app.localhost", true},
		{lo, nil, "evil.example:4010", false},
		{lo, nil, "127.0.0.1.evil.example", false},
		{lo, nil, "192.168.1.5:4010", false},
		{lo, []string{"mock.test"}, "MOCK.test:4010", true},
		{any, nil, "192.168.1.5:4010", true},
		{any, nil, "evil.example", false},
		{lan, nil, "192.168.1.5:4010", true},
		{lan, nil, "192.168.1.6:4010", false},
		{nil, nil, "10.0.0.1", false},
		{nil, nil, "localhost", true},
		{lo, []string{"*"}, "whatever", true},
	} {
		if got := (Policy{Bind: tc.bind, Names: tc.names}).Allowed(tc.host); got != tc.want {
			t.Errorf("bind %v names %v Host %q: %v, want %v", tc.bind, tc.names, tc.host, got, tc.want)
		}
	}
}
