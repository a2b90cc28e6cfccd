// Package audit keeps the trail of every change of state in Etalase: who did what,
// when, to which object, with a summary of before and after. A record is written in
// the same transaction as the change it describes, so the trail can neither miss a
// change nor record one that was rolled back.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/db"
)

// Actor is who acts. The web layer puts it in the request context once; services
// read it from there, so no call needs to pass it along.
type Actor struct {
	UserID int64  // 0 for the system itself or an anonymous visitor
	Label  string // e-mail or name as shown in the trail
	IP     string
}

// System is the actor for work nobody in particular asked for (start-up, jobs).
var System = Actor{Label: "sistem"}

type actorKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or System.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return System
}

// Entry is one audit record.
type Entry struct {
	ID         int64
	At         time.Time
	ActorID    int64
	ActorLabel string
	IP         string
	Action     string // dotted verb, e.g. "user.create"
	ObjectType string
	ObjectID   string
	Summary    string
	Before     string // JSON, empty when there was nothing before
	After      string // JSON, empty when nothing remains
}

// Record writes e in tx, stamped with the transaction's time and the context's
// actor. before and after may be nil; otherwise they are stored as JSON, so keep
// them to a summary and never put secrets (password hashes, tokens, NIK) in them.
func Record(ctx context.Context, tx *db.Tx, action, objectType, objectID, summary string, before, after any) error {
	a := ActorFrom(ctx)
	var actorID any
	if a.UserID != 0 {
		actorID = a.UserID
	}
	b, err := asJSON(before)
	if err != nil {
		return err
	}
	af, err := asJSON(after)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_label, ip, action, object_type, object_id, summary, before_data, after_data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.Now, actorID, a.Label, a.IP, action, objectType, objectID, summary, b, af)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Write records one entry in a transaction of its own, for events that are not a
// change of other state: a refused access, a document viewed. Call it outside any
// transaction: inside one it joins it, and a refusal recorded in a transaction
// that then rolls back would be lost.
func Write(ctx context.Context, d *db.DB, action, objectType, objectID, summary string) error {
	return d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		return Record(ctx, tx, action, objectType, objectID, summary, nil, nil)
	})
}

func asJSON(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("audit summary: %w", err)
	}
	return string(b), nil
}

// Filter narrows List. Zero fields do not filter.
type Filter struct {
	ActorID    int64
	NoActor    bool   // only entries without an account: the system, visitors, failed sign-ins
	Action     string // prefix: "user." matches every user action
	ObjectType string
	ObjectID   string
	From, To   time.Time // To is exclusive
	Limit      int       // default 100, at most 1000
	BeforeID   int64     // for paging: entries that come after this one in List's order
}

// List returns entries matching f, newest first by time (ties by id). The
// time, not the id, sets the order: a transaction that began earlier may
// commit later, and the demo writes its past with a moved clock.
func List(ctx context.Context, d *db.DB, f Filter) ([]Entry, error) {
	var where []string
	var args []any
	if f.ActorID != 0 {
		where, args = append(where, "actor_id = ?"), append(args, f.ActorID)
	}
	if f.NoActor {
		where = append(where, "actor_id IS NULL")
	}
	if f.Action != "" {
		// substr instead of LIKE: action names contain '_', a LIKE wildcard.
		where, args = append(where, fmt.Sprintf("substr(action, 1, %d) = ?", len(f.Action))), append(args, f.Action)
	}
	if f.ObjectType != "" {
		where, args = append(where, "object_type = ?"), append(args, f.ObjectType)
	}
	if f.ObjectID != "" {
		where, args = append(where, "object_id = ?"), append(args, f.ObjectID)
	}
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, f.To.UTC())
	}
	if f.BeforeID != 0 {
		where = append(where, "(at < (SELECT at FROM audit_log WHERE id = ?) OR (at = (SELECT at FROM audit_log WHERE id = ?) AND id < ?))")
		args = append(args, f.BeforeID, f.BeforeID, f.BeforeID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	q := "SELECT id, at, COALESCE(actor_id, 0), actor_label, ip, action, object_type, object_id, summary, before_data, after_data FROM audit_log"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY at DESC, id DESC LIMIT %d", limit)
	rows, err := d.Q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorLabel, &e.IP, &e.Action, &e.ObjectType, &e.ObjectID, &e.Summary, &e.Before, &e.After); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
