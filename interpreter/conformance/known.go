package conformance

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The known-failures file lists, one per line, a case and level that is known to fail,
// with the reason after "#":
//
//	"base/test_base.py::TestSnfBase::test_state_fail" events  # ids of aborted branches
//
// The id is quoted (Go syntax) because case ids hold spaces and "#". Blank lines and
// lines starting with "#" are comments.

// knownKey identifies one line of the file.
type knownKey struct {
	ID    string
	Level Level
}

// KnownFailures maps each known failing case and level to its reason.
type KnownFailures map[knownKey]string

// ReadKnownFailures reads the file at path; a missing file is an empty list.
func ReadKnownFailures(path string) (KnownFailures, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return KnownFailures{}, nil
	}
	if err != nil {
		return nil, err
	}
	return ParseKnownFailures(data, path)
}

// ParseKnownFailures parses the file format described above; name is used in errors.
func ParseKnownFailures(data []byte, name string) (KnownFailures, error) {
	out := KnownFailures{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		id, rest, err := cutQuoted(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v (want: \"case id\" level # reason)", name, n, err)
		}
		levelText, reason, _ := strings.Cut(rest, "#")
		level, err := ParseLevel(strings.TrimSpace(levelText))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		k := knownKey{id, level}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("%s:%d: %q %s is listed twice", name, n, id, level)
		}
		out[k] = strings.TrimSpace(reason)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return out, nil
}

func cutQuoted(line string) (string, string, error) {
	q, err := strconv.QuotedPrefix(line)
	if err != nil {
		return "", "", fmt.Errorf("the case id must be a quoted string")
	}
	id, err := strconv.Unquote(q)
	if err != nil {
		return "", "", err
	}
	return id, line[len(q):], nil
}

// unknownIDs lists, sorted and in the file's syntax, the lines whose case id is not in ids.
func (k KnownFailures) unknownIDs(ids map[string]bool) []string {
	var out []string
	for key := range k {
		if !ids[key.ID] {
			out = append(out, fmt.Sprintf("%s %s", strconv.Quote(key.ID), key.Level))
		}
	}
	sort.Strings(out)
	return out
}

// Format writes the list sorted by case id and level, in the file format.
func (k KnownFailures) Format() []byte {
	keys := make([]knownKey, 0, len(k))
	for key := range k {
		keys = append(keys, key)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].ID != keys[j].ID {
			return keys[i].ID < keys[j].ID
		}
		return keys[i].Level < keys[j].Level
	})
	var b bytes.Buffer
	b.WriteString("# Conformance cases known to fail, one per case and level: \"case id\" level # reason.\n")
	b.WriteString("# Regenerate with: go test -run <the test> -update-known (reasons are kept).\n")
	for _, key := range keys {
		reason := k[key]
		if reason == "" {
			reason = "TODO: reason"
		}
		fmt.Fprintf(&b, "%s %s # %s\n", strconv.Quote(key.ID), key.Level, reason)
	}
	return b.Bytes()
}

// KnownCases is the known-failures file of a test that passes or fails each case as a
// whole (no levels), in the same line format without the level:
//
//	"function-encodeUrlComponent/case002" # a lone surrogate cannot be a Go string
//
// It is the one reader of such files: the test reports every case to Check, then calls
// Done. The test fails on a failing case that is not listed, on a listed case that
// passes, and on a listed id that names no case the test checked (a renamed or removed
// case must not stay on the list for ever). With -update-known, Done rewrites the file
// instead, keeping the reasons of lines that still fail.
type KnownCases struct {
	path    string
	header  []string          // the file's leading comment lines, kept on rewrite
	reasons map[string]string // listed id → reason
	seen    map[string]bool
	failing map[string]string // id → what differed, in this run
}

// ReadKnownCases reads the file at path (a missing file is an empty list); a malformed
// line, a line without a reason or a repeated id fails the test.
func ReadKnownCases(t testing.TB, path string) *KnownCases {
	t.Helper()
	k := &KnownCases{path: path, reasons: map[string]string{}, seen: map[string]bool{}, failing: map[string]string{}}
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return k
	}
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	inHeader := true
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			if inHeader && line != "" {
				k.header = append(k.header, line)
			}
			continue
		}
		inHeader = false
		id, rest, err := cutQuoted(line)
		if err != nil {
			t.Fatalf("%s:%d: %v (want: \"case id\" # reason)", path, n, err)
		}
		before, reason, _ := strings.Cut(rest, "#")
		reason = strings.TrimSpace(reason)
		if strings.TrimSpace(before) != "" || reason == "" {
			t.Fatalf("%s:%d: want: \"case id\" # reason", path, n)
		}
		if _, dup := k.reasons[id]; dup {
			t.Fatalf("%s:%d: %q is listed twice", path, n, id)
		}
		k.reasons[id] = reason
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return k
}

// Listed reports whether id is on the list, and why.
func (k *KnownCases) Listed(id string) (string, bool) {
	r, ok := k.reasons[id]
	return r, ok
}

// Check records the outcome of case id: failure is what differed, "" when it passed.
func (k *KnownCases) Check(t testing.TB, id, failure string) {
	t.Helper()
	k.seen[id] = true
	_, listed := k.reasons[id]
	if failure != "" {
		k.failing[id] = failure
	}
	if *updateKnown {
		return
	}
	switch {
	case failure != "" && !listed:
		t.Errorf("%s fails (not a known failure in %s): %s", id, k.path, failure)
	case failure == "" && listed:
		t.Errorf("%s passes now: remove it from %s", id, k.path)
	}
}

// Done fails the test for every listed id that no Check named, or with -update-known
// rewrites the file from this run. Call it once every case was checked.
func (k *KnownCases) Done(t testing.TB) {
	t.Helper()
	if *updateKnown {
		if err := os.WriteFile(k.path, k.format(), 0o644); err != nil {
			t.Fatalf("rewriting known failures: %v", err)
		}
		t.Logf("rewrote %s: %d known failures", k.path, len(k.failing))
		return
	}
	for _, id := range k.unchecked() {
		t.Errorf("%s lists %q, which names no case this test checked: remove the line", k.path, id)
	}
}

// unchecked lists, sorted, the listed ids that no Check named.
func (k *KnownCases) unchecked() []string {
	var ids []string
	for id := range k.reasons {
		if !k.seen[id] {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// format writes this run's failures: the reason kept where the line was listed, else
// what differed.
func (k *KnownCases) format() []byte {
	var b bytes.Buffer
	for _, h := range k.header {
		b.WriteString(h + "\n")
	}
	ids := make([]string, 0, len(k.failing))
	for id := range k.failing {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		reason, ok := k.reasons[id]
		if !ok {
			reason = "TODO: reason; differs: " + strings.Join(strings.Fields(k.failing[id]), " ")
		}
		fmt.Fprintf(&b, "%s # %s\n", strconv.Quote(id), reason)
	}
	return b.Bytes()
}
