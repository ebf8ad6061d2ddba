package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/client/config"
	"github.com/stepdeck/stepdeck/examples"
	"github.com/stepdeck/stepdeck/interpreter/mock"
	"github.com/stepdeck/stepdeck/interpreter/store"
	"github.com/stepdeck/stepdeck/ui"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/sources"
)

type tuiOptions struct {
	profile, region, endpoint string
	dataDir                   string
	readOnly                  bool
	timeScale                 float64
	// paths are the sources to load into the local engine (stepdeck PATH...); the
	// bundled examples are seeded only when there are none.
	allContexts                    bool
	paths                          []string
	mockConfig, testCase, handlers string
	// cfg is the configuration file's (never nil once runTUI has read it).
	cfg *config.Config
}

func newTUICommand() *cobra.Command {
	var o tuiOptions
	cmd := &cobra.Command{
		Use:   "tui [PATH...]",
		Short: "Open the terminal UI (local engine unless --profile, --region or --endpoint is given)",
		Long: `Open the terminal UI. On the local engine, each PATH (an ASL file in JSON or YAML, a SAM
or CloudFormation template, a CDK cloud assembly, or a folder holding them) is loaded:
its state machines are created, and updated on every save (a new revision); an edit
that no longer validates shows its problem on the machine, at its line and column,
while the machine keeps its last valid definition. :load PATH adds more. The bundled
examples are created only when no PATH is given.`,
		Example: `  stepdeck tui ./my-sam-app
  stepdeck ./my-sam-app --handlers handlers.json
  stepdeck template.yaml --mock-config mocks.json --test-case HappyPath`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.paths = args
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
	f.BoolVar(&o.allContexts, "all-contexts", false, "every context of the configuration file at once: machines and callbacks across them")
	f.StringVar(&o.dataDir, "data-dir", defaultDataDir(), "where the local engine's store lives")
	f.BoolVar(&o.readOnly, "read-only", false, "hide every action that changes anything")
	f.Float64Var(&o.timeScale, "time-scale", 1, "local engine: multiply Wait and retry delays (0: no waiting)")
	f.StringVar(&o.mockConfig, "mock-config", "", "local engine: a Step Functions Local mock config for the machines of PATH (default: the bundled examples' mocks)")
	f.StringVar(&o.testCase, "test-case", "", "local engine: the test case of executions started without one (with --mock-config)")
	f.StringVar(&o.handlers, "handlers", "", "local engine: a JSON file mapping task resources (placeholder ARNs too) to local commands")
}

func runTUI(ctx context.Context, o tuiOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	cfg, err := config.Load(config.Path())
	if err != nil {
		return err
	}
	o.cfg = cfg
	spec := ui.BackendSpec{Profile: o.profile, Region: o.region, Endpoint: o.endpoint, AllContexts: o.allContexts}
	if spec == (ui.BackendSpec{}) && len(o.paths) == 0 {
		// No flag names a backend: the configuration's, if it has one.
		spec = configuredBackend(cfg)
	}
	spec.Local = spec == ui.BackendSpec{}
	o.readOnly = o.readOnly || cfg.ReadOnly || contextReadOnly(cfg, cfg.DefaultContext)
	if len(o.paths) > 0 && !spec.Local {
		return usageError("state machines from files are loaded into the local engine: give PATH without --profile, --region or --endpoint")
	}
	for _, p := range o.paths {
		if _, err := os.Stat(p); err != nil {
			return usageError("%v (stepdeck PATH opens the UI on a file or folder; stepdeck --help lists the commands)", err)
		}
	}
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
	c.Refresh = common.Refresh{ExecutionsMin: cfg.Refresh.ExecutionsMin.Duration, ExecutionsMax: cfg.Refresh.ExecutionsMax.Duration,
		CallbacksMin: cfg.Refresh.CallbacksMin.Duration, CallbacksMax: cfg.Refresh.CallbacksMax.Duration}
	if spec.Local {
		// On the local engine, files are loaded and watched: those given now, and
		// those :load names later.
		syncer := sources.New(func() client.API {
			if !c.Local {
				return nil
			}
			return c.API
		})
		defer syncer.Close()
		for _, p := range o.paths {
			summary, err := syncer.Load(ctx, p)
			if err != nil {
				return usageError("%v", err)
			}
			fmt.Fprintln(stderr, "stepdeck:", summary)
		}
		c.Sources = syncer
	}
	if o.mockConfig != "" {
		// The debugger (D on a machine) answers tasks from the mock config given, as
		// the local engine does.
		if mocks, err := mock.Load(o.mockConfig); err == nil {
			c.Debug = localDebugStarter(mocks, o.testCase, o.timeScale)
		}
	} else if mocks, err := mock.Parse(examples.Mocks()); err == nil {
		// The debugger (D on a machine) answers the bundled examples' tasks as the local
		// engine does.
		c.Debug = localDebugStarter(mocks, examples.DefaultTestCase, o.timeScale)
	}
	app := ui.New(c, backend).WithBackends(backendFactory(o, nil), spec, closeFn)
	for _, x := range cfg.Contexts {
		app.AddContext(x.Name, ui.BackendSpec{Profile: x.Profile, Region: x.Region, Endpoint: x.Endpoint})
	}
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
		if spec.AllContexts {
			return openContexts(ctx, o)
		}
		return openAWS(ctx, o, spec)
	}
}

