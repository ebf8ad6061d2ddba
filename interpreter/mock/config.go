package mock

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/configfile"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// EnvVar is the environment variable Step Functions Local reads the mock file's path
// from; the CLI honours it too.
const EnvVar = "SFN_MOCK_CONFIG"

// Config is a parsed mock file. It is immutable and safe for concurrent use.
type Config struct {
	machines  map[string]*machine
	responses map[string]*responseSet
}

type machine struct {
	name  string
	cases map[string]*TestCase
}

// TestCase is one test case of one state machine: which Task states it mocks, and how.
type TestCase struct {
	Machine string
	Name    string
	states  map[string]*responseSet
}

// Response is what a mocked invocation does. Throw, when set, fails the task; otherwise
// the task returns Return (which may be JSON null). Wait asks a .waitForTaskToken task
// to wait for a real callback; Return is then the service's reply to the submission.
// A Response is shared: do not modify it.
type Response struct {
	Return value.Value
	Throw  *failure.Error
	Wait   bool
}

// responseSet is one named entry of MockedResponses: responses by invocation range,
// sorted and contiguous from 0.
type responseSet struct {
	name    string
	entries []rangedResponse
}

type rangedResponse struct {
	first, last int
	resp        *Response
}

// fileKind names the mock file in its errors, which are *configfile.Error values.
const fileKind = "mock config"

// Load reads and parses a mock file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mock config: %w", err)
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Parse reads a mock file. Besides Step Functions Local's own checks it enforces
// LocalStack's stricter ones, so a file that works here works there too.
func Parse(data []byte) (*Config, error) {
	doc, err := configfile.Parse(fileKind, data)
	if err != nil {
		return nil, err
	}
	root := configfile.Root(fileKind)
	obj, err := configfile.Object(root, doc, `an object with "StateMachines" and "MockedResponses"`)
	if err != nil {
		return nil, err
	}
	if err := configfile.OnlyKeys(root, obj, "StateMachines", "MockedResponses"); err != nil {
		return nil, err
	}
	c := &Config{machines: map[string]*machine{}, responses: map[string]*responseSet{}}
	if v, ok := obj.Get("MockedResponses"); ok {
		if err := c.parseResponses(root.Key("MockedResponses"), v); err != nil {
			return nil, err
		}
	}
	if v, ok := obj.Get("StateMachines"); ok {
		if err := c.parseMachines(root.Key("StateMachines"), v); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *Config) parseMachines(p configfile.Path, v value.Value) error {
	obj, err := configfile.Object(p, v, "an object keyed by state machine name")
	if err != nil {
		return err
	}
	for i := range obj.Len() {
		name, mv := obj.At(i)
		mp := p.Key(name)
		mo, err := configfile.Object(mp, mv, `an object with "TestCases"`)
		if err != nil {
			return err
		}
		if err := configfile.OnlyKeys(mp, mo, "TestCases"); err != nil {
			return err
		}
		tv, err := configfile.Required(mp, mo, "TestCases")
		if err != nil {
			return err
		}
		tp := mp.Key("TestCases")
		to, err := configfile.Object(tp, tv, "an object keyed by test case name")
		if err != nil {
			return err
		}
		m := &machine{name: name, cases: map[string]*TestCase{}}
		for j := range to.Len() {
			caseName, cv := to.At(j)
			tc, err := c.parseCase(tp.Key(caseName), name, caseName, cv)
			if err != nil {
				return err
			}
			m.cases[caseName] = tc
		}
		c.machines[name] = m
	}
	return nil
}

func (c *Config) parseCase(p configfile.Path, machineName, caseName string, v value.Value) (*TestCase, error) {
	obj, err := configfile.Object(p, v, "an object mapping Task state names to names of MockedResponses")
	if err != nil {
		return nil, err
	}
	tc := &TestCase{Machine: machineName, Name: caseName, states: map[string]*responseSet{}}
	for i := range obj.Len() {
		state, rv := obj.At(i)
		ref, err := configfile.String(p.Key(state), rv, "the name of an entry of MockedResponses (a string)")
		if err != nil {
			return nil, err
		}
		rs, ok := c.responses[ref]
		if !ok {
			return nil, p.Key(state).Errorf("MockedResponses has no entry named %q%s", ref, known(c.responseNames()))
		}
		tc.states[state] = rs
	}
	return tc, nil
}

func (c *Config) parseResponses(p configfile.Path, v value.Value) error {
	obj, err := configfile.Object(p, v, "an object keyed by response name")
	if err != nil {
		return err
	}
	for i := range obj.Len() {
		name, rv := obj.At(i)
		rs, err := parseResponseSet(p.Key(name), name, rv)
		if err != nil {
			return err
		}
		c.responses[name] = rs
	}
	return nil
}

// TestCase finds a test case. The error names the machines or cases the file has, since
// a typo is the usual reason for a miss.
func (c *Config) TestCase(stateMachineName, testCase string) (*TestCase, error) {
	m, ok := c.machines[stateMachineName]
	if !ok {
		return nil, fmt.Errorf("the mock config has no state machine named %q under StateMachines%s",
			stateMachineName, known(c.StateMachines()))
	}
	tc, ok := m.cases[testCase]
	if !ok {
		return nil, fmt.Errorf("state machine %q has no test case %q in the mock config%s",
			stateMachineName, testCase, known(c.TestCases(stateMachineName)))
	}
	return tc, nil
}

// StateMachines lists the state machine names the file has test cases for, sorted.
func (c *Config) StateMachines() []string {
	out := make([]string, 0, len(c.machines))
	for name := range c.machines {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// TestCases lists a state machine's test cases, sorted; nil when the machine is unknown.
func (c *Config) TestCases(stateMachineName string) []string {
	m, ok := c.machines[stateMachineName]
	if !ok {
		return nil
	}
	out := make([]string, 0, len(m.cases))
	for name := range m.cases {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func (c *Config) responseNames() []string {
	out := make([]string, 0, len(c.responses))
	for name := range c.responses {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// States lists the Task states the test case mocks, sorted.
func (tc *TestCase) States() []string {
	out := make([]string, 0, len(tc.states))
	for name := range tc.states {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// SplitARN splits "<state machine ARN>#<test case>", the form StartExecution takes to
// pick a test case, into its parts. ok is false when there is no '#'.
func SplitARN(arn string) (stateMachineArn, testCase string, ok bool) {
	return strings.Cut(arn, "#")
}

// known formats a list of names for an error message.
func known(names []string) string {
	if len(names) == 0 {
		return " (it has none)"
	}
	const most = 20
	quoted := make([]string, 0, min(len(names), most))
	for i, n := range names {
		if i == most {
			break
		}
		quoted = append(quoted, fmt.Sprintf("%q", n))
	}
	s := " (it has " + strings.Join(quoted, ", ")
	if len(names) > most {
		s += fmt.Sprintf(" and %d more", len(names)-most)
	}
	return s + ")"
}
