package mock

import (
	"fmt"
	"sort"
)

// Lookup finds the response for a state's invocation (0 for its first call in an
// execution). mocked is false when the test case does not mock the state: the caller
// falls back to other handlers. err is set when the state is mocked but no entry covers
// the invocation.
func (tc *TestCase) Lookup(stateName string, invocation int) (r *Response, mocked bool, err error) {
	rs, ok := tc.states[stateName]
	if !ok {
		return nil, false, nil
	}
	i := sort.Search(len(rs.entries), func(i int) bool { return rs.entries[i].last >= invocation })
	if invocation < 0 || i == len(rs.entries) {
		return nil, true, fmt.Errorf(
			"state %q is mocked by %q in test case %q, which covers invocations %s; invocation %d has no entry: add one to MockedResponses.%s (invocations count from 0 per execution, retries included)",
			stateName, rs.name, tc.Name, rs.covered(), invocation, rs.name)
	}
	return rs.entries[i].resp, true, nil
}
