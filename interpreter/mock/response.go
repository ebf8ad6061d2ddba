package mock

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stepdeck/stepdeck/interpreter/configfile"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// maxInvocation bounds invocation indexes: far beyond any real test, and small enough
// that ranges never overflow.
const maxInvocation = 999_999_999

// AWS's limits on a task failure's fields; a mock cannot throw what AWS could not record.
const (
	maxErrorLen = 256
	maxCauseLen = 32_768
)

func parseResponseSet(p configfile.Path, name string, v value.Value) (*responseSet, error) {
	obj, err := configfile.Object(p, v, `an object keyed by invocation index ("0") or range ("1-3")`)
	if err != nil {
		return nil, err
	}
	if obj.Len() == 0 {
		return nil, p.Errorf(`has no entries; give at least "0"`)
	}
	rs := &responseSet{name: name}
	for i := range obj.Len() {
		key, ev := obj.At(i)
		kp := p.Key(key)
		first, last, err := parseRange(key)
		if err != nil {
			return nil, kp.Errorf("%s", err)
		}
		resp, err := parseEntry(kp, ev)
		if err != nil {
			return nil, err
		}
		rs.entries = append(rs.entries, rangedResponse{first: first, last: last, resp: resp})
	}
	sort.SliceStable(rs.entries, func(i, j int) bool { return rs.entries[i].first < rs.entries[j].first })
	next := 0
	for _, e := range rs.entries {
		switch {
		case e.first > next:
			return nil, p.Errorf("invocations %s have no entry: entries must follow on from 0 without gaps (covered: %s)",
				rangeText(next, e.first-1), rs.covered())
		case e.first < next:
			return nil, p.Key(rangeText(e.first, e.last)).Errorf("overlaps another entry: invocation %d is covered twice (covered: %s)",
				e.first, rs.covered())
		}
		next = e.last + 1
	}
	return rs, nil
}

// parseRange reads "N" or the inclusive "N-M".
func parseRange(key string) (first, last int, err error) {
	a, b, isRange := strings.Cut(key, "-")
	if first, err = parseIndex(a); err != nil {
		return 0, 0, fmt.Errorf("invalid invocation key %q: %v; use \"N\" or \"N-M\" with N, M counted from 0", key, err)
	}
	if !isRange {
		return first, first, nil
	}
	if last, err = parseIndex(b); err != nil {
		return 0, 0, fmt.Errorf("invalid invocation range %q: %v; use \"N-M\" with N <= M", key, err)
	}
	if last < first {
		return 0, 0, fmt.Errorf("invalid invocation range %q: the end comes before the start", key)
	}
	return first, last, nil
}

func parseIndex(s string) (int, error) {
	if s == "" {
		return 0, fmt.Errorf("a number is missing")
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("%q is not a non-negative whole number", s)
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > maxInvocation {
		return 0, fmt.Errorf("%s is too large (at most %d)", s, maxInvocation)
	}
	return n, nil
}

func parseEntry(p configfile.Path, v value.Value) (*Response, error) {
	obj, err := configfile.Object(p, v, `an object with "Return" or "Throw"`)
	if err != nil {
		return nil, err
	}
	if err := configfile.OnlyKeys(p, obj, "Return", "Throw", "WaitForCallback"); err != nil {
		return nil, err
	}
	r := &Response{}
	if w, ok := obj.Get("WaitForCallback"); ok {
		if r.Wait, err = configfile.Bool(p.Key("WaitForCallback"), w); err != nil {
			return nil, err
		}
	}
	ret, hasReturn := obj.Get("Return")
	tv, hasThrow := obj.Get("Throw")
	switch {
	case hasReturn && hasThrow:
		return nil, p.Errorf(`has both "Return" and "Throw"; an entry gives exactly one`)
	case hasThrow && r.Wait:
		return nil, p.Errorf(`has "Throw" with "WaitForCallback": true; a task that waits for its callback is failed by SendTaskFailure, so drop one of them`)
	case !hasReturn && !hasThrow && !r.Wait:
		return nil, p.Errorf(`has neither "Return" nor "Throw"; an entry gives exactly one`)
	case hasThrow:
		if r.Throw, err = parseThrow(p.Key("Throw"), tv); err != nil {
			return nil, err
		}
	default:
		r.Return = ret
	}
	return r, nil
}

func parseThrow(p configfile.Path, v value.Value) (*failure.Error, error) {
	obj, err := configfile.Object(p, v, `an object with "Error" and "Cause"`)
	if err != nil {
		return nil, err
	}
	if err := configfile.OnlyKeys(p, obj, "Error", "Cause"); err != nil {
		return nil, err
	}
	name, err := requiredString(p, obj, "Error", maxErrorLen)
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, p.Key("Error").Errorf("is empty; Retry and Catch match on the error name")
	}
	cause, err := requiredString(p, obj, "Cause", maxCauseLen)
	if err != nil {
		return nil, err
	}
	return failure.New(name, cause), nil
}

func requiredString(p configfile.Path, obj *value.Object, key string, maxLen int) (string, error) {
	v, err := configfile.Required(p, obj, key)
	if err != nil {
		return "", err
	}
	s, err := configfile.String(p.Key(key), v, "a string")
	if err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(s); n > maxLen {
		return "", p.Key(key).Errorf("is %d characters long; Step Functions allows at most %d", n, maxLen)
	}
	return s, nil
}

func (rs *responseSet) covered() string {
	parts := make([]string, len(rs.entries))
	for i, e := range rs.entries {
		parts[i] = rangeText(e.first, e.last)
	}
	return strings.Join(parts, ", ")
}

func rangeText(first, last int) string {
	if first == last {
		return strconv.Itoa(first)
	}
	return strconv.Itoa(first) + "-" + strconv.Itoa(last)
}
