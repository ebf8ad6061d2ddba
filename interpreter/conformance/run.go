package conformance

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"testing"
)

var updateKnown = flag.Bool("update-known", false,
	"rewrite the conformance known-failures file from this run instead of failing on changes")

// UpdateKnown reports whether -update-known was given: one flag for every test that keeps
// a known-failures file, since a test binary can define a flag name only once.
func UpdateKnown() bool { return *updateKnown }

// Run runs every execution case through run, each as a subtest, and enforces the
// ratchet kept in knownFailuresFile: a level that fails and is not listed fails the
// test; a listed level that now passes fails the test too, so that the list only
// shrinks. With -update-known the file is rewritten instead (reasons of lines still
// failing are kept, new lines get "TODO: reason", cases filtered out by -run keep their
// lines). A summary per area and level is logged at the end.
//
// Cases that are not executions (the API cases) are left out. A panic in run is
// reported as the failure of that case.
func Run(t *testing.T, cases []*Case, knownFailuresFile string, run func(*Case) (*Result, error)) {
	t.Helper()
	known, err := ReadKnownFailures(knownFailuresFile)
	if err != nil {
		t.Fatalf("known failures: %v", err)
	}
	tally := newTally()
	observed := map[knownKey]bool{} // key → passed
	for _, c := range cases {
		if !c.IsExecution() {
			continue
		}
		t.Run(SubtestName(c), func(t *testing.T) {
			outcomes := runCase(c, run)
			for _, o := range outcomes {
				key := knownKey{c.ID, o.Level}
				pass := o.Err == nil
				observed[key] = pass
				tally.add(c.Area, o.Level, pass)
				reason, isKnown := known[key]
				switch {
				case !pass && !isKnown && !*updateKnown:
					t.Errorf("%s level fails (not a known failure): %v", o.Level, o.Err)
				case !pass && isKnown:
					t.Logf("%s level fails as known (%s): %v", o.Level, reason, o.Err)
				case pass && isKnown && !*updateKnown:
					t.Errorf("%s level now passes: remove the line %s %s from %s",
						o.Level, quoteID(c.ID), o.Level, knownFailuresFile)
				}
			}
		})
	}
	// A listed id that names none of the cases (renamed, removed, or no longer served)
	// would never fail: it fails the test, and -update-known drops it.
	ids := map[string]bool{}
	for _, c := range cases {
		if c.IsExecution() {
			ids[c.ID] = true
		}
	}
	if !*updateKnown {
		for _, line := range known.unknownIDs(ids) {
			t.Errorf("%s lists %s, which names no case of this test: remove the line", knownFailuresFile, line)
		}
	}
	if *updateKnown {
		next := KnownFailures{}
		for key, reason := range known {
			if _, ran := observed[key]; !ran && ids[key.ID] {
				next[key] = reason
			}
		}
		for key, pass := range observed {
			if !pass {
				next[key] = known[key]
			}
		}
		if err := os.WriteFile(knownFailuresFile, next.Format(), 0o644); err != nil {
			t.Fatalf("rewriting known failures: %v", err)
		}
		t.Logf("rewrote %s: %d known failures", knownFailuresFile, len(next))
	}
	summary := tally.String()
	t.Log("\n" + summary)
	if !testing.Verbose() {
		fmt.Print(summary)
	}
}

// runCase runs one case and compares; any error of the engine fails every level.
func runCase(c *Case, run func(*Case) (*Result, error)) []Outcome {
	r, err := safeRun(c, run)
	if err == nil && r == nil {
		err = fmt.Errorf("the engine returned neither a result nor an error")
	}
	if err != nil {
		out := []Outcome{{LevelResult, err}}
		if c.HasHistory() {
			out = append(out, Outcome{LevelSummary, err}, Outcome{LevelEvents, err})
		}
		return out
	}
	return Check(c, r)
}

func safeRun(c *Case, run func(*Case) (*Result, error)) (r *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("engine panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return run(c)
}

func quoteID(id string) string { return fmt.Sprintf("%q", id) }

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.,=+-]+`)

// SubtestName turns a case id into a subtest name that -run can select: no "/" (which
// -run reads as a level of subtests), no spaces or pattern characters.
func SubtestName(c *Case) string {
	return strings.Trim(unsafeName.ReplaceAllString(c.ID, "_"), "_")
}

// tally counts passes per area and level.
type tally struct {
	mu     sync.Mutex
	counts map[string]*[len(levelNames)][2]int // area → level → {passed, total}
}

var levelNames = [...]string{"result", "summary", "events"}

func newTally() *tally { return &tally{counts: map[string]*[len(levelNames)][2]int{}} }

func (t *tally) add(area string, l Level, pass bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.counts[area]
	if c == nil {
		c = new([len(levelNames)][2]int)
		t.counts[area] = c
	}
	if pass {
		c[l][0]++
	}
	c[l][1]++
}

func (t *tally) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	areas := make([]string, 0, len(t.counts))
	for a := range t.counts {
		areas = append(areas, a)
	}
	sort.Strings(areas)
	var total [len(levelNames)][2]int
	var b strings.Builder
	fmt.Fprintf(&b, "conformance %-24s", "area")
	for _, n := range levelNames {
		fmt.Fprintf(&b, " %18s", n)
	}
	b.WriteString("\n")
	row := func(name string, c *[len(levelNames)][2]int) {
		fmt.Fprintf(&b, "conformance %-24s", name)
		for _, pc := range c {
			if pc[1] == 0 {
				fmt.Fprintf(&b, " %18s", "-")
				continue
			}
			fmt.Fprintf(&b, " %18s", fmt.Sprintf("%d/%d %5.1f%%", pc[0], pc[1], 100*float64(pc[0])/float64(pc[1])))
		}
		b.WriteString("\n")
	}
	for _, a := range areas {
		c := t.counts[a]
		row(a, c)
		for l := range total {
			total[l][0] += c[l][0]
			total[l][1] += c[l][1]
		}
	}
	row("TOTAL", &total)
	return b.String()
}
