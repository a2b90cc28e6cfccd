package message

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/etalase-id/etalase/internal/db"
)

// txType is the transaction River inserts in: database/sql's, which both of
// our engines use (pgx's stdlib on PostgreSQL).
type txType = *sql.Tx

// SendArgs is the job that sends one message.
type SendArgs struct {
	MessageID int64 `json:"message_id"`
}

func (SendArgs) Kind() string { return "message_send" }

// InsertOpts gives the send job its attempts: 8 with River's backoff
// (attempt² seconds and more) is about a day and a half before the message
// shows as failed.
func (SendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: MaxAttempts, Queue: queueName}
}

// MaxAttempts is how often a message is tried before it shows as failed.
const MaxAttempts = 8

const queueName = "messages"

// QueueConfig tunes the job queue.
type QueueConfig struct {
	Workers int // concurrent sends in this process; 0 means 4
	// RetryPolicy replaces River's backoff (tests make it fast).
	RetryPolicy river.ClientRetryPolicy
	// PollInterval is how often a worker looks for jobs; 0 means River's
	// default (1 s).
	PollInterval time.Duration
	Logger       *slog.Logger
	// Periodic adds the periodic jobs (staff reminders, the notice
	// sources'); false in tests.
	Periodic bool
}

// SetQueue builds the River client on d for this service: it can insert at
// once, and works jobs once Start is called. On PostgreSQL it uses River's
// database/sql driver (our transactions are database/sql's), polling for
// jobs, so several processes share the queue; on SQLite River's SQLite driver
// on the one writer connection, so River's writes wait their turn like ours.
func (s *Service) SetQueue(c QueueConfig) error {
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &sendWorker{s: s}); err != nil {
		return err
	}
	if err := river.AddWorkerSafely(workers, &reminderWorker{s: s}); err != nil {
		return err
	}
	if err := river.AddWorkerSafely(workers, &noticesWorker{s: s}); err != nil {
		return err
	}
	n := c.Workers
	if n <= 0 {
		n = 4
	}
	logger := c.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	cfg := &river.Config{
		Queues:            map[string]river.QueueConfig{queueName: {MaxWorkers: n}, river.QueueDefault: {MaxWorkers: 1}},
		Workers:           workers,
		RetryPolicy:       c.RetryPolicy,
		FetchPollInterval: c.PollInterval,
		Logger:            logger,
		MaxAttempts:       MaxAttempts,
		// A message's row says whether it was sent; a job stuck this long is
		// rescued and finds the row as it is.
		RescueStuckJobsAfter: 10 * time.Minute,
	}
	if c.PollInterval > 0 && c.PollInterval < 100*time.Millisecond {
		cfg.FetchCooldown = c.PollInterval
	}
	if c.Periodic {
		cfg.PeriodicJobs = []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour), func() (river.JobArgs, *river.InsertOpts) {
				return ReminderArgs{}, nil
			}, &river.PeriodicJobOpts{ID: "staff_reminders", RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour), func() (river.JobArgs, *river.InsertOpts) {
				return NoticesArgs{}, nil
			}, &river.PeriodicJobOpts{ID: "source_notices", RunOnStart: true}),
		}
	}
	var err error
	if s.DB.Engine == db.Postgres {
		cfg.PollOnly = true
		s.River, err = river.NewClient[txType](riverdatabasesql.New(s.DB.SQL()), cfg)
	} else {
		s.River, err = river.NewClient[txType](riversqlite.New(s.DB.SQL()), cfg)
	}
	return err
}

// Start works the queue in the background until Stop.
func (s *Service) Start(ctx context.Context) error {
	if s.River == nil {
		return errors.New("message queue not set up")
	}
	return s.River.Start(ctx)
}

// Stop ends the work, waiting for the sends in progress until ctx ends.
func (s *Service) Stop(ctx context.Context) error {
	if s.River == nil {
		return nil
	}
	return s.River.Stop(ctx)
}

type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	s *Service
}

func (w *sendWorker) Timeout(*river.Job[SendArgs]) time.Duration { return 2 * time.Minute }

func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	last := job.Attempt >= job.MaxAttempts
	return w.s.send(ctx, job.Args.MessageID, last)
}

