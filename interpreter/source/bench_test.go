package source

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkLoad measures a load of each fixture project and of a template with one
// machine of 500 Task states written inline in YAML (about 60 KB), the size where a
// watch's reload on every save must stay quick.
func BenchmarkLoad(b *testing.B) {
	var y strings.Builder
	y.WriteString("Resources:\n  Fn: {Type: AWS::Lambda::Function}\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: S0\n        States:\n")
	for i := range 500 {
		next := fmt.Sprintf("Next: S%d", i+1)
		if i == 499 {
			next = "End: true"
		}
		fmt.Fprintf(&y, "          S%d:\n            Type: Task\n            Resource: !GetAtt Fn.Arn\n            Parameters: {id.$: $.id, n: %d}\n            %s\n", i, i, next)
	}
	big := filepath.Join(b.TempDir(), "big.yaml")
	if err := os.WriteFile(big, []byte(y.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, path string }{
		{"sam-app", filepath.Join(fixtures, "sam-app")},
		{"cfn", filepath.Join(fixtures, "cfn", "template.yaml")},
		{"cdk", filepath.Join(fixtures, "cdk-app", "cdk.out")},
		{"500-states", big},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Load(c.path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
