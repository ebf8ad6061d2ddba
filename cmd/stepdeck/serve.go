package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/mock"
	"github.com/stepdeck/stepdeck/interpreter/server"
	"github.com/stepdeck/stepdeck/interpreter/service"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

type serveOptions struct {
	addr        string
	allowRemote bool
	dataDir     string
	timeScale   float64
	mockConfig  string
	handlers    string
	lambda      string
	account     string
	region      string
	logLevel    string
	logFormat   string
	retention   int // days
	compact     bool
}

// defaultDataDir is $XDG_DATA_HOME/stepdeck, or ~/.local/share/stepdeck.
func defaultDataDir() string {
	if d := os.Getenv("STEPDECK_DATA_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "stepdeck")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ".stepdeck"
	}
	return filepath.Join(home, ".local", "share", "stepdeck")
}

func envFloat(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return v
	}
	return def
}

func newServeCommand() *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the local Step Functions engine over the Step Functions HTTP API",
		Long: `Serve the local engine over the Step Functions HTTP API (awsJson1_0), so the AWS CLI and
every AWS SDK can use it, as they would Step Functions Local:

  aws --endpoint-url http://127.0.0.1:8083 stepfunctions list-state-machines

State machines, executions, their histories and task tokens are kept in one file under the
data directory; after a restart every running execution resumes where it was. SIGTERM or
Ctrl-C finishes the requests in flight and closes the store cleanly.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return serve(cmd.Context(), cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:8083", "address to listen on (8083 is Step Functions Local's port)")
	f.BoolVar(&o.allowRemote, "allow-remote", false, "allow listening on an address other than loopback")
	f.StringVar(&o.dataDir, "data-dir", defaultDataDir(), "where the store lives ($STEPDECK_DATA_DIR, $XDG_DATA_HOME/stepdeck)")
	f.Float64Var(&o.timeScale, "time-scale", envFloat("WAIT_TIME_SCALE", 1), "multiply Wait and retry delays (0: no waiting); default $WAIT_TIME_SCALE or 1")
	f.StringVar(&o.mockConfig, "mock-config", os.Getenv(mock.EnvVar), "Step Functions Local mock config file; default $"+mock.EnvVar)
	f.StringVar(&o.handlers, "handlers", "", "a JSON file mapping task resources to local commands")
	f.StringVar(&o.lambda, "lambda-endpoint", os.Getenv("LAMBDA_ENDPOINT"), "a Lambda-compatible endpoint for Lambda tasks; default $LAMBDA_ENDPOINT")
	f.StringVar(&o.account, "account", arn.Local.Account, "account id in ARNs")
	f.StringVar(&o.region, "region", arn.Local.Region, "region in ARNs")
	f.BoolVar(&o.compact, "compact", false, "compact the store file (give back the space of deleted executions) and exit; stop the server first")
	f.IntVar(&o.retention, "retention-days", 90, "remove closed executions this many days after they stop, as AWS does after 90; 0 keeps them")
	f.StringVar(&o.logLevel, "log-level", "info", "log requests at this level and above: debug, info (one line per request), warn, error (server failures only)")
	f.StringVar(&o.logFormat, "log-format", "text", "log line format on stderr: text or json")
	return cmd
}

// requestLogger is serve's logger on stderr.
func requestLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil || !slices.Contains([]string{"debug", "info", "warn", "error"}, strings.ToLower(level)) {
		return nil, usageError("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageError("--log-format %q: want text or json", format)
}

func serve(ctx context.Context, cmd *cobra.Command, o serveOptions) error {
	if o.compact {
		before, after, err := store.Compact(filepath.Join(o.dataDir, "stepdeck.db"))
		if err != nil {
			return &exitError{code: 1, err: err}
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "stepdeck: compacted %s from %d to %d bytes\n", filepath.Join(o.dataDir, "stepdeck.db"), before, after)
		return nil
	}
	log, err := requestLogger(cmd.ErrOrStderr(), o.logLevel, o.logFormat)
	if err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(o.addr)
	if err != nil {
		return usageError("--addr %q: %v", o.addr, err)
	}
	if !server.LoopbackHost(host) {
		if !o.allowRemote {
			return usageError("--addr %s is not a loopback address: anyone who can reach it could run and answer your executions; add --allow-remote if that is what you want", o.addr)
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "warning: serving on %s, beyond this machine, without authentication\n", o.addr)
	}
	if o.timeScale < 0 {
		return usageError("--time-scale must not be negative")
	}
	if o.retention < 0 {
		return usageError("--retention-days must not be negative")
	}
	reg, err := taskHandlers(runOptions{lambda: o.lambda, handlers: o.handlers, region: o.region}, "", nil)
	if err != nil {
		return usageError("%v", err)
	}
	cfg := service.Config{Location: arn.Location{Partition: "aws", Region: o.region, Account: o.account}, TimeScale: o.timeScale,
		Handlers: reg, Clock: engine.RealClock{}, Retention: time.Duration(o.retention) * 24 * time.Hour}
	if o.mockConfig != "" {
		mc, err := mock.Load(o.mockConfig)
		if err != nil {
			return usageError("%v", err)
		}
		cfg.Mocks = service.Mocks(mc)
	}
	st, err := store.Open(filepath.Join(o.dataDir, "stepdeck.db"), store.Options{Migrating: func(path string, from uint32) {
		fmt.Fprintf(cmd.ErrOrStderr(), "stepdeck: converting %s from store format %d to %d (once; the old file stays until the new one is whole)\n", path, from, store.FormatVersion)
	}})
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	defer st.Close()
	cfg.Store = st
	svc, err := service.New(cfg)
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	defer svc.Close()

	ln, err := server.Listen(o.addr, server.MaxConnections)
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	// On a loopback address, requests must name a loopback host too (DNS rebinding).
	// The CloudWatch Logs API on the same port holds what Express executions logged.
	srv := server.NewHTTPServer(server.WithLogs(server.New(svc), server.NewLogs(svc.Logs())), server.Options{AllowAnyHost: o.allowRemote, Log: log})
	// A UI opened on this data directory finds the endpoint here.
	if remove, err := writeServeAddr(o.dataDir, "http://"+ln.Addr().String()); err != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "stepdeck: could not record the address in the data directory (%v): the UI will not find this server by itself\n", err)
	} else {
		defer remove()
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "stepdeck: serving the Step Functions API on http://%s (store %s)\n", ln.Addr(), st.Path())
	fmt.Fprintf(cmd.ErrOrStderr(), "  try: aws --endpoint-url http://%s stepfunctions list-state-machines\n", ln.Addr())

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		if !errors.Is(err, http.ErrServerClosed) {
			return &exitError{code: 1, err: err}
		}
	case <-ctx.Done():
		fmt.Fprintln(cmd.ErrOrStderr(), "stepdeck: shutting down")
		// Long polls end now with an empty answer, as one that finds no task does,
		// so that the requests in flight can finish.
		svc.Drain()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}
	return nil
}
