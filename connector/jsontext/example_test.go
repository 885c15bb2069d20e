package jsontext_test

import (
	"errors"
	"fmt"

	"github.com/connectorlab/connectorlab/connector/jsontext"
)

func ExampleNormalize() {
	src := []byte("{\n  \"title\": \"Pets\"\n  \"tags\": [\"a\", \"b\",],\n}")
	out, repairs, err := jsontext.Normalize(src, jsontext.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range repairs {
		fmt.Println(r)
	}
	fmt.Println(string(out))
	// Output:
	// line 2, column 18: json-missing-comma: inserted ',' before the key "tags" at line 3, column 3
	// line 3, column 20: json-trailing-comma: removed the ',' before ']'
	// line 3, column 22: json-trailing-comma: removed the ',' before '}'
	// {
	//   "title": "Pets",
	//   "tags": ["a", "b"]
	// }
}

func ExampleSyntaxError() {
	src := []byte("{\n  \"tags\": [\n    \"a\"\n  },\n  \"x\": 1\n}")
	_, _, err := jsontext.Normalize(src, jsontext.Options{})
	var se *jsontext.SyntaxError
	if errors.As(err, &se) {
		fmt.Println(se)
		fmt.Println("hint:", se.Hint)
	}
	// Output:
	// line 4, column 3: '}' does not match the '[' opened at line 2, column 11
	// hint: close the array with ']' before this, or remove this '}'
}
