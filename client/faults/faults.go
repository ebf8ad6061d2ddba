// Package faults puts the faults of a production Step Functions endpoint in front of a
// real one (the local service's HTTP server, in tests): latency per call, throttling,
// access denials and server errors for chosen operations and resources, outages that
// drop connections, calls that stall, and an endpoint that ignores the paging
// parameters. It counts every call by operation, so tests can hold the app to an API
// call budget.
package faults

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Rule answers the calls of one operation (all when Op is empty) whose body contains
// BodyContains with an error instead of passing them on.
type Rule struct {
	Op           string
	BodyContains string
	Status       int    // 403, 500, 400, ...
	Type         string // the error's __type; by default from the status
	Message      string // by default AWS's text for the type
	// Every answers only one call in Every of those matched (0 or 1: all).
	Every int
	seen  int
}

// Endpoint is an http.Handler that passes calls to Next with the faults set on it.
// Change the faults at any time with Set.
type Endpoint struct {
	Next http.Handler

	mu sync.Mutex
	// Latency is added to every call.
	Latency time.Duration
	// Down drops every connection, as an endpoint that is down does.
	Down bool
	// Stall holds calls of these operations this long before passing them on.
	Stall map[string]time.Duration
	// Rules are tried in order.
	Rules []*Rule
	// IgnorePaging makes the endpoint ignore maxResults, nextToken and reverseOrder, as
	// some Step Functions emulators do: every list and history call is answered with
	// everything, oldest first, in one page (up to 1000 items).
	IgnorePaging bool
	calls        map[string]int
	log          []string
}

// Set changes the faults under the endpoint's lock.
func (e *Endpoint) Set(f func(e *Endpoint)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f(e)
}

// Calls returns the calls seen of op ("" for all of them).
func (e *Endpoint) Calls(op string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	if op == "" {
		n := 0
		for _, c := range e.calls {
			n += c
		}
		return n
	}
	return e.calls[op]
}

// Log returns the operations called, in order.
func (e *Endpoint) Log() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.log...)
}

func (e *Endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	op := r.Header.Get("X-Amz-Target")
	if i := strings.LastIndexByte(op, '.'); i >= 0 {
		op = op[i+1:]
	}
	e.mu.Lock()
	if e.calls == nil {
		e.calls = map[string]int{}
	}
	e.calls[op]++
	e.log = append(e.log, op)
	down, latency, stall, ignore := e.Down, e.Latency, e.Stall[op], e.IgnorePaging
	var rule *Rule
	for _, ru := range e.Rules {
		if (ru.Op == "" || ru.Op == op) && bytes.Contains(body, []byte(ru.BodyContains)) {
			ru.seen++
			if ru.Every <= 1 || ru.seen%ru.Every == 0 {
				rule = ru
			}
			break
		}
	}
	e.mu.Unlock()

	if down {
		drop(w)
		return
	}
	if d := latency + stall; d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
	}
	if rule != nil {
		answer(w, op, rule)
		return
	}
	if ignore {
		body = withoutPaging(body)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	e.Next.ServeHTTP(w, r)
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}

var defaults = map[int]struct{ typ, msg string }{
	400: {"ThrottlingException", "Rate exceeded"},
	403: {"AccessDeniedException", ""},
	429: {"ThrottlingException", "Rate exceeded"},
	500: {"InternalFailure", "An internal error occurred"},
	503: {"ServiceUnavailable", "Service unavailable"},
}

func answer(w http.ResponseWriter, op string, ru *Rule) {
	typ, msg := ru.Type, ru.Message
	if d, ok := defaults[ru.Status]; ok {
		if typ == "" {
			typ = d.typ
		}
		if msg == "" {
			msg = d.msg
		}
	}
	if typ == "" {
		typ = "InternalFailure"
	}
	if msg == "" && typ == "AccessDeniedException" {
		msg = fmt.Sprintf("User: arn:aws:iam::123456789012:user/operator is not authorized to perform: states:%s "+
			"on resource: %s because no identity-based policy allows the states:%s action", op, ru.BodyContains, op)
	}
	b, _ := json.Marshal(map[string]string{"__type": typ, "message": msg})
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-ErrorType", typ)
	w.WriteHeader(ru.Status)
	w.Write(b)
}

func withoutPaging(body []byte) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return body
	}
	for _, k := range []string{"maxResults", "nextToken", "reverseOrder"} {
		delete(m, k)
	}
	m["maxResults"] = json.RawMessage("1000")
	out, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return out
}
