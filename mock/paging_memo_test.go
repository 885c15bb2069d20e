package mock

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestPagingMemoKeepsEachRequestsLinks: the memoised pages answer a
// repeated request byte for byte, and a request that differs in what the
// page is built from (the next link's prefix, the page asked for) is not
// answered from another's memo.
func TestPagingMemoKeepsEachRequestsLinks(t *testing.T) {
	t.Parallel()
	_, ts := newSample(t, Options{Seed: 1})
	get := func(path, prefix string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.Header.Set("X-API-Key", "k")
		if prefix != "" {
			req.Header.Set("X-Forwarded-Prefix", prefix)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	first := get("/v1/orders", "")
	if again := get("/v1/orders", ""); again != first {
		t.Error("a repeated list request got another page")
	}
	if !strings.Contains(first, `"@odata.nextLink":"/v1/orders?`) {
		t.Fatalf("no next link in the first page: %.200s", first)
	}
	if p := get("/v1/orders", "/pp"); !strings.Contains(p, `"@odata.nextLink":"/pp/v1/orders?`) {
		t.Errorf("behind a prefix the next link lacks it (answered from the memo?): %.200s", p)
	}
	if next := get("/v1/orders?$skiptoken=10", ""); next == first {
		t.Error("page 2 answered with page 1")
	}
}
