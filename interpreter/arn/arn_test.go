package arn

import "testing"

func TestFormats(t *testing.T) {
	l := Location{Region: "eu-west-1", Account: "111111111111"}
	for _, tc := range []struct{ got, want string }{
		{l.StateMachine("m"), "arn:aws:states:eu-west-1:111111111111:stateMachine:m"},
		{l.Execution("m", "e"), "arn:aws:states:eu-west-1:111111111111:execution:m:e"},
		{l.ExpressExecution("m", "e", "u"), "arn:aws:states:eu-west-1:111111111111:express:m:e:u"},
		{l.Activity("a"), "arn:aws:states:eu-west-1:111111111111:activity:a"},
		{l.Role("r"), "arn:aws:iam::111111111111:role/r"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %s, want %s", tc.got, tc.want)
		}
	}
	p, err := Parse(l.Execution("m", "e"))
	if err != nil || p.Kind != "execution" || p.Rest[0] != "m" || p.Rest[1] != "e" || p.Region != "eu-west-1" {
		t.Errorf("Parse = %+v, %v", p, err)
	}
	if _, err := Parse("not-an-arn"); err == nil {
		t.Error("Parse accepted a malformed ARN")
	}
}

func TestValidName(t *testing.T) {
	for _, ok := range []string{"a", "my-machine_1", "ünïcödé", "x.y"} {
		if !ValidName(ok) {
			t.Errorf("ValidName(%q) = false", ok)
		}
	}
	for _, bad := range []string{"", "a b", "a:b", "a/b", "a*b", "a\x00", string(make([]byte, 81))} {
		if ValidName(bad) {
			t.Errorf("ValidName(%q) = true", bad)
		}
	}
}