// send tries message id once. It claims the row first (a lease, so two runs of
// one job never both send), gives it to the provider, and records the
// outcome. A message already sent, or being sent by another worker, is left
// alone: the job ends without sending.
func (s *Service) send(ctx context.Context, id int64, last bool) error {
	lease := s.Lease
	if lease <= 0 {
		lease = 5 * time.Minute
	}
	var m Message
	claimed := false
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE messages SET status = 'sending', lease_until = ?, attempts = attempts + 1, updated_at = ?
			WHERE id = ? AND (status IN ('queued', 'failed') OR (status = 'sending' AND lease_until < ?))`,
			tx.Now.Add(lease), tx.Now, id, tx.Now)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		claimed = n == 1
		m, err = scanMessage(tx.QueryRowContext(ctx, "SELECT "+messageCols+" FROM messages WHERE id = ?", id))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil // deleted with its application: nothing to send
	}
	if err != nil {
		return err
	}
	if !claimed {
		if m.Status == Sending {
			return river.JobSnooze(lease) // another worker holds it; look again after its lease
		}
		return nil // sent, waiting for the clerk, or delivered: never twice
	}
	if m.Template == StatusReply && time.Since(m.CreatedAt) > replyWindow {
		return s.outcome(ctx, m, "", "", Permanent(errors.New("outside WhatsApp's 24-hour reply window")), true)
	}
	p, err := s.Provider(ctx, m.Channel)
	if err != nil {
		return s.outcome(ctx, m, "", "", err, last)
	}
	if _, manual := p.(ManualProvider); manual {
		return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, "UPDATE messages SET status = 'manual', provider = 'manual', lease_until = NULL, updated_at = ? WHERE id = ?", tx.Now, m.ID); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO message_attempts (message_id, at, provider, outcome, detail) VALUES (?, ?, 'manual', 'manual', 'menunggu dikirim petugas')", m.ID, tx.Now)
			return err
		})
	}
	pid, sendErr := p.Send(ctx, m)
	return s.outcome(ctx, m, p.Name(), pid, sendErr, last)
}

// outcome records what came of an attempt, and returns what the job returns:
// nil when sent, the error for River to retry with backoff, a cancellation
// when the recipient was refused.
func (s *Service) outcome(ctx context.Context, m Message, provider, pid string, sendErr error, last bool) error {
	var perm *PermanentError
	permanent := errors.As(sendErr, &perm)
	detail := ""
	if sendErr != nil {
		detail = truncate(sendErr.Error(), 1000)
	}
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var err error
		switch {
		case sendErr == nil:
			_, err = tx.ExecContext(ctx, `UPDATE messages SET status = 'sent', provider = ?, provider_id = ?, error = '', sent_at = ?, lease_until = NULL, updated_at = ? WHERE id = ?`,
				provider, pid, tx.Now, tx.Now, m.ID)
			if err == nil {
				_, err = tx.ExecContext(ctx, "INSERT INTO message_attempts (message_id, at, provider, outcome, detail) VALUES (?, ?, ?, 'sent', ?)", m.ID, tx.Now, provider, pid)
			}
			return err
		case permanent || last:
			_, err = tx.ExecContext(ctx, `UPDATE messages SET status = 'failed', provider = ?, error = ?, lease_until = NULL, updated_at = ? WHERE id = ?`, provider, detail, tx.Now, m.ID)
		default:
			// Back in the queue; River tries again after its backoff.
			_, err = tx.ExecContext(ctx, `UPDATE messages SET status = 'queued', provider = ?, error = ?, lease_until = NULL, updated_at = ? WHERE id = ?`, provider, detail, tx.Now, m.ID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO message_attempts (message_id, at, provider, outcome, detail) VALUES (?, ?, ?, 'failed', ?)", m.ID, tx.Now, provider, detail); err != nil {
			return err
		}
		if permanent && m.UserID != 0 && m.Template != StatusReply {
			_, err = tx.ExecContext(ctx, "INSERT INTO contact_problems (user_id, channel, recipient, detail, at) VALUES (?, ?, ?, ?, ?)", m.UserID, string(m.Channel), m.Recipient, detail, tx.Now)
		}
		return err
	})
	if err != nil {
		return err
	}
	switch {
	case sendErr == nil:
		return nil
	case permanent:
		return river.JobCancel(sendErr)
	}
	return fmt.Errorf("send message %d: %w", m.ID, sendErr)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// FastRetry retries after a fixed short delay (tests).
type FastRetry time.Duration

func (f FastRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(time.Duration(f)) }
