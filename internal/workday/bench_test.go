package workday

import (
	"testing"
	"time"
)

var (
	sinkInt  int
	sinkTime time.Time
)

// BenchmarkWorkingDaysBetween counts the working days of a one-year span, as the
// compliance report does for each finished step.
func BenchmarkWorkingDaysBetween(b *testing.B) {
	c := NewDefault()
	a := time.Date(2026, 1, 1, 9, 0, 0, 0, WIB)
	z := time.Date(2026, 12, 31, 15, 0, 0, 0, WIB)
	for b.Loop() {
		sinkInt = c.WorkingDaysBetween(a, z)
	}
}

// BenchmarkDue computes the due time of a 3-working-day step (curation) started
// just before Lebaran.
func BenchmarkDue(b *testing.B) {
	c := NewDefault()
	start := time.Date(2026, 3, 16, 10, 0, 0, 0, WIB)
	for b.Loop() {
		sinkTime = c.Due(start, 3)
	}
}
