package store

import (
	"fmt"
	"os"
	"testing"
)

// The crash and lock tests re-run this test binary as a child process; these variables
// tell the child which part to play.
const (
	envCrashChild = "STEPDECK_STORE_CRASH_CHILD"
	envLockChild  = "STEPDECK_STORE_LOCK_CHILD"
	// envMigrateChild names a version-1 file to open (and so migrate); with
	// envMigrateStop set, the child stops for good once the new file is written.
	envMigrateChild = "STEPDECK_STORE_MIGRATE_CHILD"
	envMigrateStop  = "STEPDECK_STORE_MIGRATE_STOP"
)

func TestMain(m *testing.M) {
	if path := os.Getenv(envCrashChild); path != "" {
		crashChild(path) // runs until killed
		os.Exit(3)
	}
	if path := os.Getenv(envMigrateChild); path != "" {
		migrateChild(path) // runs until killed
		os.Exit(3)
	}
	if path := os.Getenv(envLockChild); path != "" {
		s, err := Open(path, Options{LockTimeout: lockChildWait})
		if err == nil {
			s.Close()
			fmt.Println("opened")
			os.Exit(0)
		}
		fmt.Println(err)
		os.Exit(0)
	}
	os.Exit(m.Run())
}