// openContexts opens every context of the configuration file, each with its own
// request budget, as one backend.
func openContexts(ctx context.Context, o tuiOptions) (client.API, string, func(), error) {
	if o.cfg == nil || len(o.cfg.Contexts) == 0 {
		return nil, "", nil, fmt.Errorf("the configuration file (%s) has no [[context]]: see docs/config.md", config.Path())
	}
	var named []client.Named
	var names []string
	for _, x := range o.cfg.Contexts {
		api, _, _, err := openAWS(ctx, o, ui.BackendSpec{Profile: x.Profile, Region: x.Region, Endpoint: x.Endpoint})
		if err != nil {
			return nil, "", nil, fmt.Errorf("context %s: %w", x.Name, err)
		}
		named = append(named, client.Named{Name: x.Name, API: api})
		names = append(names, x.Name)
	}
	return client.NewMulti(named), "contexts " + strings.Join(names, " + "), nil, nil
}

// openAWS opens AWS or an endpoint, with a request budget of its own.
func openAWS(ctx context.Context, o tuiOptions, spec ui.BackendSpec) (client.API, string, func(), error) {
	limits := client.Limits{}
	if o.cfg != nil {
		limits = o.cfg.Limits()
	}
	// Each backend opened has its own request budget: quotas are per account and
	// region.
	a, err := client.NewAWS(ctx, client.Options{Profile: spec.Profile, Region: spec.Region, Endpoint: spec.Endpoint,
		Budget: client.NewBudget(limits)})
	if err != nil {
		return nil, "", nil, fmt.Errorf("connecting to AWS: %w", err)
	}
	// Where the SDK resolved: an endpoint from the environment or the profile shows
	// as an endpoint, not as AWS; the account follows once asked. Express executions
	// come from CloudWatch Logs, through the same endpoint and budget.
	return client.WithExpress(a, client.NewAWSLogs(a), client.ExpressOptions{}), a.Where.String(), nil, nil
}

// configuredBackend is the backend the configuration file names: its default context,
// or its profile, region and endpoint (all empty: the local engine).
func configuredBackend(cfg *config.Config) ui.BackendSpec {
	if x, ok := cfg.Find(cfg.DefaultContext); ok && cfg.DefaultContext != "" {
		return ui.BackendSpec{Profile: x.Profile, Region: x.Region, Endpoint: x.Endpoint}
	}
	return ui.BackendSpec{Profile: cfg.Profile, Region: cfg.Region, Endpoint: cfg.Endpoint}
}

func contextReadOnly(cfg *config.Config, name string) bool {
	x, ok := cfg.Find(name)
	return ok && name != "" && x.ReadOnly
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
	opts := client.LocalOptions{DataDir: o.dataDir, TimeScale: o.timeScale, Handlers: o.handlers,
		Mocks: mocks, DefaultTestCase: examples.DefaultTestCase}
	if o.mockConfig != "" {
		opts.MockConfig, opts.Mocks, opts.DefaultTestCase = o.mockConfig, nil, o.testCase
	}
	a, closeFn, err := client.NewLocal(ctx, opts)
	if errors.Is(err, store.ErrHeld) {
		// A stepdeck serve holds the store: talk to it, over HTTP.
		endpoint, rerr := readServeAddr(o.dataDir)
		if rerr != nil {
			return nil, "", nil, fmt.Errorf("starting the local engine in %s: %w (%v)", o.dataDir, err, rerr)
		}
		api, _, _, aerr := openAWS(ctx, o, ui.BackendSpec{Endpoint: endpoint})
		if aerr != nil {
			return nil, "", nil, aerr
		}
		if len(o.paths) == 0 {
			if _, err := ui.SeedExamples(ctx, api); err != nil && warn != nil {
				warn(err)
			}
		}
		return api, "local engine via stepdeck serve " + strings.TrimPrefix(endpoint, "http://"), nil, nil
	}
	if err != nil {
		return nil, "", nil, fmt.Errorf("starting the local engine in %s: %w", o.dataDir, err)
	}
	// The bundled examples are for a first look; given files, the files are the show.
	if len(o.paths) == 0 {
		if _, err := ui.SeedExamples(ctx, a); err != nil && warn != nil {
			warn(err)
		}
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
