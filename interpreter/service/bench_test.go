package service

import (
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

func benchService(b *testing.B, sync bool) *Service {
	b.Helper()
	st, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), store.Options{NoSync: !sync})
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(Config{Store: st, TimeScale: 1, Clock: engine.RealClock{}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		s.Close()
		st.Close()
	})
	return s
}

func parallelDo(n, workers int, fn func(i int) error) error {
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	next := make(chan int, n)
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// BenchmarkWaitingExecutions reports the heap and goroutines that 10,000 executions
// waiting on task tokens hold.
func BenchmarkWaitingExecutions(b *testing.B) {
	const n = 10000
	for i := 0; i < b.N; i++ {
		s := benchService(b, false)
		m := createMachine(b, s, fmt.Sprintf("approval%d", i), callbackDef, "")
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		goroutines := runtime.NumGoroutine()
		err := parallelDo(n, 32, func(j int) error {
			_, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m)})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond) // let the last dispatches register their tokens
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "heap-B/waiting-exec")
		b.ReportMetric(float64(runtime.NumGoroutine()-goroutines), "extra-goroutines")
	}
}

// BenchmarkStartAnswerFinish starts 10,000 executions, answers each with
// SendTaskSuccess and waits for them to finish, with fsync on.
func BenchmarkStartAnswerFinish(b *testing.B) {
	const n = 10000
	for i := 0; i < b.N; i++ {
		s := benchService(b, true)
		m := createMachine(b, s, "approval", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}`, "")
		start := time.Now()
		err := parallelDo(n, 64, func(j int) error {
			out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m)})
			if err != nil {
				return err
			}
			var tok string
			for tok == "" {
				tok = s.tokenFor(aws.ToString(out.ExecutionArn))
				if tok == "" {
					time.Sleep(time.Millisecond)
				}
			}
			_, err = s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(`{"ok":true}`)})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/10k-executions")
		list, _ := s.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(m), StatusFilter: types.ExecutionStatusRunning})
		if len(list.Executions) != 0 {
			b.Fatalf("%d executions still running", len(list.Executions))
		}
	}
}

// BenchmarkHistoryPage reads one page of 1,000 events from a 25,000-event execution.
func BenchmarkHistoryPage(b *testing.B) {
	s := benchService(b, false)
	loop := `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"C"},
		"C":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"D"}],"Default":"A"},"D":{"Type":"Succeed"}}}`
	m := createMachine(b, s, "loop", loop, "")
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m)})
	if err != nil {
		b.Fatal(err)
	}
	for {
		d, _ := s.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: out.ExecutionArn})
		if d.Status != types.ExecutionStatusRunning {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	page, err := s.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: out.ExecutionArn, MaxResults: 1000})
	if err != nil || page.NextToken == nil {
		b.Fatalf("%v", err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := s.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: out.ExecutionArn, MaxResults: 1000, NextToken: page.NextToken})
		if err != nil || len(p.Events) != 1000 {
			b.Fatalf("%v %d", err, len(p.Events))
		}
	}
}

// BenchmarkBytesPerExecution stores 2,000 small STANDARD executions (Pass, Choice,
// Succeed: 8 history events) and reports the store space each takes, as the pages in
// use grew (the file itself grows ahead of need, in large steps).
func BenchmarkBytesPerExecution(b *testing.B) {
	const n = 2000
	def := `{"StartAt":"Prepare","States":{
		"Prepare":{"Type":"Pass","Result":{"approved":true},"ResultPath":"$.check","Next":"Decide"},
		"Decide":{"Type":"Choice","Choices":[{"Variable":"$.check.approved","BooleanEquals":true,"Next":"Done"}],"Default":"Done"},
		"Done":{"Type":"Succeed"}}}`
	for i := 0; i < b.N; i++ {
		s := benchService(b, false)
		m := createMachine(b, s, fmt.Sprintf("small%d", i), def, "")
		before, err := s.st.UsedBytes()
		if err != nil {
			b.Fatal(err)
		}
		var last string
		err = parallelDo(n, 16, func(j int) error {
			out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Input: aws.String(`{"order":{"id":"A-1042","qty":3}}`)})
			if err == nil && j == n-1 {
				last = aws.ToString(out.ExecutionArn)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		for {
			list, err := s.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(m), StatusFilter: types.ExecutionStatusRunning, MaxResults: 1})
			if err != nil {
				b.Fatal(err)
			}
			if len(list.Executions) == 0 {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if last != "" {
			h, err := s.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(last)})
			if err != nil || len(h.Events) != 8 {
				b.Fatalf("the execution has %d events (%v), want the 8 this benchmark is about", len(h.Events), err)
			}
		}
		after, err := s.st.UsedBytes()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(after-before)/n, "B/execution")
	}
}
