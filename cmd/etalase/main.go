// Command etalase runs Etalase, the gallery system of the East Java Cooperatives
// and SME Office. This file wires flags to the capabilities; it holds no business
// rules.
//
//	etalase serve [--demo] [--migrate] [--addr 127.0.0.1:8080] [--data DIR] [--db URL]
//	etalase migrate
//	etalase user create --role staf_galeri --email siti@example.id --name "Siti"  (password on stdin)
//	etalase user reset-password --login siti@example.id
//	etalase import --as siti@example.id [--skip 4,9] [--apply] responses.csv
//	etalase version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=..."
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it with their own arguments and
// streams. It returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = cmdServe(ctx, args[1:], stdout, stderr)
	case "migrate":
		err = cmdMigrate(ctx, args[1:], stdout, stderr)
	case "user":
		err = cmdUser(ctx, args[1:], stdin, stdout, stderr)
	case "import":
		err = cmdImport(ctx, args[1:], stdout, stderr)
	case "seed":
		err = cmdSeed(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "etalase", version)
	case "help", "-h", "--help":
		usage(stdout)
	default:
		fmt.Fprintf(stderr, "etalase: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, "etalase:", err)
			return 2
		}
		fmt.Fprintln(stderr, "etalase:", err)
		return 1
	}
	return 0
}

// usageError is a mistake in the command line (exit code 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usage(w io.Writer) {
	fmt.Fprint(w, `Etalase — galeri UKM Dinas Koperasi dan UKM Provinsi Jawa Timur

Usage:
  etalase serve [flags]          start the web app (SQLite in ./etalase-data by default)
  etalase migrate [flags]        upgrade the database schema
  etalase user create [flags]    create an account (password read from stdin)
  etalase user reset-password    give an account a new one-time password
  etalase import --as CLERK FILE check (or with --apply, import) Google Form responses
  etalase seed [--bench] [flags]  add the demo data, or a large gallery for benchmarks
  etalase version                print the version

Run "etalase COMMAND -h" for the flags of a command.
`)
}

func newLogger(w io.Writer, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// parseFlags parses a subcommand's flags; a wrong flag is a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}
