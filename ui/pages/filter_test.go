package pages

import (
	"fmt"
	"testing"

	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/ui/common"
)

func typeInto(f *listFilter, s string) (changed bool) {
	for _, r := range s {
		c, _ := f.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		changed = changed || c
	}
	return changed
}

func TestListFilterMapsRowsBack(t *testing.T) {
	c := common.New(nil, false)
	f := newListFilter(c)
	rows := []table.Row{{"alpha", "RUNNING"}, {"beta", "SUCCEEDED"}, {"gamma", "running late"}}
	f.Open()
	if !typeInto(&f, "RUN") {
		t.Fatal("typing did not change the filter")
	}
	kept := f.Apply(rows)
	if len(kept) != 2 || f.Index(0) != 0 || f.Index(1) != 2 || f.Index(2) != -1 || f.Index(-1) != -1 {
		t.Fatalf("kept %v, shown %v", kept, f.shown)
	}
	if got := f.Title("List"); got != "List [/run]" {
		t.Fatalf("title %q", got)
	}
	// enter keeps it, closed; Clear drops it and reports that it did.
	f.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if f.open || !f.Active() {
		t.Fatal("enter did not keep the filter")
	}
	if !f.Clear() || f.Active() || f.Clear() {
		t.Fatal("Clear misreported")
	}
	if kept := f.Apply(rows); len(kept) != 3 || f.Index(2) != 2 {
		t.Fatalf("no filter kept %v", kept)
	}
}

// A match must lie within one cell: text spanning two columns is no match.
func TestListFilterMatchesWithinACell(t *testing.T) {
	if matchRow(table.Row{"ab", "cd"}, "bc") {
		t.Fatal("matched across cells")
	}
	if !matchRow(table.Row{"ab", "Ünïcode"}, "ünï") {
		t.Fatal("no case-insensitive match of non-ASCII text")
	}
}

func BenchmarkListFilter10k(b *testing.B) {
	c := common.New(nil, false)
	f := newListFilter(c)
	rows := make([]table.Row, 10000)
	for i := range rows {
		rows[i] = table.Row{fmt.Sprintf("execution-%05d", i), "SUCCEEDED", "2026-11-22 06:00:00", "1.2s"}
	}
	f.Open()
	typeInto(&f, "00042")
	b.ResetTimer()
	for b.Loop() {
		f.Apply(rows)
	}
}
