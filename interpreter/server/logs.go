package server

import (
	"net/http"
	"strings"
)

// logsTargetPrefix starts the X-Amz-Target of every CloudWatch Logs operation.
const logsTargetPrefix = "Logs_20140328."

// NewLogs serves the CloudWatch Logs API (awsJson1_1) for a value whose methods have the
// *cloudwatchlogs.Client signatures, such as the local service's Logs.
func NewLogs(logs any) *Handler {
	h := New(logs)
	h.prefix, h.contentType = logsTargetPrefix, "application/x-amz-json-1.1"
	return h
}

// WithLogs serves CloudWatch Logs requests (told apart by their X-Amz-Target) with logs
// and everything else with api, so that one port answers both, as `stepdeck serve` does
// for the TUI's Express executions.
func WithLogs(api, logs http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Header.Get("X-Amz-Target"), logsTargetPrefix) {
			logs.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}
