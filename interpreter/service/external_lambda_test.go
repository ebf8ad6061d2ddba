package service

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// lambdaBehaviour is what one recorded Lambda handler did, read from the behaviour line
// of lambda_handlers.json (the recordings replaced the handlers' sources by that line).
type lambdaBehaviour struct {
	kind lambdaKind
	// body is the payload a returning function sends (kind lambdaReturns).
	body []byte
	// errorType and message describe a function that raises (kind lambdaRaises).
	errorType, message string
}

type lambdaKind int

const (
	lambdaEcho    lambdaKind = iota // returns its event
	lambdaReturns                   // returns a fixed payload
	lambdaRaises                    // raises an exception
	lambdaHangs                     // sleeps longer than any recorded task timeout
)

var (
	raisesLine  = regexp.MustCompile(`^raises (?:a generic )?([A-Za-z_][A-Za-z0-9_.]*) with message '(.*)'$`)
	jsonString  = regexp.MustCompile(`^returns the bytes of the JSON string (".*")$`)
	repeatedStr = regexp.MustCompile(`^returns a (\d+) KiB string of '(.)'`)
	sleepsLine  = regexp.MustCompile(`^sleeps (\d+) seconds, then returns its event$`)
)

// parseBehaviour reads one behaviour line. Lines it does not understand are an error:
// the cases calling such a function are reported as not servable.
func parseBehaviour(line string) (lambdaBehaviour, error) {
	line = strings.TrimSpace(line)
	switch {
	case strings.HasSuffix(line, "returns its event unchanged"):
		return lambdaBehaviour{kind: lambdaEcho}, nil
	case raisesLine.MatchString(line):
		m := raisesLine.FindStringSubmatch(line)
		return lambdaBehaviour{kind: lambdaRaises, errorType: m[1], message: m[2]}, nil
	case jsonString.MatchString(line):
		m := jsonString.FindStringSubmatch(line)
		if _, err := value.ParseString(m[1]); err != nil {
			return lambdaBehaviour{}, fmt.Errorf("behaviour %q: the returned string is not JSON: %v", line, err)
		}
		return lambdaBehaviour{kind: lambdaReturns, body: []byte(m[1])}, nil
	case repeatedStr.MatchString(line):
		m := repeatedStr.FindStringSubmatch(line)
		kib, err := strconv.Atoi(m[1])
		if err != nil || kib > 1024 {
			return lambdaBehaviour{}, fmt.Errorf("behaviour %q: size out of range", line)
		}
		return lambdaBehaviour{kind: lambdaReturns, body: value.Marshal(strings.Repeat(m[2], kib*1024))}, nil
	case sleepsLine.MatchString(line):
		return lambdaBehaviour{kind: lambdaHangs}, nil
	case strings.HasPrefix(line, "returns {"):
		text := strings.TrimPrefix(line, "returns ")
		if _, err := value.ParseString(text); err != nil {
			return lambdaBehaviour{}, fmt.Errorf("behaviour %q: the returned object is not JSON: %v", line, err)
		}
		return lambdaBehaviour{kind: lambdaReturns, body: []byte(text)}, nil
	}
	return lambdaBehaviour{}, fmt.Errorf("behaviour %q is not one the fake Lambda endpoint can play", line)
}

