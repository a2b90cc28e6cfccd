package message

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/etalase-id/etalase/internal/db"
)

// A NoticeSource is a capability with notices of its own to send now and
// then, found by looking rather than by a transition: the stock's lots
// nearing expiry and items running low. Each notice's Key says when it is
// due again: the same key is sent once.
type NoticeSource interface {
	MessageNotices(ctx context.Context) ([]Notice, error)
}

// AddNoticeSource registers src with the hourly notices job (composition root).
func (s *Service) AddNoticeSource(src NoticeSource) { s.sources = append(s.sources, src) }

// NoticesArgs is the periodic job that sends the notice sources' notices.
type NoticesArgs struct{}

func (NoticesArgs) Kind() string { return "source_notices" }

type noticesWorker struct {
	river.WorkerDefaults[NoticesArgs]
	s *Service
}

func (w *noticesWorker) Work(ctx context.Context, _ *river.Job[NoticesArgs]) error {
	_, err := w.s.SendSourceNotices(ctx)
	return err
}

// SendSourceNotices asks every source for its notices and enqueues each in a
// short transaction of its own (a large gallery's notices never hold SQLite's
// writer for long); a notice whose key was enqueued before is left alone. It
// returns how many messages it made.
func (s *Service) SendSourceNotices(ctx context.Context) (int, error) {
	n := 0
	for _, src := range s.sources {
		notices, err := src.MessageNotices(ctx)
		if err != nil {
			return n, err
		}
		for _, x := range notices {
			err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
				ids, err := s.Enqueue(ctx, tx, x)
				n += len(ids)
				return err
			})
			if err != nil {
				return n, fmt.Errorf("notice %s: %w", x.Key, err)
			}
		}
	}
	return n, nil
}
