package pages

import "testing"

func TestExportNameIsASafeFileName(t *testing.T) {
	cases := map[string]string{
		"arn:aws:states:us-east-1:123456789012:execution:m:run-1":     "run-1.history.json",
		"arn:aws:states:us-east-1:123456789012:execution:m:a/b c\x1b": "a_b_c_.history.json",
		"arn:aws:states:us-east-1:123456789012:execution:m:..":        "execution.history.json",
		"arn:aws:states:us-east-1:123456789012:execution:m:":          "execution.history.json",
		"no-colon": "no-colon.history.json",
	}
	for arn, want := range cases {
		if got := exportName(arn); got != want {
			t.Errorf("exportName(%q) = %q, want %q", arn, got, want)
		}
	}
}
