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
	var (
		api     client.API
		backend string
	)
	local := o.profile == "" && o.region == "" && o.endpoint == ""
	if local {
		// The bundled examples' tasks are answered by their bundled mocks; other state
		// machines run as they are.
		mocks, err := mock.Parse(examples.Mocks())
		if err != nil {
			return fmt.Errorf("the bundled mocks: %w", err)
		}
		a, closeFn, err := client.NewLocal(ctx, client.LocalOptions{DataDir: o.dataDir, TimeScale: o.timeScale,
			Mocks: mocks, DefaultTestCase: examples.DefaultTestCase})
		if err != nil {
			return fmt.Errorf("starting the local engine in %s: %w", o.dataDir, err)
		}
		defer closeFn()
		if _, err := ui.SeedExamples(ctx, a); err != nil {
			fmt.Fprintln(os.Stderr, "stepdeck:", err)
		}
		api, backend = a, "local"
	} else {
		a, err := client.NewAWS(ctx, client.Options{Profile: o.profile, Region: o.region, Endpoint: o.endpoint})
		if err != nil {
			return fmt.Errorf("connecting to AWS: %w", err)
		}
		api, backend = a, "aws"
		if o.region != "" {
			backend += " " + o.region
		}
		if o.endpoint != "" {
			backend += " " + o.endpoint
		}
	}
	c := common.New(api, o.readOnly)
	c.Local = local
	_, err := tea.NewProgram(ui.New(c, backend), tea.WithContext(ctx)).Run()
	return err
}
