package register_test

import (
	"context"
	"io"
	"testing"

	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/perf"
	"github.com/etalase-id/etalase/internal/register"
)

// benchRows is the size of the register benchmarked here; the load script
// (cmd/etalase-load) measures 20,000 through the real server.
const benchRows = 5000

// BenchmarkApplicationsRegister writes the applications register of
// benchRows applications as a workbook, against the same rows as CSV as the
// baseline in the same run, on both engines. It reports rows a second and how
// far the heap grew while one register was written.
func BenchmarkApplicationsRegister(b *testing.B) {
	for _, e := range dbtest.Engines {
		d := dbtest.Open(b, e)
		a := apptest.New(b, d)
		if _, err := perf.Seed(context.Background(), d, benchRows, 0); err != nil {
			b.Fatal(err)
		}
		src := register.Sources{DB: d, Applications: a.Applications, Applicants: a.Applicants}
		for _, f := range []struct {
			name  string
			write func(context.Context, io.Writer, register.Sources, application.Filter) error
		}{{"baseline-csv", register.ApplicationsCSV}, {"xlsx", register.Applications}} {
			b.Run(string(e)+"/"+f.name, func(b *testing.B) {
				grew := perf.HeapGrowth(func() {
					if err := f.write(context.Background(), io.Discard, src, application.Filter{}); err != nil {
						b.Fatal(err)
					}
				})
				for b.Loop() {
					if err := f.write(context.Background(), io.Discard, src, application.Filter{}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
				b.ReportMetric(float64(grew)/(1<<20), "MB-heap-growth")
			})
		}
	}
}
