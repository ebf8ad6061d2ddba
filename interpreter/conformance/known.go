package conformance

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
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
