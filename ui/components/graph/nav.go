package graph

import "github.com/stepdeck/stepdeck/interpreter/asl"

// HasState reports whether def has a state of that name at any depth.
func HasState(def *asl.Definition, name string) bool {
	return def != nil && findState(&def.Scope, name) != nil
}
