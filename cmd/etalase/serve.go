package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/demo"
	"github.com/etalase-id/etalase/internal/web"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.bindServe(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := c.validate(true); err != nil {
		return usageError{err.Error()}
	}
	log := newLogger(stderr, c.LogFormat)

	if err := prepareDataDir(c.Data); err != nil {
		return err
	}
	d, err := openDB(ctx, &c)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := ensureSchema(ctx, d, c.Migrate, log.Info); err != nil {
		return err
	}
	// A damaged database refuses to start rather than serve and lose more.
	if err := d.QuickCheck(ctx); err != nil {
		return err
	}

	a, err := app.New(ctx, d, c.appConfig())
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	srv, err := web.New(web.Config{App: a, Log: log, BaseURL: c.BaseURL, TrustedProxies: c.TrustedProxies, DefaultLang: c.lang(), Version: version, Registry: reg})
	if err != nil {
		return err
	}
	// The port first: a start that fails on a busy port must not have created the
	// first admin, whose one-time password would then never be printed.
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("--addr %s: the port is already in use; stop the other program or choose another port with --addr", c.Addr)
		}
		return fmt.Errorf("--addr %s: %v", c.Addr, unwrapOp(err))
	}
	defer ln.Close()
	if login, password, created, err := a.Accounts.EnsureFirstAdmin(ctx); err != nil {
		return fmt.Errorf("create the first admin: %w", err)
	} else if created {
		// Printed once, to the terminal of whoever started the server; never logged.
		fmt.Fprintf(stdout, "\n  Admin pertama dibuat / first admin created\n    login:    %s\n    password: %s  (sekali pakai; wajib diganti saat masuk / one-time, must be changed at first sign-in)\n\n", login, password)
	}
	if c.Demo {
		creds, err := demo.Seed(ctx, a)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if len(creds) > 0 {
			fmt.Fprintln(stdout, "  Akun demo / demo accounts (password for all: "+demo.Password+")")
			for _, cr := range creds {
				fmt.Fprintf(stdout, "    %-12s %s\n", cr.Role, cr.Login)
			}
			fmt.Fprintln(stdout)
		}
	}

	hs := srv.HTTPServer(c.Addr)
	url := "http://" + ln.Addr().String()
	if strings.HasPrefix(c.Addr, "127.0.0.1:") || strings.HasPrefix(c.Addr, "localhost:") {
		url = strings.Replace(url, "127.0.0.1", "localhost", 1)
	}
	log.Info("listening", "addr", ln.Addr().String(), "url", url, "db", string(d.Engine), "version", version)

	mctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go srv.Maintain(mctx)
	// The job queue's workers: messages out, reminders on their schedule.
	if c.BaseURL != "" {
		a.Messages.BaseURL = c.BaseURL
	}
	if err := a.Messages.Start(mctx); err != nil {
		return fmt.Errorf("start the message queue: %w", err)
	}

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, scancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer scancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	// Imports running in the background stop between two of their short
	// transactions and are marked interrupted; sends in progress finish.
	if err := a.Shutdown(sctx); err != nil {
		log.Warn("background work did not stop in time", "err", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func unwrapOp(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}

func openDB(ctx context.Context, c *config) (*db.DB, error) {
	return db.Open(ctx, c.DB, c.Data, db.Options{SQLiteSynchronous: c.SQLiteSync})
}

// ensureSchema creates the schema in an empty database, and upgrades an older
// one only when told to: an upgrade is a moment for a backup first.
func ensureSchema(ctx context.Context, d *db.DB, migrate bool, logf func(string, ...any)) error {
	current, err := d.CheckSchema(ctx)
	if errors.Is(err, db.ErrSchemaOld) && migrate {
		err = nil
	}
	if err != nil {
		return err
	}
	if current == db.LatestVersion() {
		return nil
	}
	applied, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	logf("database schema ready", "applied", strings.Join(applied, ","), "version", db.LatestVersion())
	return nil
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c config
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.bindCommon(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := c.validate(false); err != nil {
		return usageError{err.Error()}
	}
	if err := prepareDataDir(c.Data); err != nil {
		return err
	}
	d, err := openDB(ctx, &c)
	if err != nil {
		return err
	}
	defer d.Close()
	before, err := d.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if before > db.LatestVersion() {
		return fmt.Errorf("%w (database %d, binary %d)", db.ErrSchemaNewer, before, db.LatestVersion())
	}
	applied, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(stdout, "schema already at version %d\n", before)
		return nil
	}
	fmt.Fprintf(stdout, "schema upgraded from version %d to %d: %s\n", before, db.LatestVersion(), strings.Join(applied, ", "))
	return nil
}
