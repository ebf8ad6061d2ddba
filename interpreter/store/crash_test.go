package store

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const (
	crashWriters  = 4
	lockChildWait = 100 * time.Millisecond
)

func crashArn(w int) string { return fmt.Sprintf("arn:exec:%d", w) }

func crashEvent(w int, id int64) string { return fmt.Sprintf(`{"w":%d,"id":%d}`, w, id) }

// crashChild appends events from several writers, fsync on, and prints each id only after
// Update returned: every printed id is an acknowledged write.
func crashChild(path string) {
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var out sync.Mutex
	var wg sync.WaitGroup
	for w := range crashWriters {
		wg.Go(func() {
			arn := crashArn(w)
			var next int64
			if err := s.View(func(tx *Tx) (err error) { next, err = tx.EventCount(arn); return }); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			for next++; ; next++ {
				err := s.Update(func(tx *Tx) error {
					if err := tx.AppendEvents(arn, next, [][]byte{[]byte(crashEvent(w, next))}); err != nil {
						return err
					}
					return tx.PutExecution(ExecutionRow{Arn: arn, MachineArn: "arn:machine", Status: StatusRunning,
						Start: time.Unix(int64(w), 0), Record: []byte(strconv.FormatInt(next, 10))})
				})
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				out.Lock()
				fmt.Fprintf(os.Stdout, "%d %d\n", w, next) // unbuffered: out before the next write
				out.Unlock()
			}
		})
	}
	wg.Wait()
}

// runAndKill starts a crash child, lets it acknowledge `acks` writes, kills it with
// SIGKILL and returns the highest acknowledged id of each writer.
func runAndKill(t *testing.T, path string, acks int) map[int]int64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envCrashChild+"="+path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[int]int64{}
	sc := bufio.NewScanner(stdout)
	n := 0
	killed := false
	for sc.Scan() {
		var w int
		var id int64
		if _, err := fmt.Sscanf(sc.Text(), "%d %d", &w, &id); err != nil {
			t.Fatalf("child printed %q", sc.Text())
		}
		if id <= acked[w] {
			t.Errorf("writer %d acknowledged id %d after %d", w, id, acked[w])
		}
		acked[w] = id
		if n++; n == acks && !killed {
			killed = true
			// Mid-flight: the other writers are inside Update right now.
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !killed || !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child ended on its own after %d acknowledgements: %v\n%s", n, err, stderr.String())
	}
	return acked
}

func TestCrashKeepsAcknowledgedEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process that writes with fsync")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	total := map[int]int64{}
	for round := range 3 {
		acked := runAndKill(t, path, 200)
		for w, id := range acked {
			if id <= total[w] && round > 0 {
				t.Errorf("round %d: writer %d restarted below its stored count", round, w)
			}
			total[w] = id
		}
		checkCrashStore(t, path, total)
		t.Logf("round %d: acknowledged ids per writer %v", round, total)
	}
}

func checkCrashStore(t *testing.T, path string, acked map[int]int64) {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen after SIGKILL: %v", err)
	}
	defer s.Close()
	view(t, s, func(tx *Tx) error {
		for w := range crashWriters {
			arn := crashArn(w)
			n, err := tx.EventCount(arn)
			if err != nil {
				t.Fatal(err)
			}
			if n < acked[w] {
				t.Errorf("writer %d: %d events stored, but %d were acknowledged", w, n, acked[w])
			}
			events, err := tx.Events(arn, 0, 0, false)
			if err != nil {
				t.Fatal(err)
			}
			if int64(len(events)) != n {
				t.Errorf("writer %d: EventCount %d but %d events", w, n, len(events))
			}
			for i, ev := range events {
				if want := crashEvent(w, int64(i+1)); string(ev) != want {
					t.Fatalf("writer %d: event %d is %s, want %s (gap or duplicate)", w, i+1, ev, want)
				}
			}
			// The row went in with the events, in the same transaction: never apart.
			if n > 0 {
				row, err := tx.GetExecution(arn)
				if err != nil || string(row.Record) != strconv.FormatInt(n, 10) {
					t.Errorf("writer %d: row record %q, %v; want %d", w, row.Record, err, n)
				}
			}
		}
		return nil
	})
}

func TestOpenHeldByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "held.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envLockChild+"="+path)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	if want := "another stepdeck process holds " + path; !strings.Contains(string(out), want) {
		t.Errorf("child got %q, want an error containing %q", out, want)
	}
}
