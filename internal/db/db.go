// Package db opens Etalase's database — embedded SQLite by default, PostgreSQL for
// scale — and gives the rest of the code one way to run SQL on either: queries are
// written once with '?' placeholders, transactions travel in the context so nested
// calls run inside them (each in a savepoint), a failed statement stops the commit
// on both engines alike, and each transaction carries one fixed "now" from an
// injectable clock.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Engine names the database engine behind a DB.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is an open Etalase database.
//
// On SQLite there are two pools: one writer connection (SQLite allows one writer at
// a time; funnelling writes through one connection with BEGIN IMMEDIATE means a
// writer waits its turn in Go instead of failing with "database is locked") and a
// pool of read-only connections that WAL lets run beside it. On PostgreSQL both are
// the same pool.
type DB struct {
	Engine Engine
	write  *sql.DB
	read   *sql.DB
	path   string // the SQLite file, for messages
	// readStmts keeps the SQLite read pool's statements prepared (nil on
	// PostgreSQL, whose driver caches its own).
	readStmts *stmtCache
	// Now is the clock. Tests replace it; everything that stamps a time takes it from
	// the transaction (Tx.Now), which reads this once.
	Now func() time.Time
}

// Options tune Open.
type Options struct {
	// SQLiteSynchronous is the SQLite synchronous pragma. FULL (the default) makes
	// every committed sale survive a power cut; NORMAL is faster in WAL mode but may
	// lose the last transactions on power loss. Sales and stock are money: FULL.
	SQLiteSynchronous string
	// MaxReaders is the size of the SQLite read pool (default 4).
	MaxReaders int
}

// Open opens the database named by dsn: empty means the SQLite file etalase.db in
// dataDir; "postgres://" or "postgresql://" URLs open PostgreSQL; "sqlite:" or
// "file:" followed by a path opens that SQLite file. Open checks the connection so
// that a wrong address fails here, with one clear line, rather than on a first page.
//
// Open refuses what SQLite would accept while losing data: an empty path or
// ":memory:" (a database that vanishes at exit), an existing file of 0 bytes (SQLite
// would start a new database in it: a truncated file's data would be silently gone)
// and a file that is not an SQLite database.
func Open(ctx context.Context, dsn, dataDir string, opt Options) (*DB, error) {
	switch {
	case dsn == "":
		return openSQLite(ctx, filepath.Join(dataDir, "etalase.db"), opt)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn)
	case strings.HasPrefix(dsn, "sqlite:"), strings.HasPrefix(dsn, "file:"):
		_, path, _ := strings.Cut(dsn, ":")
		switch strings.TrimSpace(path) {
		case "":
			return nil, fmt.Errorf("--db %q names no file: give sqlite:PATH, or leave --db empty for the data directory (an empty path would open a temporary database, lost at exit)", dsn)
		case ":memory:":
			return nil, fmt.Errorf("--db %q is an in-memory database, lost at exit: give sqlite:PATH", dsn)
		}
		return openSQLite(ctx, path, opt)
	default:
		return nil, fmt.Errorf("--db %q: expected empty (SQLite in the data directory), sqlite:PATH, or a postgres:// URL", redact(dsn))
	}
}

// sqliteHeader starts every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// checkSQLiteFile refuses an existing file that SQLite would take for a new
// database, or that is not one. A missing file is fine: it becomes a new database.
func checkSQLiteFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot open the SQLite database %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("cannot open the SQLite database %s: %w", path, err)
	}
	if fi.IsDir() {
		return fmt.Errorf("the SQLite database %s is a directory, not a file", path)
	}
	if fi.Size() == 0 {
		return fmt.Errorf("the SQLite database %s is empty (0 bytes): it may have been truncated; restore it from a backup, or remove it to start a new database", path)
	}
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != sqliteHeader {
		return fmt.Errorf("%s is not an SQLite database (it does not start with the SQLite header): check --db and the data directory", path)
	}
	return nil
}

func openSQLite(ctx context.Context, path string, opt Options) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("cannot create the database directory %s: %w", dir, err)
		}
	}
	sync := strings.ToUpper(opt.SQLiteSynchronous)
	if sync == "" {
		sync = "FULL"
	}
	if sync != "FULL" && sync != "NORMAL" && sync != "EXTRA" {
		return nil, fmt.Errorf("SQLite synchronous must be FULL, EXTRA or NORMAL, not %q", opt.SQLiteSynchronous)
	}
	if err := checkSQLiteFile(path); err != nil {
		return nil, err
	}
	// Pragmas go in the DSN so every connection the pool opens gets them.
	dsn := func(path string) string {
		return "file:" + (&url.URL{Path: path}).EscapedPath() + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(" + sync + ")&_time_format=sqlite"
	}
	if err := createSQLite(ctx, path, dsn); err != nil {
		return nil, err
	}
	base := dsn(path)
	write, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("cannot open the SQLite database %s: %w", path, err)
	}
	// The writer creates the file and switches it to WAL before any reader opens it.
	if _, err := write.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS etalase_probe(x INTEGER); DROP TABLE etalase_probe"); err != nil {
		write.Close()
		return nil, fmt.Errorf("cannot write the SQLite database %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, err
	}
	n := opt.MaxReaders
	if n <= 0 {
		n = 4
	}
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	return &DB{Engine: SQLite, write: write, read: read, path: path, readStmts: newStmtCache(read), Now: time.Now}, nil
}

