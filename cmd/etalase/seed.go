package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/demo"
	"github.com/etalase-id/etalase/internal/perf"
)

// cmdSeed fills the database: the demo (as serve --demo does), or with
// --bench a large displayed gallery for the benchmarks and the load script,
// with its progress and rate.
func cmdSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.bindCommon(fs)
	var bench bool
	var sz perf.StockSize
	fs.BoolVar(&bench, "bench", false, "a large displayed gallery for benchmarks instead of the demo")
	fs.IntVar(&sz.SMEs, "smes", 5000, "with --bench: SMEs")
	fs.IntVar(&sz.Items, "items", 50000, "with --bench: gallery items (e.g. 1000000)")
	fs.IntVar(&sz.Movements, "movements", 200000, "with --bench: stock movements (e.g. 10000000)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, done, err := openApp(ctx, &c)
	if err != nil {
		return err
	}
	defer done()
	ctx = audit.WithActor(ctx, audit.System)
	if !bench {
		creds, err := demo.Seed(ctx, a)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "demo data added: %d accounts (password %q)\n", len(creds), demo.Password)
		return nil
	}
	start := time.Now()
	last, tableStart, lastReport := "", start, start
	err = perf.SeedStock(ctx, a.DB, sz, func(table string, n, total int) {
		if table != last {
			if last != "" {
				fmt.Fprintln(stdout)
			}
			last, tableStart = table, lastReport
		}
		lastReport = time.Now()
		rate := float64(n) / max(time.Since(tableStart).Seconds(), 0.001)
		fmt.Fprintf(stdout, "\r%-18s %3d%% %10d/%-10d %8.0f rows/s  %4.0fs", table, n*100/max(total, 1), n, total, rate, time.Since(start).Seconds())
	})
	fmt.Fprintln(stdout)
	if err != nil {
		return err
	}
	el := time.Since(start)
	written := 3*sz.SMEs + 5*sz.Items + sz.Movements
	fmt.Fprintf(stdout, "seeded %d SMEs, %d items, %d movements (%d rows) in %s: %.0f rows/s\n",
		sz.SMEs, sz.Items, sz.Movements, written, el.Round(time.Second), float64(written)/el.Seconds())
	return nil
}
