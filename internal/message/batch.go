package message

import (
	"context"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/etalase-id/etalase/internal/db"
)

// batchRows is how many message rows one INSERT writes (13 values each, far
// below either engine's limit on bound parameters), and batchJobs how many
// jobs one River insert writes.
const (
	batchRows = 200
	batchJobs = 1000
)

type batchKey struct{}

// batch holds the messages Enqueue was asked for inside InBatch, to be
// written together before the transaction ends.
type batch struct {
	tx    *db.Tx
	depth int // the savepoints open in tx when the batch began
	rows  []pendingRow
	seen  map[[3]string]bool
	// templates read once per batch: within one transaction a template does
	// not change.
	templates map[string]Template
	// contacts of the businesses noticed in the batch (contactOf), by
	// application or business: an announcement sends each two messages.
	contacts map[contactKey][2]string
}

type contactKey struct {
	application, business int64
}

type pendingRow struct {
	event, key        string
	appID, userID     int64
	channel           Channel
	to, template      string
	lang              string
	subject, body, pj string
}

// InBatch runs fn with the messages it enqueues in tx (through Enqueue, and
// the transition hooks fn sets off) gathered instead of written one by one,
// and writes them at the end of fn, still in tx: their rows in multi-row
// inserts (a message already recorded for its event key, channel and
// recipient is still left as it is) and their jobs in River's InsertManyFastTx.
// What fn enqueues therefore commits or rolls back with tx exactly as before;
// only the round trips are fewer, so SQLite's one writer is held for less
// time. If fn fails nothing is written. A part of fn run in a nested
// transaction (a savepoint) enqueues directly, since the savepoint may be
// undone after the batch has gathered it. Inside a batch Enqueue returns no
// IDs; InBatch returns them all.
func (s *Service) InBatch(ctx context.Context, tx *db.Tx, fn func(ctx context.Context) error) ([]int64, error) {
	if b, ok := ctx.Value(batchKey{}).(*batch); ok && b.tx == tx {
		return nil, fn(ctx) // the batch already open writes them
	}
	b := &batch{tx: tx, depth: tx.Savepoints(), seen: map[[3]string]bool{}, templates: map[string]Template{}, contacts: map[contactKey][2]string{}}
	if err := fn(context.WithValue(ctx, batchKey{}, b)); err != nil {
		return nil, err
	}
	return s.flush(ctx, b)
}

// batchOf is the batch open for tx at its current level, if any.
func batchOf(ctx context.Context, tx *db.Tx) *batch {
	b, ok := ctx.Value(batchKey{}).(*batch)
	if !ok || b.tx != tx || tx.Savepoints() != b.depth {
		return nil
	}
	return b
}

// template is template id as Service.Template reads it, read once per batch
// (b may be nil: no batch).
func (b *batch) template(ctx context.Context, s *Service, id string) (Template, error) {
	if b == nil {
		return s.Template(ctx, id)
	}
	if t, ok := b.templates[id]; ok {
		return t, nil
	}
	t, err := s.Template(ctx, id)
	if err == nil {
		b.templates[id] = t
	}
	return t, err
}

func (b *batch) add(r pendingRow) {
	k := [3]string{r.key, string(r.channel), r.to}
	if b.seen[k] {
		return // the same message twice in one batch: once is enough
	}
	b.seen[k] = true
	b.rows = append(b.rows, r)
}

// flush writes b's rows and their jobs.
func (s *Service) flush(ctx context.Context, b *batch) ([]int64, error) {
	tx := b.tx
	ids := make([]int64, 0, len(b.rows))
	const cols = 14
	for start := 0; start < len(b.rows); start += batchRows {
		chunk := b.rows[start:min(start+batchRows, len(b.rows))]
		var q strings.Builder
		q.WriteString(`INSERT INTO messages (event, event_key, application_id, user_id, channel, recipient, template, lang, subject, body, params, status, created_at, updated_at) VALUES `)
		args := make([]any, 0, len(chunk)*cols)
		for i, r := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)")
			args = append(args, r.event, r.key, nullID(r.appID), nullID(r.userID), string(r.channel), r.to, r.template, r.lang, r.subject, r.body, r.pj, tx.Now, tx.Now)
		}
		q.WriteString(" ON CONFLICT (event_key, channel, recipient) DO NOTHING RETURNING id")
		rows, err := tx.QueryContext(ctx, q.String(), args...)
		if err != nil {
			return nil, fmt.Errorf("record messages: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("record messages: %w", err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("record messages: %w", err)
		}
	}
	if err := s.insertJobs(ctx, tx, ids); err != nil {
		return nil, err
	}
	return ids, nil
}

// insertJobs inserts the send jobs of messages ids in tx, many per statement.
func (s *Service) insertJobs(ctx context.Context, tx *db.Tx, ids []int64) error {
	if s.River == nil {
		return nil
	}
	for start := 0; start < len(ids); start += batchJobs {
		chunk := ids[start:min(start+batchJobs, len(ids))]
		params := make([]river.InsertManyParams, len(chunk))
		for i, id := range chunk {
			params[i] = river.InsertManyParams{Args: SendArgs{MessageID: id}}
		}
		if _, err := s.River.InsertManyFastTx(ctx, tx.SQL(), params); err != nil {
			return fmt.Errorf("enqueue %d messages: %w", len(chunk), err)
		}
	}
	return nil
}
