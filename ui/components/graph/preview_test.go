package graph

import (
	"fmt"
	"os"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

func TestPreview(t *testing.T) {
	f := os.Getenv("PREVIEW")
	if f == "" {
		t.Skip("set PREVIEW=file")
	}
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	def, err := asl.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(Render(def, nil, Options{Selected: os.Getenv("SEL")}))
}
