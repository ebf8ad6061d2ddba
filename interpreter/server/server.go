// Package server speaks the Step Functions HTTP API (awsJson1_0) for the local service,
// so the AWS CLI and every AWS SDK can use it as they would use AWS: POST / with
// X-Amz-Target: AWSStepFunctions.<Operation>, JSON in and out, errors as HTTP 400 with
// "__type" and "message".
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/stepdeck/stepdeck/interpreter/awsjson"
	"github.com/stepdeck/stepdeck/interpreter/ids"
)

// MaxBodyBytes bounds a request body: the largest legal request (a 1 MiB definition, or
// a 256 KiB input escaped) fits well inside it.
const MaxBodyBytes = 4 << 20

const targetPrefix = "AWSStepFunctions."

// operation is one API operation found on the service.
type operation struct {
	method reflect.Value // func(ctx, *Input, ...optFns) (*Output, error)
	input  reflect.Type  // the *Input struct type
}

// Handler serves the API for a service whose methods have the sfn.Client signatures.
type Handler struct {
	ops map[string]operation
	// prefix and contentType are the protocol's: AWSStepFunctions. and awsJson1_0 here,
	// Logs_20140328. and awsJson1_1 for the CloudWatch Logs handler (logs.go).
	prefix, contentType string
}

// New finds the operations of svc: every method shaped like an *sfn.Client method.
func New(svc any) *Handler {
	h := &Handler{ops: map[string]operation{}, prefix: targetPrefix, contentType: "application/x-amz-json-1.0"}
	v := reflect.ValueOf(svc)
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	errType := reflect.TypeOf((*error)(nil)).Elem()
	for i := 0; i < v.NumMethod(); i++ {
		m := v.Type().Method(i)
		t := m.Type // includes the receiver
		if t.NumIn() < 3 || t.NumOut() != 2 || !t.In(1).Implements(ctxType) || t.In(2).Kind() != reflect.Pointer ||
			t.In(2).Elem().Kind() != reflect.Struct || !t.Out(1).Implements(errType) {
			continue
		}
		if !strings.HasSuffix(t.In(2).Elem().Name(), "Input") {
			continue
		}
		h.ops[m.Name] = operation{method: v.Method(i), input: t.In(2).Elem()}
	}
	return h
}

// Operations lists the operations served.
func (h *Handler) Operations() []string {
	out := make([]string, 0, len(h.ops))
	for name := range h.ops {
		out = append(out, name)
	}
	return out
}

// apiError is what goes on the wire for an error.
type apiError struct {
	code    string
	message string
	status  int
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := ids.UUID()
	w.Header().Set("x-amzn-RequestId", requestID)
	if r.Method != http.MethodPost {
		h.writeError(w, apiError{"UnknownOperationException", "Only POST is supported", http.StatusBadRequest})
		return
	}
	target := r.Header.Get("X-Amz-Target")
	name, ok := strings.CutPrefix(target, h.prefix)
	op, known := h.ops[name]
	if !ok || !known {
		h.writeError(w, apiError{"UnknownOperationException", fmt.Sprintf("The operation %q is not supported by stepdeck", target), http.StatusBadRequest})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.writeError(w, apiError{"ValidationException", fmt.Sprintf("The request body is larger than %d bytes", MaxBodyBytes), http.StatusBadRequest})
			return
		}
		h.writeError(w, apiError{"SerializationException", "The request body could not be read", http.StatusBadRequest})
		return
	}
	in := reflect.New(op.input)
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := awsjson.Unmarshal(body, in.Interface()); err != nil {
			h.writeError(w, apiError{"SerializationException", err.Error(), http.StatusBadRequest})
			return
		}
	}
	out := op.method.Call([]reflect.Value{reflect.ValueOf(r.Context()), in})
	if errv := out[1]; !errv.IsNil() {
		err := errv.Interface().(error)
		e := toAPIError(err)
		if e.status >= 500 {
			noteFailure(r.Context(), err)
		}
		h.writeError(w, e)
		return
	}
	data, err := awsjson.Marshal(out[0].Interface())
	if err != nil {
		noteFailure(r.Context(), err)
		h.writeError(w, internalFailure(err))
		return
	}
	w.Header().Set("Content-Type", h.contentType)
	_, _ = w.Write(data)
}

// toAPIError maps an error of the service to its wire form: the SDK's error types carry
// their code; anything else is an internal failure.
func toAPIError(err error) apiError {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		status := http.StatusBadRequest
		if ae.ErrorFault() == smithy.FaultServer {
			status = http.StatusInternalServerError
		}
		return apiError{code: ae.ErrorCode(), message: ae.ErrorMessage(), status: status}
	}
	if errors.Is(err, context.Canceled) {
		return apiError{"RequestCanceled", "The request was canceled", http.StatusBadRequest}
	}
	return internalFailure(err)
}

// internalFailure answers an error that is not the API's. Its text can name the
// server's files (the store's path), so the answer gives only the system's reason, if
// there is one (a full disk); the server's log has the rest.
func internalFailure(err error) apiError {
	msg := "The local service failed to handle the request; its log has the details"
	var errno syscall.Errno
	if errors.As(err, &errno) {
		msg = fmt.Sprintf("The local service failed to handle the request (%s); its log has the details", errno.Error())
	}
	return apiError{"InternalFailure", msg, http.StatusInternalServerError}
}

// writeError answers with an error in the Step Functions protocol (awsJson1_0), for
// what is refused before any handler is picked.
func writeError(w http.ResponseWriter, e apiError) { writeErrorAs(w, e, "application/x-amz-json-1.0") }

// writeError answers with an error in the handler's protocol.
func (h *Handler) writeError(w http.ResponseWriter, e apiError) { writeErrorAs(w, e, h.contentType) }

func writeErrorAs(w http.ResponseWriter, e apiError, contentType string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Amzn-ErrorType", e.code)
	w.WriteHeader(e.status)
	body := map[string]*string{"__type": aws.String(e.code), "message": aws.String(e.message)}
	data, _ := awsjson.Marshal(body)
	_, _ = w.Write(data)
}
