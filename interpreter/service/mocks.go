package service

import (
	"github.com/stepdeck/stepdeck/interpreter/mock"
)

// Mocks serves a service's Task states from a mock config file, by the test case an
// execution was started with ("<state machine ARN>#<test case>").
func Mocks(c *mock.Config) TaskMocks { return mockConfig{c} }

type mockConfig struct{ c *mock.Config }

func (m mockConfig) HasTestCase(machine, testCase string) bool {
	_, err := m.c.TestCase(machine, testCase)
	return err == nil
}

func (m mockConfig) Lookup(machine, testCase, state string, n int) (MockResponse, bool, error) {
	tc, err := m.c.TestCase(machine, testCase)
	if err != nil {
		return MockResponse{}, false, err
	}
	r, mocked, err := tc.Lookup(state, n)
	if err != nil || !mocked {
		return MockResponse{}, mocked, err
	}
	return MockResponse{Return: r.Return, Throw: r.Throw, Wait: r.Wait}, true, nil
}
