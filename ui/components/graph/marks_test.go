package graph

import (
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

func TestMarksReplaceStatusMarkers(t *testing.T) {
	def, err := asl.Parse([]byte(`{"StartAt":"First","States":{"First":{"Type":"Pass","Next":"Second"},"Second":{"Type":"Pass","End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	marks := map[string]string{"First": "●", "Second": "▶"}
	for _, mode := range []Mode{Pan, OutlineOnly} {
		out := Render(def, nil, Options{Marks: marks, Mode: mode})
		if !strings.Contains(out, "● First") || !strings.Contains(out, "▶ Second") {
			t.Errorf("mode %d: marks not drawn:\n%s", mode, out)
		}
	}
	if out := Render(def, nil, Options{Mode: Pan}); strings.Contains(out, "●") {
		t.Errorf("a mark without Marks:\n%s", out)
	}
}
