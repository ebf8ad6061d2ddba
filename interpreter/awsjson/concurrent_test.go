package awsjson

import (
	"reflect"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// TestConcurrentFirstUse: codecs are built lazily by whichever goroutine needs a type
// first; many at once must agree (run with -race to see the point).
func TestConcurrentFirstUse(t *testing.T) {
	types := []reflect.Type{
		reflect.TypeFor[sfn.ListExecutionsOutput](), reflect.TypeFor[sfn.DescribeStateMachineAliasOutput](),
		reflect.TypeFor[sfn.UpdateMapRunInput](), reflect.TypeFor[sfn.ListStateMachineVersionsOutput](),
	}
	var wg sync.WaitGroup
	results := make([][]byte, 8*len(types))
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := reflect.New(types[i%len(types)])
			newFiller(uint64(i%len(types)), 0).fill(v.Elem())
			results[i], _ = Marshal(v.Interface())
		}()
	}
	wg.Wait()
	for i := len(types); i < len(results); i++ {
		if string(results[i]) != string(results[i%len(types)]) || len(results[i]) < 10 {
			t.Fatalf("goroutine %d wrote %s, goroutine %d wrote %s", i, results[i], i%len(types), results[i%len(types)])
		}
	}
}
