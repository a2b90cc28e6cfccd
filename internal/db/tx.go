package db

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Querier runs SQL written with '?' placeholders on either engine. Both *Tx and the
// reader returned by Q implement it.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is a write transaction with its one fixed "now".
type Tx struct {
	tx     *sql.Tx
	engine Engine
	// Now is the time of this transaction, in UTC and truncated to microseconds (the
	// precision PostgreSQL keeps), so a value written and read back compares equal.
	Now time.Time
}

type txKey struct{}

// InTx runs fn in a write transaction and commits it if fn returns nil. If ctx
// already carries a transaction (an outer InTx), fn joins it: the outer call decides
// the commit, so a service calling another service stays atomic.
func (d *DB) InTx(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) (err error) {
	if tx, ok := ctx.Value(txKey{}).(*Tx); ok {
		return fn(ctx, tx)
	}
	sqlTx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	tx := &Tx{tx: sqlTx, engine: d.Engine, Now: d.Now().UTC().Truncate(time.Microsecond)}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(context.WithValue(ctx, txKey{}, tx), tx); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Q returns what to read with: the transaction carried by ctx if there is one (so a
// read inside a transaction sees its own writes), else the read pool.
func (d *DB) Q(ctx context.Context) Querier {
	if tx, ok := ctx.Value(txKey{}).(*Tx); ok {
		return tx
	}
	return reader{d.read, d.Engine}
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
	return t.tx.ExecContext(ctx, rebind(t.engine, q), args...)
}

func (t *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, rebind(t.engine, q), args...)
}

func (t *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, rebind(t.engine, q), args...)
}

// Engine tells which SQL dialect this transaction speaks, for the rare query that
// differs.
func (t *Tx) Engine() Engine { return t.engine }

type reader struct {
	db     *sql.DB
	engine Engine
}

func (r reader) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return r.db.ExecContext(ctx, rebind(r.engine, q), args...)
}

func (r reader) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return r.db.QueryContext(ctx, rebind(r.engine, q), args...)
}

func (r reader) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return r.db.QueryRowContext(ctx, rebind(r.engine, q), args...)
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
