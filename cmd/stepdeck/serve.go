package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
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
	return cmd
}

func serve(ctx context.Context, cmd *cobra.Command, o serveOptions) error {
	host, _, err := net.SplitHostPort(o.addr)
	if err != nil {
		return usageError("--addr %q: %v", o.addr, err)
	}
	if ip := net.ParseIP(host); !(host == "localhost" || (ip != nil && ip.IsLoopback())) {
		if !o.allowRemote {
			return usageError("--addr %s is not a loopback address: anyone who can reach it could run and answer your executions; add --allow-remote if that is what you want", o.addr)
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "warning: serving on %s, beyond this machine, without authentication\n", o.addr)
	}
	if o.timeScale < 0 {
		return usageError("--time-scale must not be negative")
	}
	reg, err := taskHandlers(runOptions{lambda: o.lambda, handlers: o.handlers, region: o.region}, "", nil)
	if err != nil {
		return usageError("%v", err)
	}
	cfg := service.Config{Location: arn.Location{Partition: "aws", Region: o.region, Account: o.account}, TimeScale: o.timeScale,
		Handlers: reg, Clock: engine.RealClock{}}
	if o.mockConfig != "" {
		mc, err := mock.Load(o.mockConfig)
		if err != nil {
			return usageError("%v", err)
		}
		cfg.Mocks = service.Mocks(mc)
	}
	st, err := store.Open(filepath.Join(o.dataDir, "stepdeck.db"), store.Options{})
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

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	// The CloudWatch Logs API on the same port holds what Express executions logged.
	srv := &http.Server{Handler: server.WithLogs(server.New(svc), server.NewLogs(svc.Logs())), ReadHeaderTimeout: 10 * time.Second}
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
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}
	return nil
}