// createSQLite makes a new database file whole before it appears under its
// name. SQLite creates the file empty and writes its first page a moment later;
// a server killed in between (during its very first start) left an empty file
// that every later start refuses, since it cannot be told from a truncated
// database. The new database is built under a temporary name and published with
// a hard link, which fails if the name exists, as the data key is.
func createSQLite(ctx context.Context, path string, dsn func(string) string) error {
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		return nil // there already: checkSQLiteFile has judged it
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".new-*") // mode 0600
	if err != nil {
		return fmt.Errorf("cannot create the SQLite database %s: %w", path, err)
	}
	tmp := f.Name()
	f.Close()
	// Once linked the database lives on under path; unlinked, it was never used.
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			os.Remove(tmp + suffix)
		}
	}()
	d, err := sql.Open("sqlite", dsn(tmp))
	if err == nil {
		d.SetMaxOpenConns(1)
		_, err = d.ExecContext(ctx, "CREATE TABLE etalase_probe(x INTEGER); DROP TABLE etalase_probe")
		// Closing the last connection checkpoints the WAL into the file.
		if cerr := d.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		err = syncPath(tmp)
	}
	if err != nil {
		return fmt.Errorf("cannot create the SQLite database %s: %s", path, oneLine(err))
	}
	if err := os.Link(tmp, path); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("cannot create the SQLite database %s: %w", path, err)
	}
	// The new name must survive a power cut as well as the file's content.
	_ = syncPath(dir)
	return nil
}

func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("--db %s: %w", redact(dsn), err)
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(10)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.PingContext(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %s", redact(dsn), oneLine(err))
	}
	return &DB{Engine: Postgres, write: pool, read: pool, Now: time.Now}, nil
}

// Close closes both pools.
func (d *DB) Close() error {
	d.readStmts.close()
	err := d.write.Close()
	if d.read != d.write {
		err = errors.Join(err, d.read.Close())
	}
	return err
}

// Ping checks that the database answers a query (for /readyz).
func (d *DB) Ping(ctx context.Context) error {
	var one int
	return d.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// QuickCheck looks for damage in the database. On SQLite it runs PRAGMA
// quick_check (every page and record, though not whether indexes match their
// tables), which reads the whole file: for start-up after a crash or a restore,
// and for operators, not for every request. It reports the first problems found,
// in one line. PostgreSQL checks its own pages as it reads them; there it only
// checks that the database answers.
func (d *DB) QuickCheck(ctx context.Context) error {
	if d.Engine != SQLite {
		var one int
		return d.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
	}
	rows, err := d.read.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return fmt.Errorf("the SQLite database %s cannot be checked: %s", d.path, oneLine(err))
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("the SQLite database %s cannot be checked: %s", d.path, oneLine(err))
		}
		// One row may hold several problems, one a line, under a "*** in
		// database main ***" heading.
		for line := range strings.Lines(s) {
			line = strings.TrimSpace(line)
			if line != "" && line != "ok" && !strings.HasPrefix(line, "*** ") {
				problems = append(problems, line)
			}
		}
	}
	if err := rows.Err(); err != nil {
		problems = append(problems, oneLine(err))
	}
	if len(problems) == 0 {
		return nil
	}
	const shown = 3
	msg := strings.Join(problems[:min(shown, len(problems))], "; ")
	if len(problems) > shown {
		msg += fmt.Sprintf("; and %d more", len(problems)-shown)
	}
	return fmt.Errorf("the SQLite database %s is damaged: %s; restore it from a backup", d.path, msg)
}

// SQL returns the underlying write pool for libraries that need a *sql.DB of their
// own (the job queue). Application code uses InTx and Q instead.
func (d *DB) SQL() *sql.DB { return d.write }

// redact hides a password in a connection URL before it is printed.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func oneLine(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Message
	}
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// IsUniqueViolation reports whether err is a unique-constraint failure on either
// engine, so callers can turn it into "already taken" for the user.
func IsUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		return sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// isReadOnlyViolation reports whether err is the engine refusing a write in a
// read-only transaction or on a query_only connection.
func isReadOnlyViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "25006"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		return sqErr.Code()&0xff == sqlite3.SQLITE_READONLY
	}
	return false
}

// IsCheckViolation reports whether err is a CHECK-constraint failure on either engine.
func IsCheckViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23514"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		return sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_CHECK
	}
	return false
}
