package localtask

import (
	"path/filepath"
	"testing"
)

// FuzzParseCommands checks that no handlers file makes the parser panic and that an
// accepted file yields runnable specs.
func FuzzParseCommands(f *testing.F) {
	f.Add([]byte(`{"handlers":[{"resource":"arn:aws:states:::lambda:invoke","command":["python3","h.py"],"timeoutSeconds":30,"env":{"K":"V"},"dir":"."}]}`))
	f.Add([]byte(`{"handlers":[{"resource":"arn:aws:states:::sqs:*.waitForTaskToken","command":["x"],"waitForCallback":true}]}`))
	f.Add([]byte(`{"handlers":[{"resource":"[","command":[""]}]}`))
	f.Add([]byte(`{"handlers":[]}`))
	f.Add([]byte(`{"handlers":[{"resource":"arn:aws:states:::s3:getObject","files":"data"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCommands(data, "/base")
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, s := range c.Specs {
			runsCommand := len(s.Argv) > 0 && s.Argv[0] != ""
			servesFiles := s.Files != "" && filepath.IsAbs(s.Files)
			if s.Resource == "" || runsCommand == servesFiles || s.Dir == "" || s.Timeout < 0 {
				t.Fatalf("accepted an unusable spec: %+v", s)
			}
			if seen[s.Resource] {
				t.Fatalf("accepted a duplicate resource %q", s.Resource)
			}
			seen[s.Resource] = true
		}
	})
}
