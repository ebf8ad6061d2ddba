package main

import (
	"context"
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/examples"
	"github.com/stepdeck/stepdeck/interpreter/mock"
	"github.com/stepdeck/stepdeck/ui"
	"github.com/stepdeck/stepdeck/ui/common"
)

type tuiOptions struct {
	profile, region, endpoint string
	dataDir                   string
	readOnly                  bool
	timeScale                 float64
}

func newTUICommand() *cobra.Command {
	var o tuiOptions
	cmd := &cobra.Command{
		Use:   "tui",
		Short: "Open the terminal UI (local engine unless --profile, --region or --endpoint is given)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTUI(cmd.Context(), o)
		},
	}
	addTUIFlags(cmd, &o)
	return cmd
}

func addTUIFlags(cmd *cobra.Command, o *tuiOptions) {
	f := cmd.Flags()
	f.StringVar(&o.profile, "profile", "", "AWS profile: use real AWS with it")
	f.StringVar(&o.region, "region", "", "AWS region: use real AWS there")
	f.StringVar(&o.endpoint, "endpoint", "", "Step Functions endpoint URL (stepdeck serve, LocalStack, ...)")
	f.StringVar(&o.dataDir, "data-dir", defaultDataDir(), "where the local engine's store lives")
	f.BoolVar(&o.readOnly, "read-only", false, "hide every action that changes anything")
	f.Float64Var(&o.timeScale, "time-scale", 1, "local engine: multiply Wait and retry delays (0: no waiting)")
}

func runTUI(ctx context.Context, o tuiOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	spec := ui.BackendSpec{Profile: o.profile, Region: o.region, Endpoint: o.endpoint}
	spec.Local = spec == ui.BackendSpec{}
	stderr, restore := divertStderr()
	defer restore()
	// Before the UI is up a problem seeding the examples can go to the terminal; once
	// it is up, it would scribble over the screen.
	api, backend, closeFn, err := backendFactory(o, func(err error) { fmt.Fprintln(stderr, "stepdeck:", err) })(ctx, spec)
	if err != nil {
		return err
	}
	c := common.New(api, o.readOnly)
	c.Local = spec.Local
	if mocks, err := mock.Parse(examples.Mocks()); err == nil {
		// The debugger (D on a machine) answers the bundled examples' tasks as the local
		// engine does.
		c.Debug = localDebugStarter(mocks, examples.DefaultTestCase, o.timeScale)
	}
	app := ui.New(c, backend).WithBackends(backendFactory(o, nil), spec, closeFn)
	// The app owns the backend from here: the palette may have replaced it.
	defer app.Close()
	_, err = tea.NewProgram(app, tea.WithContext(ctx)).Run()
	return err
}

// backendFactory opens what a spec names, for the first screen and for the palette's
// :local, :region, :profile and :endpoint.
func backendFactory(o tuiOptions, warn func(error)) ui.BackendFactory {
	return func(ctx context.Context, spec ui.BackendSpec) (client.API, string, func(), error) {
		if spec.Local {
			return openLocal(ctx, o, warn)
		}
		a, err := client.NewAWS(ctx, client.Options{Profile: spec.Profile, Region: spec.Region, Endpoint: spec.Endpoint})
		if err != nil {
			return nil, "", nil, fmt.Errorf("connecting to AWS: %w", err)
		}
		// Where the SDK resolved: an endpoint from the environment or the profile
		// shows as an endpoint, not as AWS; the account follows once asked. Express
		// executions come from CloudWatch Logs, through the same endpoint and budget.
		return client.WithExpress(a, client.NewAWSLogs(a), client.ExpressOptions{}), a.Where.String(), nil, nil
	}
}

// openLocal starts the local engine in the data directory, with the bundled examples
// on a first start.
func openLocal(ctx context.Context, o tuiOptions, warn func(error)) (client.API, string, func(), error) {
	// The bundled examples' tasks are answered by their bundled mocks; other state
	// machines run as they are.
	mocks, err := mock.Parse(examples.Mocks())
	if err != nil {
		return nil, "", nil, fmt.Errorf("the bundled mocks: %w", err)
	}
	a, closeFn, err := client.NewLocal(ctx, client.LocalOptions{DataDir: o.dataDir, TimeScale: o.timeScale,
		Mocks: mocks, DefaultTestCase: examples.DefaultTestCase})
	if err != nil {
		return nil, "", nil, fmt.Errorf("starting the local engine in %s: %w", o.dataDir, err)
	}
	if _, err := ui.SeedExamples(ctx, a); err != nil && warn != nil {
		warn(err)
	}
	return a, "local engine", func() { closeFn() }, nil
}

// divertStderr points os.Stderr at a pipe while the UI owns the terminal, and returns
// the real one. The AWS SDK logs warnings (an IMDS fallback, a clock skew) to the
// os.Stderr of when a config was loaded, which would draw over the screen. What comes
// through the pipe goes to a temporary file, created only when something is written, so
// a quiet run (or one ended by a hangup) leaves nothing behind. restore puts the real
// one back and names the file.
func divertStderr() (real *os.File, restore func()) {
	real = os.Stderr
	r, w, err := os.Pipe()
	if err != nil {
		return real, func() {}
	}
	os.Stderr = w
	saved := make(chan string, 1)
	go func() {
		var f *os.File
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			if n > 0 && f == nil {
				f, _ = os.CreateTemp("", "stepdeck-tui-*.log")
			}
			if n > 0 && f != nil {
				f.Write(buf[:n])
			}
			if err != nil {
				break
			}
		}
		r.Close()
		if f == nil {
			saved <- ""
			return
		}
		f.Close()
		saved <- f.Name()
	}()
	return real, func() {
		os.Stderr = real
		w.Close()
		if name := <-saved; name != "" {
			fmt.Fprintf(real, "stepdeck: warnings written while the UI ran are in %s\n", name)
		}
	}
}
