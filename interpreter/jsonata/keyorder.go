package jsonata

import (
	"sort"
	"strconv"
)

// jsKeyOrder orders keys as a JavaScript object lists them: array-index keys ("0",
// "17") first in numeric order, then the others in insertion order. Objects that
// JSONata builds show their keys in that order in the reference.
func jsKeyOrder(keys []string) []string {
	n := 0
	for _, k := range keys {
		if isArrayIndex(k) {
			n++
		}
	}
	if n == 0 {
		return keys
	}
	idx := make([]string, 0, n)
	rest := make([]string, 0, len(keys)-n)
	for _, k := range keys {
		if isArrayIndex(k) {
			idx = append(idx, k)
		} else {
			rest = append(rest, k)
		}
	}
	sort.Slice(idx, func(i, j int) bool {
		a, _ := strconv.ParseUint(idx[i], 10, 32)
		b, _ := strconv.ParseUint(idx[j], 10, 32)
		return a < b
	})
	return append(idx, rest...)
}

// isArrayIndex reports a canonical decimal integer below 2^32-1.
func isArrayIndex(k string) bool {
	if k == "" || len(k) > 10 || (len(k) > 1 && k[0] == '0') {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return false
		}
	}
	n, err := strconv.ParseUint(k, 10, 64)
	return err == nil && n < 1<<32-1
}
