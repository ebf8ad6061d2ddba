package mock

import (
	"testing"
)

// FuzzParse checks that no file makes Parse panic, and that a file it accepts gives
// answers for every state it names without panicking either.
func FuzzParse(f *testing.F) {
	f.Add([]byte(orderFlow))
	f.Add([]byte(`{"StateMachines":{"M":{"TestCases":{"T":{"S":"R"}}}},"MockedResponses":{"R":{"0-2":{"Return":1},"3":{"WaitForCallback":true}}}}`))
	f.Add([]byte(`{"MockedResponses":{"R":{"0":{"Throw":{"Error":"E","Cause":"c"}},"1-1":{"Return":null}}}}`))
	f.Add([]byte(`{"MockedResponses":{"R":{"1-0":{}}}}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			if c != nil {
				t.Fatal("Parse returned a config with an error")
			}
			return
		}
		for _, m := range c.StateMachines() {
			for _, name := range c.TestCases(m) {
				tc, err := c.TestCase(m, name)
				if err != nil {
					t.Fatalf("listed test case %s/%s not found: %v", m, name, err)
				}
				for _, s := range tc.States() {
					r, mocked, err := tc.Lookup(s, 0)
					if !mocked {
						t.Fatalf("listed state %s not mocked", s)
					}
					// Entries start at 0, so invocation 0 is always covered.
					if err != nil || r == nil {
						t.Fatalf("invocation 0 of %s: %v", s, err)
					}
					if r.Throw != nil && r.Wait {
						t.Fatalf("entry both throws and waits")
					}
				}
			}
		}
	})
}
