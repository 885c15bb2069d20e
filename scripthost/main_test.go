package scripthost

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	os.RemoveAll(testCache)
	os.Exit(code)
}
