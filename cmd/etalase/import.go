package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/importer"
)

// cmdImport imports the old Google Form responses from the terminal. It checks
// only, unless --apply; the import is done in the name of a gallery clerk (--as),
// who appears in the audit trail.
func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.bindCommon(fs)
	var as, skip string
	var apply bool
	fs.StringVar(&as, "as", "", "e-mail or phone of the gallery clerk doing the import (required)")
	fs.StringVar(&skip, "skip", "", "spreadsheet rows to skip, e.g. 4,9 (the header is row 1)")
	fs.BoolVar(&apply, "apply", false, "import; without it the file is only checked")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 || as == "" {
		return usageError{"usage: etalase import --as CLERK [--skip 4,9] [--apply] FILE.csv|FILE.xlsx"}
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	tbl, err := importer.Read(f)
	if err != nil {
		return explain(err)
	}
	var rows []int
	for _, s := range strings.FieldsFunc(skip, func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.Atoi(s)
		if err != nil {
			return usageError{fmt.Sprintf("--skip %q: give row numbers, e.g. 4,9", skip)}
		}
		rows = append(rows, n)
	}
	a, done, err := openApp(ctx, &c)
	if err != nil {
		return err
	}
	defer done()
	clerk, err := a.Accounts.ByLogin(ctx, as)
	if err != nil {
		return explain(err)
	}
	ctx = audit.WithActor(ctx, audit.Actor{UserID: clerk.ID, Label: clerk.Login() + " (etalase import)"})
	im := a.Importer
	var rep importer.Report
	if apply {
		rep, err = im.Run(ctx, clerk, tbl, rows)
	} else {
		rep, err = im.DryRun(ctx, clerk, tbl, rows)
	}
	fmt.Fprintf(stdout, "%d rows: %d ready, %d skipped, %d problems\n", rep.Rows, rep.Ready, rep.Skipped, len(rep.Problems))
	if len(rep.Unknown) > 0 {
		fmt.Fprintf(stdout, "columns ignored: %s\n", strings.Join(rep.Unknown, ", "))
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(stdout, "row %d, %s: %s\n", p.Row, p.Column, p.Text.EN)
	}
	if err != nil {
		return explain(err)
	}
	if apply {
		fmt.Fprintf(stdout, "imported %d applications: %s\n", len(rep.Imported), strings.Join(rep.Imported, ", "))
		fmt.Fprintf(stdout, "import batch %d; it can be undone on the import page while its applications are drafts\n", rep.Batch)
	} else if len(rep.Problems) == 0 {
		fmt.Fprintln(stdout, "no problems; run again with --apply to import")
	}
	return nil
}
