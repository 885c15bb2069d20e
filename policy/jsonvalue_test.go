package policy

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestJSONRoundTripKeepsOrderAndNumbers(t *testing.T) {
	in := `{"z":1,"a":[true,false,null,-0.5e+3,12345678901234567890],"m":{"\u00e9\"\\/\n":"\ud83d\ude00 \u2028<>&"},"":""}`
	v, err := decodeJSON([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	got := string(encodeJSON(v))
	want := `{"z":1,"a":[true,false,null,-0.5e+3,12345678901234567890],"m":{"é\"\\/\n":"😀 \u2028<>&"},"":""}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestJSONRejects(t *testing.T) {
	for _, s := range []string{``, `{`, `{"a"}`, `{"a":1,}`, `[1,]`, `01`, `1.`, `-`, `.5`, `1e`, `"\x01"`, `"\q"`, `"\u12"`, `tru`, `{} {}`, `{'a':1}`, `[1 2]`, `nul`} {
		if _, err := decodeJSON([]byte(s)); err == nil {
			t.Errorf("decodeJSON(%q) accepted", s)
		}
	}
}

// FuzzJSON: the ordered decoder accepts exactly what encoding/json does
// and round-trips to the same value.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":null}]}`, `"\ud800"`, `"\ud83d\ude00"`, `[1e5,-0,0.1]`, `"\u2028"`, `{"a":"\u0000"}`, `"\ud800\u0041"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := decodeJSON(data)
		valid := json.Valid(data)
		if (err == nil) != valid {
			t.Fatalf("decodeJSON err=%v, json.Valid=%v for %q", err, valid, data)
		}
		if err != nil {
			return
		}
		var want, got any
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		out := encodeJSON(v)
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("re-encoded %q is not JSON: %v", out, err)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("round trip changed %q: %q", data, out)
		}
	})
}