// handlerBehaviours reads lambda_handlers.json: handler file name → behaviour, or the
// reason it cannot be played.
func handlerBehaviours(file string) (map[string]lambdaBehaviour, map[string]error, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	var raw map[string]struct {
		Behaviour string `json:"behaviour"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	ok, bad := map[string]lambdaBehaviour{}, map[string]error{}
	for name, h := range raw {
		b, err := parseBehaviour(h.Behaviour)
		if err != nil {
			bad[name] = err
			continue
		}
		ok[name] = b
	}
	return ok, bad, nil
}

// caseLambdaFunction is one Lambda function of a case and the handler file it ran.
type caseLambdaFunction struct {
	Name        string `json:"function_name"`
	HandlerFile string `json:"handler_file"`
}

// handlerName is the file name a recording's handler_file refers to.
func handlerName(file string) string { return path.Base(file) }

// lambdaServer is a Lambda-compatible endpoint that plays a case's functions. Functions
// it does not know answer ResourceNotFoundException, as Lambda does.
type lambdaServer struct {
	*httptest.Server
	stop chan struct{}
}

func fakeLambda(functions map[string]lambdaBehaviour) *lambdaServer {
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/2015-03-31/functions/"), "/invocations")
		b, ok := functions[name]
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Requestid", newRequestID())
		if !ok {
			// Lambda names the version it looked for.
			w.Header().Set("X-Amzn-Errortype", "ResourceNotFoundException")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, `{"Type":"User","Message":"Function not found: arn:aws:lambda:us-east-1:111111111111:function:%s:$LATEST"}`, name)
			return
		}
		event, _ := io.ReadAll(r.Body)
		if len(strings.TrimSpace(string(event))) == 0 {
			event = []byte("{}")
		}
		w.Header().Set("X-Amz-Executed-Version", "$LATEST")
		// The other headers Lambda's Invoke answers with, which Step Functions shows in
		// SdkHttpMetadata (the values are the recorder's placeholders or constant).
		w.Header().Set("Connection", "keep-alive")
		w.Header().Set("X-Amzn-Remapped-Content-Length", "0")
		w.Header().Set("X-Amzn-Trace-Id", "root=1-00000000-000000000000000000000000;sampled=0")
		if r.Header.Get("X-Amz-Log-Type") == "Tail" {
			// Lambda returns the end of the invocation's log, base64-encoded.
			w.Header().Set("X-Amz-Log-Result", base64.StdEncoding.EncodeToString([]byte("START RequestId: 1\nEND RequestId: 1\n")))
		}
		switch b.kind {
		case lambdaEcho:
			// A Python handler's return value goes back through json.dumps, so an echoed
			// event has Python's spacing (and Content-Length).
			if v, err := value.Parse(event); err == nil {
				event = conformance.PythonJSON(v)
			}
			w.Write(event)
		case lambdaReturns:
			w.Write(b.body)
		case lambdaRaises:
			// The Python runtime's shape of an unhandled exception.
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			w.Write(pythonErrorPayload(b, newRequestID()))
		case lambdaHangs:
			// Longer than every recorded task timeout: the task's own timeout ends it.
			select {
			case <-r.Context().Done():
			case <-stop:
			}
		}
	}))
	return &lambdaServer{Server: srv, stop: stop}
}

// Close releases hanging functions first: httptest waits for every request in flight.
func (s *lambdaServer) Close() {
	close(s.stop)
	s.Server.Close()
}

// raiseTrace is the Python runtime's one-frame stack trace of a handler whose body
// raises the exception: the handler sits in handler.py, its raise on line 2.
func raiseTrace(b lambdaBehaviour) string {
	return fmt.Sprintf("  File \"/var/task/handler.py\", line 2, in handler\n    raise %s(%s)\n", b.errorType, pyString(b.message))
}

// pyString writes a Python string literal in double quotes.
func pyString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// pythonErrorPayload is the payload of an unhandled exception as the Python runtime
// sends it: errorMessage, errorType, requestId and stackTrace, written by json.dumps
// (", " and ": " separators). The recordings show that text verbatim in the cause of a
// legacy function-ARN task, and compacted by Step Functions in a lambda:invoke task's.
func pythonErrorPayload(b lambdaBehaviour, requestID string) []byte {
	return conformance.PythonJSON(value.ObjectOf("errorMessage", b.message, "errorType", b.errorType,
		"requestId", requestID, "stackTrace", []any{raiseTrace(b)}))
}

// newRequestID is a fresh invocation id, as Lambda gives every call.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
