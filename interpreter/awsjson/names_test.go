package awsjson

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sfnSource finds the sfn module's source in the module cache; the generated
// (de)serializers there are the authority on member names.
func sfnSource(t *testing.T) string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-sdk-go-v2/service/sfn").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("cannot locate the sfn module source with go list: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "deserializers.go")); err != nil {
		t.Skipf("sfn module source not in the module cache: %v", err)
	}
	return dir
}

var (
	// case "activityArn":  ...  sv.ActivityArn = ...
	deserCase = regexp.MustCompile(`\n\t\tcase "([A-Za-z0-9_]+)":\n`)
	deserSet  = regexp.MustCompile(`sv\.([A-Za-z0-9_]+)`)
	// ok := object.Key("activityArn")  ok.String(*v.ActivityArn)
	serKey = regexp.MustCompile(`object\.Key\("([A-Za-z0-9_]+)"\)`)
	serGet = regexp.MustCompile(`\bv\.([A-Z][A-Za-z0-9_]*)`)
)

// TestMemberNamesMatchSDKCode reads every (JSON name, Go field) pair out of the SDK's
// generated serializers and deserializers and checks the naming rule gives the same.
func TestMemberNamesMatchSDKCode(t *testing.T) {
	dir := sfnSource(t)
	pairs := map[string]string{} // Go field → JSON name, per pair seen
	check := func(field, name, where string) {
		if got := memberName("", field); got != name {
			t.Errorf("%s: field %s is %q in the SDK, the rule gives %q (add an exception)", where, field, name, got)
		}
		pairs[field+"="+name] = name
	}
	des, err := os.ReadFile(filepath.Join(dir, "deserializers.go"))
	if err != nil {
		t.Fatal(err)
	}
	// A case's body runs to the next case; its first sv.Field is the member it sets.
	text := string(des)
	cases := deserCase.FindAllStringSubmatchIndex(text, -1)
	for i, m := range cases {
		end := len(text)
		if i+1 < len(cases) {
			end = cases[i+1][0]
		}
		if f := deserSet.FindStringSubmatch(text[m[1]:end]); f != nil {
			check(f[1], text[m[2]:m[3]], "deserializers.go")
		}
	}
	ser, err := os.ReadFile(filepath.Join(dir, "serializers.go"))
	if err != nil {
		t.Fatal(err)
	}
	// The first v.Field after a key (before the next key) is the member written there.
	text = string(ser)
	keys := serKey.FindAllStringSubmatchIndex(text, -1)
	matched := 0
	for i, m := range keys {
		end := len(text)
		if i+1 < len(keys) {
			end = keys[i+1][0]
		}
		if f := serGet.FindStringSubmatch(text[m[1]:end]); f != nil {
			matched++
			check(f[1], text[m[2]:m[3]], "serializers.go")
		}
	}
	if matched != len(keys) || matched < 100 {
		t.Errorf("matched %d of the %d object.Key calls in serializers.go: the pattern is stale", matched, len(keys))
	}
	// 185 distinct pairs in v1.41.2; far fewer means the patterns stopped matching.
	if len(pairs) < 150 {
		t.Errorf("only %d member names found in the SDK's code", len(pairs))
	}
}
