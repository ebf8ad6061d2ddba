package client

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/localtask"
	"github.com/stepdeck/stepdeck/interpreter/mock"
	"github.com/stepdeck/stepdeck/interpreter/service"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// LocalOptions set up the in-process local engine, as `stepdeck serve` does.
type LocalOptions struct {
	DataDir    string  // where stepdeck.db lives; created if missing
	TimeScale  float64 // multiplies Wait and retry delays; 0 passes them at once
	MockConfig string  // a Step Functions Local MockConfigFile.json
	Handlers   string  // a JSON file mapping task resources to local commands
	Lambda     string  // a Lambda-compatible endpoint for Lambda tasks
	// Region is the region of Lambda calls (default us-east-1).
	Region string
	// Mocks is a mock config already read (used when MockConfig is empty), and
	// DefaultTestCase the test case of executions started without "#TestCase".
	Mocks           *mock.Config
	DefaultTestCase string
}

// NewLocal opens the store under o.DataDir and starts the local service on it. Running
// executions found there resume. Call close when done: it stops the service and closes
// the store so the next process can open it.
func NewLocal(ctx context.Context, o LocalOptions) (api API, close func() error, err error) {
	if o.DataDir == "" {
		return nil, nil, fmt.Errorf("local engine: no data directory given")
	}
	if o.TimeScale < 0 {
		return nil, nil, fmt.Errorf("local engine: the time scale must not be negative (got %g)", o.TimeScale)
	}
	if o.Region == "" {
		o.Region = localRegion
	}
	reg := &engine.Registry{}
	if o.Lambda != "" {
		l, err := localtask.NewLambda(o.Lambda, o.Region)
		if err != nil {
			return nil, nil, fmt.Errorf("local engine: %w", err)
		}
		l.Register(reg)
	}
	if o.Handlers != "" {
		cmds, err := localtask.LoadCommands(o.Handlers)
		if err != nil {
			return nil, nil, fmt.Errorf("local engine: %w", err)
		}
		cmds.Register(reg)
	}
	cfg := service.Config{TimeScale: o.TimeScale, Handlers: reg, Clock: engine.RealClock{}, DefaultTestCase: o.DefaultTestCase}
	if o.Mocks != nil {
		cfg.Mocks = service.Mocks(o.Mocks)
	}
	if o.MockConfig != "" {
		mc, err := mock.Load(o.MockConfig)
		if err != nil {
			return nil, nil, fmt.Errorf("local engine: %w", err)
		}
		cfg.Mocks = service.Mocks(mc)
	}
	if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("local engine: creating the data directory: %w", err)
	}
	st, err := store.Open(filepath.Join(o.DataDir, "stepdeck.db"), store.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("local engine: %w", err)
	}
	cfg.Store = st
	svc, err := service.New(cfg)
	if err != nil {
		st.Close()
		return nil, nil, fmt.Errorf("local engine: %w", err)
	}
	// Express executions are read back from the logs the service writes, as on AWS.
	return WithExpress(svc, svc.Logs(), ExpressOptions{}), func() error {
		err := svc.Close()
		if serr := st.Close(); err == nil {
			err = serr
		}
		return err
	}, nil
}
