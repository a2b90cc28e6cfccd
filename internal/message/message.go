// Package message sends what the procedure tells applicants and staff — by
// WhatsApp and e-mail — through River, the job queue kept in the database.
//
// A message is enqueued in the transaction of the change that causes it (a
// hook in the engine's transition, or the capability's own transaction): a
// row in messages, unique per event, channel and recipient, and a River job
// naming it. The row is what makes sending idempotent: a job that runs twice,
// or a hook that enqueues twice, finds the row sent (or held by another worker)
// and does nothing. Providers are configured by the admin, never compiled in:
// manual (the default: the clerk opens a wa.me or mailto link and records the
// send), SMTP, the WhatsApp Business Cloud API, and an unofficial gateway.
package message

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/calendar"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/settings"
	"github.com/etalase-id/etalase/internal/vault"
)

// Channel is how a message travels.
type Channel string

const (
	WhatsApp Channel = "whatsapp"
	Email    Channel = "email"
)

// Status is where a message stands.
type Status string

const (
	Queued    Status = "queued"
	Sending   Status = "sending"
	Manual    Status = "manual" // waiting for the clerk to send it by hand
	Sent      Status = "sent"
	Delivered Status = "delivered"
	Read      Status = "read"
	Failed    Status = "failed"
)

// Message is one row of the log.
type Message struct {
	ID            int64      `json:"id"`
	Event         string     `json:"event"`
	ApplicationID int64      `json:"application_id,omitempty"`
	UserID        int64      `json:"user_id,omitempty"`
	Channel       Channel    `json:"channel"`
	Recipient     string     `json:"recipient"`
	Template      string     `json:"template"`
	Lang          i18n.Lang  `json:"lang"`
	Subject       string     `json:"subject,omitempty"`
	Body          string     `json:"body"`
	Params        []string   `json:"-"`
	Provider      string     `json:"provider,omitempty"`
	ProviderID    string     `json:"provider_id,omitempty"`
	Status        Status     `json:"status"`
	Error         string     `json:"error,omitempty"`
	Attempts      int        `json:"attempts"`
	SentBy        int64      `json:"sent_by,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	SentAt        *time.Time `json:"sent_at,omitempty"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// Attempt is one try at sending a message.
type Attempt struct {
	At       time.Time `json:"at"`
	Provider string    `json:"provider"`
	Outcome  string    `json:"outcome"`
	Detail   string    `json:"detail,omitempty"`
	ByUser   int64     `json:"by_user,omitempty"`
}

// Service is the messages capability.
type Service struct {
	DB       *db.DB
	Settings settings.Store
	Vault    *vault.Vault
	Accounts *account.Service
	// Applications and Calendar give the staff reminders their due list.
	Applications *application.Service
	Calendar     calendar.Store
	// River is the job queue's client; nil until SetQueue (then Enqueue
	// records the message and no job: tests of other capabilities).
	River *river.Client[txType]
	// Providers overrides the configured providers (tests); nil reads the
	// settings at each send.
	Providers func(ctx context.Context, c Channel) (Provider, error)
	// Lease is how long a worker holds a message it is sending.
	Lease time.Duration
	// BaseURL is where links in messages point when the admin has not set
	// message.base_url (serve's --base-url).
	BaseURL string

	sources []NoticeSource // AddNoticeSource
}

// Notice is a message to enqueue: a template for a user, on every channel the
// user has, for one occurrence of an event.
type Notice struct {
	Event         string // the template's id
	Key           string // this occurrence, e.g. "app:12:2026-12-02T01:00:00Z"
	ApplicationID int64
	// BusinessID is the SME a notice without an application is about (its
	// stock): like an application's, it goes to the business's contacts.
	BusinessID int64
	User       account.User
	Vars       map[string]string
	// Channels limits the channels; empty means every channel the user has.
	Channels []Channel
	// To sends to this address instead of the user's (an e-mail or E.164 phone):
	// a test message or a reply.
	To string
}

// Enqueue renders n and records one message per channel the user can be
// reached on, each with its job, in tx. A message already recorded for the
// same event key, channel and recipient is left as it is. It returns the ids
// of the messages it made — none inside InBatch, which writes them at its end
// and returns them.
func (s *Service) Enqueue(ctx context.Context, tx *db.Tx, n Notice) ([]int64, error) {
	b := batchOf(ctx, tx)
	t, err := b.template(ctx, s, n.Event)
	if err != nil {
		return nil, err
	}
	lang := n.User.Lang
	if lang != i18n.EN {
		lang = i18n.ID
	}
	type dest struct {
		c  Channel
		to string
	}
	var dests []dest
	want := func(c Channel) bool {
		if len(n.Channels) == 0 {
			return true
		}
		for _, x := range n.Channels {
			if x == c {
				return true
			}
		}
		return false
	}
	switch {
	case n.To != "" && strings.HasPrefix(n.To, "+"):
		dests = append(dests, dest{WhatsApp, n.To})
	case n.To != "":
		dests = append(dests, dest{Email, n.To})
	default:
		phone, email, err := s.contactOf(ctx, tx, n)
		if err != nil {
			return nil, err
		}
		if phone != "" && want(WhatsApp) {
			dests = append(dests, dest{WhatsApp, phone})
		}
		if email != "" && want(Email) {
			dests = append(dests, dest{Email, email})
		}
	}
	params := make([]string, len(t.Vars))
	for i, v := range t.Vars {
		params[i] = n.Vars[v]
	}
	pj, _ := json.Marshal(params)
	subject, body := Render(t.Subject[lang], n.Vars), Render(t.Body[lang], n.Vars)
	if b != nil {
		for _, d := range dests {
			b.add(pendingRow{event: n.Event, key: n.Key, appID: n.ApplicationID, userID: n.User.ID, channel: d.c, to: d.to,
				template: t.ID, lang: string(lang), subject: subject, body: body, pj: string(pj)})
		}
		return nil, nil // written with the batch, at the end of InBatch
	}
	var ids []int64
	for _, d := range dests {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO messages (event, event_key, application_id, user_id, channel, recipient, template, lang, subject, body, params, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)
			ON CONFLICT (event_key, channel, recipient) DO NOTHING RETURNING id`,
			n.Event, n.Key, nullID(n.ApplicationID), nullID(n.User.ID), string(d.c), d.to, t.ID, string(lang), subject, body, string(pj), tx.Now, tx.Now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			continue // enqueued before: once is enough
		}
		if err != nil {
			return nil, fmt.Errorf("record message: %w", err)
		}
		if err := s.insertJob(ctx, tx, id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// contactOf is where a notice to n.User goes. A notice about an application
// or a business goes to the WhatsApp number and e-mail the SME gave on its
// business form (the form asks for them to be reached there), each falling
// back to the account's: an owner who signed up by e-mail still gets WhatsApp.
func (s *Service) contactOf(ctx context.Context, tx *db.Tx, n Notice) (phone, email string, err error) {
	phone, email = n.User.Phone, n.User.Email
	if n.ApplicationID == 0 && n.BusinessID == 0 {
		return phone, email, nil
	}
	wa, mail, err := s.businessContact(ctx, tx, n)
	if err != nil {
		return "", "", err
	}
	if wa != "" {
		phone = wa
	}
	if mail != "" {
		email = mail
	}
	return phone, email, nil
}

// businessContact is the WhatsApp number and e-mail on the business form of
// n's application or business ("" where the form has none), read once per
// batch.
func (s *Service) businessContact(ctx context.Context, tx *db.Tx, n Notice) (wa, mail string, err error) {
	b, key := batchOf(ctx, tx), contactKey{n.ApplicationID, n.BusinessID}
	if b != nil {
		if c, ok := b.contacts[key]; ok {
			return c[0], c[1], nil
		}
	}
	if n.ApplicationID != 0 {
		err = tx.QueryRowContext(ctx, `SELECT b.whatsapp, b.email FROM applications a JOIN businesses b ON b.id = a.business_id WHERE a.id = ?`,
			n.ApplicationID).Scan(&wa, &mail)
	} else {
		err = tx.QueryRowContext(ctx, `SELECT whatsapp, email FROM businesses WHERE id = ?`, n.BusinessID).Scan(&wa, &mail)
	}
	if errors.Is(err, sql.ErrNoRows) {
		wa, mail, err = "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("message: contact of application %d / business %d: %w", n.ApplicationID, n.BusinessID, err)
	}
	if b != nil {
		b.contacts[key] = [2]string{wa, mail}
	}
	return wa, mail, nil
}

func (s *Service) insertJob(ctx context.Context, tx *db.Tx, id int64) error {
	if s.River == nil {
		return nil
	}
	if _, err := s.River.InsertTx(ctx, tx.SQL(), SendArgs{MessageID: id}, nil); err != nil {
		return fmt.Errorf("enqueue message %d: %w", id, err)
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const messageCols = `id, event, COALESCE(application_id, 0), COALESCE(user_id, 0), channel, recipient, template, lang, subject, body, params,
	provider, provider_id, status, error, attempts, COALESCE(sent_by, 0), created_at, sent_at, updated_at`

func scanMessage(r interface{ Scan(...any) error }) (Message, error) {
	var m Message
	var params string
	err := r.Scan(&m.ID, &m.Event, &m.ApplicationID, &m.UserID, &m.Channel, &m.Recipient, &m.Template, &m.Lang, &m.Subject, &m.Body, &params,
		&m.Provider, &m.ProviderID, &m.Status, &m.Error, &m.Attempts, &m.SentBy, &m.CreatedAt, &m.SentAt, &m.UpdatedAt)
	if err == nil {
		_ = json.Unmarshal([]byte(params), &m.Params)
	}
	return m, err
}

var errNoMessage = apperr.New(apperr.NotFound, "message.not_found", "Pesan tidak ditemukan.", "No such message.")

// Get returns message id.
func (s *Service) Get(ctx context.Context, id int64) (Message, error) {
	m, err := scanMessage(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+messageCols+" FROM messages WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, errNoMessage
	}
	return m, err
}

// Attempts returns the attempts at sending message id, oldest first.
func (s *Service) Attempts(ctx context.Context, id int64) ([]Attempt, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT at, provider, outcome, detail, COALESCE(by_user, 0) FROM message_attempts WHERE message_id = ? ORDER BY id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Attempt
	for rows.Next() {
		var a Attempt
		if err := rows.Scan(&a.At, &a.Provider, &a.Outcome, &a.Detail, &a.ByUser); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ForApplication returns the messages about application id, newest first.
func (s *Service) ForApplication(ctx context.Context, appID int64) ([]Message, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT "+messageCols+" FROM messages WHERE application_id = ? ORDER BY id DESC LIMIT 200", appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Filter narrows List.
type Filter struct {
	Status  Status
	Channel Channel
	Event   string
	Before  int64 // the id of the last message shown (keyset paging, newest first)
	Limit   int
}

// List returns a page of the log, newest first, and the cursor of the next
// page (0 on the last).
func (s *Service) List(ctx context.Context, f Filter) ([]Message, int64, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	q := "SELECT " + messageCols + " FROM messages WHERE 1 = 1"
	var args []any
	if f.Status != "" {
		q += " AND status = ?"
		args = append(args, string(f.Status))
	}
	if f.Channel != "" {
		q += " AND channel = ?"
		args = append(args, string(f.Channel))
	}
	if f.Event != "" {
		q += " AND event = ?"
		args = append(args, f.Event)
	}
	if f.Before > 0 {
		q += " AND id < ?"
		args = append(args, f.Before)
	}
	return db.NewestPage(ctx, s.DB.Q(ctx), q+" ORDER BY id DESC LIMIT ?", args, f.Limit, scanMessage, func(m Message) int64 { return m.ID })
}

var (
	errNotFailed = apperr.New(apperr.Conflict, "message.not_failed", "Hanya pesan yang gagal yang dapat dikirim ulang.", "Only a failed message can be sent again.")
	errNotManual = apperr.New(apperr.Conflict, "message.not_manual", "Pesan ini tidak menunggu dikirim manual.", "This message is not waiting to be sent by hand.")
	errStaffOnly = apperr.New(apperr.Forbidden, "message.staff_only", "Hanya petugas yang mengelola pesan.", "Only staff manage messages.")
)

// Retry sends failed message id again, by hand.
func (s *Service) Retry(ctx context.Context, u account.User, id int64) error {
	if !staff(u) {
		return errStaffOnly
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE messages SET status = 'queued', error = '', updated_at = ? WHERE id = ? AND status = 'failed'", tx.Now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNotFailed
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO message_attempts (message_id, at, provider, outcome, detail, by_user) VALUES (?, ?, '', 'retry', 'dikirim ulang oleh petugas', ?)", id, tx.Now, u.ID); err != nil {
			return err
		}
		if err := s.insertJob(ctx, tx, id); err != nil {
			return err
		}
		return auditRecord(ctx, tx, "message.retry", "message", fmt.Sprint(id), "Pesan dikirim ulang")
	})
}

// MarkSentByHand records that the clerk u sent message id themselves (manual
// mode: a wa.me or mailto link opened and sent).
func (s *Service) MarkSentByHand(ctx context.Context, u account.User, id int64) error {
	if !staff(u) {
		return errStaffOnly
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE messages SET status = 'sent', provider = 'manual', sent_by = ?, sent_at = ?, updated_at = ? WHERE id = ? AND status = 'manual'", u.ID, tx.Now, tx.Now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNotManual
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO message_attempts (message_id, at, provider, outcome, detail, by_user) VALUES (?, ?, 'manual', 'sent', 'dikirim manual', ?)", id, tx.Now, u.ID); err != nil {
			return err
		}
		return auditRecord(ctx, tx, "message.sent_by_hand", "message", fmt.Sprint(id), "Pesan dikirim manual oleh "+u.Name)
	})
}

func auditRecord(ctx context.Context, tx *db.Tx, action, objType, objID, summary string) error {
	return audit.Record(ctx, tx, action, objType, objID, summary, nil, nil)
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// ContactProblem is a contact a provider refused, waiting for staff to check
// it with the applicant.
type ContactProblem struct {
	Channel   Channel   `json:"channel"`
	Recipient string    `json:"recipient"`
	Detail    string    `json:"detail"`
	At        time.Time `json:"at"`
}

// ContactProblems returns the uncleared contact problems of user id, newest
// first.
func (s *Service) ContactProblems(ctx context.Context, userID int64) ([]ContactProblem, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT channel, recipient, detail, at FROM contact_problems WHERE user_id = ? AND cleared_at IS NULL ORDER BY id DESC LIMIT 10", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ContactProblem
	for rows.Next() {
		var p ContactProblem
		if err := rows.Scan(&p.Channel, &p.Recipient, &p.Detail, &p.At); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
