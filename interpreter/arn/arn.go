// Package arn builds and reads the ARNs of Step Functions resources, in AWS's formats.
package arn

import (
	"fmt"
	"strings"
)

// Location is where resources live: the partition, region and account of their ARNs.
type Location struct {
	Partition string // "aws" when empty
	Region    string
	Account   string
}

// Local is the location stepdeck uses unless told otherwise.
var Local = Location{Partition: "aws", Region: "us-east-1", Account: "123456789012"}

func (l Location) prefix(kind string) string {
	p := l.Partition
	if p == "" {
		p = "aws"
	}
	return fmt.Sprintf("arn:%s:states:%s:%s:%s:", p, l.Region, l.Account, kind)
}

// StateMachine returns arn:aws:states:<region>:<account>:stateMachine:<name>.
func (l Location) StateMachine(name string) string { return l.prefix("stateMachine") + name }

// Execution returns the ARN of a STANDARD execution.
func (l Location) Execution(machine, name string) string {
	return l.prefix("execution") + machine + ":" + name
}

// ExpressExecution returns the ARN of an EXPRESS execution, which AWS makes unique with
// a trailing id.
func (l Location) ExpressExecution(machine, name, id string) string {
	return l.prefix("express") + machine + ":" + name + ":" + id
}

// Activity returns the ARN of an activity.
func (l Location) Activity(name string) string { return l.prefix("activity") + name }

// Role returns an IAM role ARN in the location's account.
func (l Location) Role(name string) string {
	p := l.Partition
	if p == "" {
		p = "aws"
	}
	return fmt.Sprintf("arn:%s:iam::%s:role/%s", p, l.Account, name)
}

// Parsed is a Step Functions ARN taken apart.
type Parsed struct {
	Location
	Kind string   // stateMachine, execution, express, activity, mapRun, ...
	Rest []string // the colon-separated parts after the kind
}

// Parse reads a Step Functions ARN.
func Parse(s string) (Parsed, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 7 || parts[0] != "arn" || parts[2] != "states" {
		return Parsed{}, fmt.Errorf("Invalid Arn: 'Invalid ARN prefix: %s'", s)
	}
	return Parsed{Location: Location{Partition: parts[1], Region: parts[3], Account: parts[4]}, Kind: parts[5], Rest: parts[6:]}, nil
}

// ValidName reports whether s may name a state machine, execution or activity: 1 to 80
// characters, none of whitespace, brackets, wildcards, punctuation AWS reserves, or
// control characters.
func ValidName(s string) bool {
	n := 0
	for _, r := range s {
		n++
		switch {
		case r <= 0x1f, r >= 0x7f && r <= 0x9f, r == 0xfffe, r == 0xffff, r >= 0xd800 && r <= 0xdfff:
			return false
		case r == ' ', r == '\t', r == '\n', r == '\r', r == 0x85, r == 0xa0:
			return false
		case strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r):
			return false
		}
	}
	return n >= 1 && n <= 80
}
