package ids

import (
	"regexp"
	"testing"
)

func TestUUIDShapeAndUniqueness(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		u := UUID()
		if !re.MatchString(u) {
			t.Fatalf("UUID() = %q is not a version 4 UUID", u)
		}
		if seen[u] {
			t.Fatalf("UUID() repeated %q", u)
		}
		seen[u] = true
	}
}

func TestTaskTokenLength(t *testing.T) {
	a, b := TaskToken(), TaskToken()
	if len(a) != 43 || a == b {
		t.Fatalf("TaskToken() = %q, %q: want 43 chars (256 bits) and distinct", a, b)
	}
}
