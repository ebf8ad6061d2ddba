package jsonata

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

func loadDataset(b *testing.B, name string) any {
	data, err := os.ReadFile(filepath.Join(suiteDir(b), "datasets", name+".json"))
	if err != nil {
		b.Fatal(err)
	}
	v, err := value.Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	return v
}

func benchExpr(b *testing.B, expr, dataset string) {
	input := loadDataset(b, dataset)
	e := MustCompile(expr)
	if _, err := e.Evaluate(input, nil, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.Evaluate(input, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSumProducts is the figure: the reference takes about 17 µs.
func BenchmarkSumProducts(b *testing.B) {
	benchExpr(b, `$sum(Account.Order.Product.(Price * Quantity))`, "dataset5")
}

func BenchmarkPredicateAndMap(b *testing.B) {
	benchExpr(b, `Account.Order[OrderID = "order104"].Product.{"name": $."Product Name", "total": Price * Quantity}`, "dataset5")
}

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(`$sum(Account.Order.Product.(Price * Quantity))`); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTailRecursion(b *testing.B) {
	benchExpr(b, `($f := function($n, $acc) { $n = 0 ? $acc : $f($n - 1, $acc + $n) }; $f(1000, 0))`, "dataset5")
}
