package server

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"golang.org/x/net/netutil"

	"github.com/stepdeck/stepdeck/interpreter/ids"
)

// The HTTP server's limits. A request's headers must come within ReadHeaderTimeout and
// its body within ReadTimeout, so a client that sends nothing holds a connection that
// long at most. The answer has WriteTimeout, which must outlast the longest call:
// GetActivityTask's 60-second long poll, and StartSyncExecution, which waits for an
// EXPRESS execution's five minutes. An idle keep-alive connection is closed after
// IdleTimeout.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = time.Minute
	WriteTimeout      = 6 * time.Minute
	IdleTimeout       = 2 * time.Minute
	// MaxConnections bounds the connections served at once; more wait to be accepted.
	// Each holds a file descriptor and some memory, and a local engine needs few.
	MaxConnections = 512
)

// Options configure NewHTTPServer.
type Options struct {
	// AllowAnyHost serves requests whatever their Host header. Otherwise only loopback
	// names and addresses are served, so that a web page cannot reach the service
	// through a DNS name it points at 127.0.0.1 (DNS rebinding).
	AllowAnyHost bool
	// Log, when set, gets one line per request, and the details of internal failures
	// that the answer leaves out.
	Log *slog.Logger
}

// NewHTTPServer serves h with the limits above, the Host check and request logging.
func NewHTTPServer(h http.Handler, o Options) *http.Server {
	if !o.AllowAnyHost {
		h = loopbackHostOnly(h)
	}
	if o.Log != nil {
		h = logRequests(o.Log, h)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: ReadHeaderTimeout, ReadTimeout: ReadTimeout,
		WriteTimeout: WriteTimeout, IdleTimeout: IdleTimeout}
	if o.Log != nil {
		srv.ErrorLog = slog.NewLogLogger(o.Log.Handler(), slog.LevelWarn)
	}
	return srv
}

// Listen listens on addr, with at most max connections open at once (MaxConnections
// for serve): one more waits until another closes.
func Listen(addr string, max int) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return netutil.LimitListener(ln, max), nil
}

// LoopbackHost reports whether host (a Host header, or an address's host, with or
// without a port) names this machine's loopback: localhost, a name under .localhost, or
// a loopback IP address.
func LoopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func loopbackHostOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !LoopbackHost(r.Host) {
			w.Header().Set("x-amzn-RequestId", ids.UUID())
			writeError(w, apiError{"AccessDeniedException", "stepdeck serves only requests addressed to localhost or a loopback address (start it with --allow-remote to serve other names)", http.StatusForbidden})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requestLog is what one request's log line says.
type requestLog struct {
	status int
	detail string // an internal failure's error, which the answer does not give
}

type requestLogKey struct{}

// noteFailure keeps an internal failure's error for the request's log line.
func noteFailure(ctx context.Context, err error) {
	if rl, ok := ctx.Value(requestLogKey{}).(*requestLog); ok {
		rl.detail = err.Error()
	}
}

type statusWriter struct {
	http.ResponseWriter
	rl *requestLog
}

func (w *statusWriter) WriteHeader(code int) {
	if w.rl.status == 0 {
		w.rl.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.rl.status == 0 {
		w.rl.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// logRequests logs one line per request: the operation, the status, how long it took
// and, for an error, its type. Server failures log at Error with their details,
// client errors at Info like successes, so that --log-level warn shows only trouble.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rl := &requestLog{}
		next.ServeHTTP(&statusWriter{ResponseWriter: w, rl: rl}, r.WithContext(context.WithValue(r.Context(), requestLogKey{}, rl)))
		if rl.status == 0 {
			rl.status = http.StatusOK
		}
		op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
		attrs := []any{slog.String("operation", op), slog.Int("status", rl.status),
			slog.Duration("duration", time.Since(start)), slog.String("requestId", w.Header().Get("x-amzn-RequestId"))}
		if e := w.Header().Get("X-Amzn-ErrorType"); e != "" {
			attrs = append(attrs, slog.String("error", e))
		}
		level := slog.LevelInfo
		if rl.status >= 500 {
			level = slog.LevelError
			if rl.detail != "" {
				attrs = append(attrs, slog.String("detail", rl.detail))
			}
		}
		log.Log(r.Context(), level, "request", attrs...)
	})
}
