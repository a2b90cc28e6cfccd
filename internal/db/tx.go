package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Reader runs read-only SQL written with '?' placeholders on either engine. ReadTx
// hands one to its fn.
type Reader interface {
	QueryContext(ctx context.Context, query string, args ...any) (*Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *Row
}

// Querier runs SQL written with '?' placeholders on either engine. *Tx implements
// it, and so does what Q returns; outside a write transaction ExecContext fails
// with ErrReadOnly.
type Querier interface {
	Reader
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// ErrTxFailed marks the errors of a transaction in which a statement failed
// outside a contained nested InTx: later statements are refused with it, and so is
// the commit. The error also wraps the first failure, so IsUniqueViolation and the
// like still see what went wrong.
var ErrTxFailed = errors.New("a statement in this transaction failed")

// ErrReadOnly is the error of a write attempted where only reading is allowed: an
// ExecContext inside ReadTx or on what Q returns outside a transaction, or an InTx
// inside ReadTx.
var ErrReadOnly = errors.New("read-only: this transaction cannot write")

// Tx is a transaction with its one fixed "now". A Tx is meant for the goroutine
// that runs its fn: nested InTx calls on one Tx must not run concurrently.
type Tx struct {
	tx     *sql.Tx
	engine Engine
	// Now is the time of this transaction, in UTC and truncated to microseconds (the
	// precision PostgreSQL keeps), so a value written and read back compares equal.
	Now time.Time
	// readOnly is set for ReadTx; ExecContext and InTx then refuse.
	readOnly bool
	st       *txState
}

// txState is shared by a transaction and the read-only view ReadTx makes of it.
type txState struct {
	mu     sync.Mutex
	failed error // the first failure not contained by a savepoint
	depth  int   // savepoints of the nested InTx calls now running
}

type txKey struct{}

// InTx runs fn in a write transaction and commits it if fn returns nil.
//
// If ctx already carries a transaction (an outer InTx), fn runs inside it, in a
// savepoint: when fn returns an error or panics, its writes are rolled back to the
// savepoint and the error (or panic) goes to the caller, whose transaction is still
// usable on both engines; otherwise the savepoint is released and the outer call
// decides the commit, so a service calling another service stays atomic.
//
// A statement that fails anywhere else poisons the transaction: every later
// statement fails with ErrTxFailed wrapping the first failure, and if fn returns
// nil anyway the transaction is rolled back and InTx returns that error. PostgreSQL
// aborts a transaction after a failed statement and SQLite does not; this makes both
// behave alike, and a caller that drops an error can never commit half a change.
func (d *DB) InTx(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) (err error) {
	if t, ok := ctx.Value(txKey{}).(*Tx); ok {
		if t.readOnly {
			return fmt.Errorf("InTx inside ReadTx: %w", ErrReadOnly)
		}
		return t.nested(ctx, fn)
	}
	sqlTx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	tx := &Tx{tx: sqlTx, engine: d.Engine, Now: d.Now().UTC().Truncate(time.Microsecond), st: &txState{}}
	done := false
	defer func() {
		// A panic, or runtime.Goexit from t.Fatal, must not leave the writer
		// connection inside a transaction.
		if !done {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(context.WithValue(ctx, txKey{}, tx), tx); err != nil {
		done = true
		_ = sqlTx.Rollback()
		return err
	}
	done = true
	if first := tx.failure(); first != nil {
		_ = sqlTx.Rollback()
		return fmt.Errorf("rolled back, not committed: %w: %w", ErrTxFailed, first)
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// ReadTx runs fn in a read-only transaction: everything fn reads comes from one
// snapshot of the database, taken when ReadTx begins, so a report or an export adds
// up even while others write. Inside fn, Q(ctx) returns this transaction, so the
// read helpers of every package read the same snapshot; ExecContext fails with
// ErrReadOnly and so does InTx, rather than quietly writing outside the snapshot.
//
// On SQLite it runs on the read pool (query_only connections) and WAL lets it run
// beside the writer without ever taking the write lock: a long report does not hold
// up a sale. On PostgreSQL it is BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ.
//
// Inside a write transaction ReadTx reads through that transaction (its own writes
// included, at its isolation level), still refusing to write.
func (d *DB) ReadTx(ctx context.Context, fn func(ctx context.Context, r Reader) error) error {
	if t, ok := ctx.Value(txKey{}).(*Tx); ok {
		if !t.readOnly {
			t = &Tx{tx: t.tx, engine: t.engine, Now: t.Now, readOnly: true, st: t.st}
		}
		return fn(context.WithValue(ctx, txKey{}, t), t)
	}
	opts := &sql.TxOptions{ReadOnly: true}
	if d.Engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	sqlTx, err := d.read.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin read transaction: %w", err)
	}
	defer sqlTx.Rollback() // nothing to commit
	// Both engines take the snapshot at the first read, not at BEGIN: read now, so
	// that what others commit while fn runs, however early, is not seen.
	var n int
	if err := sqlTx.QueryRowContext(ctx, snapshotQuery[d.Engine]).Scan(&n); err != nil {
		return fmt.Errorf("begin read transaction: %w", err)
	}
	t := &Tx{tx: sqlTx, engine: d.Engine, Now: d.Now().UTC().Truncate(time.Microsecond), readOnly: true, st: &txState{}}
	if err := fn(context.WithValue(ctx, txKey{}, t), t); err != nil {
		return err
	}
	if first := t.failure(); first != nil {
		// fn dropped an error: what it read may be incomplete.
		return fmt.Errorf("%w: %w", ErrTxFailed, first)
	}
	return nil
}

var snapshotQuery = map[Engine]string{
	SQLite:   "SELECT COUNT(*) FROM sqlite_master",
	Postgres: "SELECT 1",
}

// nested runs fn in a savepoint of t; see InTx.
func (t *Tx) nested(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) (err error) {
	if first := t.failure(); first != nil {
		return t.refused(first)
	}
	t.st.mu.Lock()
	t.st.depth++
	// Named by depth: unique among the savepoints open at once, and reused only
	// after the one before it of that depth has been released.
	name := "etalase_sp_" + strconv.Itoa(t.st.depth)
	t.st.mu.Unlock()
	defer func() {
		t.st.mu.Lock()
		t.st.depth--
		t.st.mu.Unlock()
	}()
	if _, err := t.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		t.fail(err)
		return fmt.Errorf("savepoint: %w", err)
	}
	finished := false
	defer func() {
		if !finished {
			// fn panicked (or called runtime.Goexit): undo its part and let the
			// panic go on up.
			_ = t.undo(ctx, name)
		}
	}()
	err = fn(ctx, t)
	finished = true
	if err != nil {
		if uerr := t.undo(ctx, name); uerr != nil {
			return fmt.Errorf("%w (and undoing it failed: %v)", err, uerr)
		}
		return err
	}
	if first := t.failure(); first != nil {
		// fn dropped the error of a failed statement: not contained, so the outer
		// transaction is poisoned too and will not commit.
		return fmt.Errorf("%w: %w", ErrTxFailed, first)
	}
	if _, err := t.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name); err != nil {
		t.fail(err)
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// undo rolls back to the savepoint and releases it, which also clears a failure
// recorded inside it: that failure is contained. If undoing fails, the failure
// stays (or this one becomes it) and the transaction is poisoned.
func (t *Tx) undo(ctx context.Context, name string) error {
	ctx = context.WithoutCancel(ctx) // a cancelled request must still clean up
	_, err := t.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+name)
	if err == nil {
		_, err = t.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name)
	}
	t.st.mu.Lock()
	defer t.st.mu.Unlock()
	if err != nil {
		if t.st.failed == nil {
			t.st.failed = err
		}
		return err
	}
	t.st.failed = nil
	return nil
}

// fail records err as the transaction's failure unless one is recorded already.
func (t *Tx) fail(err error) {
	t.st.mu.Lock()
	if t.st.failed == nil {
		t.st.failed = err
	}
	t.st.mu.Unlock()
}

func (t *Tx) failure() error {
	t.st.mu.Lock()
	defer t.st.mu.Unlock()
	return t.st.failed
}

func (t *Tx) refused(first error) error {
	return fmt.Errorf("%w earlier: %w", ErrTxFailed, first)
}

// Q returns what to read with: the transaction carried by ctx if there is one (so a
// read inside a transaction sees its own writes, and a read inside ReadTx its
// snapshot), else the read pool.
func (d *DB) Q(ctx context.Context) Querier {
	if tx, ok := ctx.Value(txKey{}).(*Tx); ok {
		return tx
	}
	return reader{d.read, d.Engine, d.readStmts}
}

// Clock returns the time to stamp on something: the transaction's "now" if ctx
// carries one, else the database clock.
func (d *DB) Clock(ctx context.Context) time.Time {
	if tx, ok := ctx.Value(txKey{}).(*Tx); ok {
		return tx.Now
	}
	return d.Now().UTC().Truncate(time.Microsecond)
}

func (t *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if first := t.failure(); first != nil {
		return nil, t.refused(first)
	}
	if t.readOnly {
		err := fmt.Errorf("ExecContext inside ReadTx: %w", ErrReadOnly)
		t.fail(err)
		return nil, err
	}
	res, err := t.tx.ExecContext(ctx, rebind(t.engine, q), args...)
	if err != nil {
		t.fail(err)
	}
	return res, err
}

func (t *Tx) QueryContext(ctx context.Context, q string, args ...any) (*Rows, error) {
	if first := t.failure(); first != nil {
		return nil, t.refused(first)
	}
	rows, err := t.tx.QueryContext(ctx, rebind(t.engine, q), args...)
	if err != nil {
		err = t.readOnlyError(err)
		t.fail(err)
		return nil, err
	}
	return &Rows{Rows: rows, t: t}, nil
}

func (t *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *Row {
	if first := t.failure(); first != nil {
		return &Row{err: t.refused(first)}
	}
	return &Row{row: t.tx.QueryRowContext(ctx, rebind(t.engine, q), args...), t: t}
}

// readOnlyError marks the engine's own refusal to write in a read transaction
// (INSERT … RETURNING through QueryRowContext, say) with ErrReadOnly.
func (t *Tx) readOnlyError(err error) error {
	if t.readOnly && isReadOnlyViolation(err) && !errors.Is(err, ErrReadOnly) {
		return fmt.Errorf("%w: %w", ErrReadOnly, err)
	}
	return err
}

// Engine tells which SQL dialect this transaction speaks, for the rare query that
// differs.
func (t *Tx) Engine() Engine { return t.engine }

// Savepoints is how many nested InTx calls are running in t now: 0 at the
// transaction's own level. Work deferred to the end of a part of a transaction
// (a batch of inserts) is only safe at the level it was begun: a savepoint
// undone after it would not undo what the batch writes later.
func (t *Tx) Savepoints() int {
	t.st.mu.Lock()
	defer t.st.mu.Unlock()
	return t.st.depth
}

// SQL returns the underlying *sql.Tx, for a library that must write in the same
// transaction (the job queue's InsertTx). Statements issued through it bypass Tx:
// their '?' placeholders are not rebound for PostgreSQL, and their failures are not
// tracked, so check every error it returns — a failed one left unchecked aborts the
// transaction on PostgreSQL but not on SQLite.
func (t *Tx) SQL() *sql.Tx { return t.tx }

// Row is the result of QueryRowContext. Inside a transaction its Scan records a
// failure (any error but sql.ErrNoRows) so the transaction will not commit.
type Row struct {
	row *sql.Row
	err error // the statement was refused before it ran
	t   *Tx
}

// Scan copies the columns of the row into dest, as sql.Row.Scan does.
func (r *Row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	err := r.row.Scan(dest...)
	if err != nil && !errors.Is(err, sql.ErrNoRows) && r.t != nil {
		err = r.t.readOnlyError(err)
		r.t.fail(err)
	}
	return err
}

// Err reports an error of running the query, without scanning, as sql.Row.Err does.
func (r *Row) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.row.Err()
}

// Rows is the result of QueryContext: a *sql.Rows whose errors, inside a
// transaction, are recorded so the transaction will not commit. (PostgreSQL may
// report a failed statement only once its rows are read.)
type Rows struct {
	*sql.Rows
	t *Tx
}

// Next prepares the next row, as sql.Rows.Next does.
func (r *Rows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.record(r.Rows.Err())
	return false
}

// Scan copies the columns of the current row into dest, as sql.Rows.Scan does.
func (r *Rows) Scan(dest ...any) error {
	return r.record(r.Rows.Scan(dest...))
}

// Err returns the error met while iterating, as sql.Rows.Err does.
func (r *Rows) Err() error {
	return r.record(r.Rows.Err())
}

func (r *Rows) record(err error) error {
	if err != nil && r.t != nil {
		err = r.t.readOnlyError(err)
		r.t.fail(err)
	}
	return err
}

// reader is what Q returns outside a transaction: the read pool.
type reader struct {
	db     *sql.DB
	engine Engine
	stmts  *stmtCache // nil: prepare each time
}

// ExecContext refuses: outside a transaction Q is for reading (the SQLite read
// pool cannot write, and PostgreSQL is made to agree).
func (r reader) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return nil, fmt.Errorf("ExecContext outside InTx: %w", ErrReadOnly)
}

func (r reader) QueryContext(ctx context.Context, q string, args ...any) (*Rows, error) {
	q = rebind(r.engine, q)
	var rows *sql.Rows
	var err error
	if st := r.stmts.get(ctx, q); st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = r.db.QueryContext(ctx, q, args...)
	}
	if err != nil {
		return nil, err
	}
	return &Rows{Rows: rows}, nil
}

func (r reader) QueryRowContext(ctx context.Context, q string, args ...any) *Row {
	q = rebind(r.engine, q)
	if st := r.stmts.get(ctx, q); st != nil {
		return &Row{row: st.QueryRowContext(ctx, args...)}
	}
	return &Row{row: r.db.QueryRowContext(ctx, q, args...)}
}

// stmtCache keeps the read pool's statements prepared. modernc's SQLite
// prepares (parses and plans) every statement anew, which was a quarter of an
// application page's time; a *sql.Stmt is prepared once per connection and
// reused. Only reads outside transactions use it (Q's read pool): there a
// free connection can always be had to prepare on. PostgreSQL's driver keeps
// its own cache of prepared statements.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// maxStmts bounds the cache; queries beyond it are prepared each time (a
// query text built with varying parts should not fill it).
const maxStmts = 256

func newStmtCache(d *sql.DB) *stmtCache { return &stmtCache{db: d, m: map[string]*sql.Stmt{}} }

// get returns q prepared, or nil when it is not to be cached (or cannot be
// prepared: the caller runs it directly and meets the error there).
func (c *stmtCache) get(ctx context.Context, q string) *sql.Stmt {
	if c == nil || strings.Contains(q, ";") {
		return nil
	}
	c.mu.Lock()
	st, ok := c.m[q]
	full := c.m == nil || len(c.m) >= maxStmts // nil: closed
	c.mu.Unlock()
	if ok || full {
		return st
	}
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		_ = st.Close()
		return nil
	}
	if old, ok := c.m[q]; ok { // prepared meanwhile by another request
		_ = st.Close()
		return old
	}
	c.m[q] = st
	return st
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		_ = st.Close()
	}
	c.m = nil
}

// rebind turns '?' placeholders into PostgreSQL's $1, $2... outside quoted strings
// and identifiers. SQLite takes '?' as written. (SQLite would also accept "$1", but
// as a *named* parameter bound in order of appearance, which silently swaps values
// when $2 comes before $1: hence one portable form, '?'.)
func rebind(e Engine, q string) string {
	if e != Postgres || strings.IndexByte(q, '?') < 0 {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
