package authoring_test

import (
	"encoding/json"
	"testing"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector/postman"
)

// FuzzUpgradePostmanV1: any JSON object either upgrades to a collection
// the v2 converter reads without panicking, or is refused with an error.
func FuzzUpgradePostmanV1(f *testing.F) {
	f.Add([]byte(`{"name":"c","requests":[{"id":"r","url":"https://x/a?b=1","method":"post","dataMode":"raw","rawModeData":"{}","responses":[{"responseCode":{"code":201},"text":"{}"}]}],"folders":[{"name":"f","order":["r"]}]}`))
	f.Add([]byte(`{"requests":[1,{"headers":"A: b\nC"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var root map[string]any
		if json.Unmarshal(data, &root) != nil || root == nil || !authoring.IsPostmanV1(root) {
			return
		}
		v2, err := authoring.UpgradePostmanV1(root)
		if err != nil {
			return
		}
		_, _, _ = postman.Convert(v2)
	})
}
