package message

import (
	"context"

	"github.com/riverqueue/river"
)

// ReminderArgs is the periodic job that reminds staff of what is due
// tomorrow and what is late.
type ReminderArgs struct{}

func (ReminderArgs) Kind() string { return "staff_reminders" }

type reminderWorker struct {
	river.WorkerDefaults[ReminderArgs]
	s *Service
}

func (w *reminderWorker) Work(ctx context.Context, _ *river.Job[ReminderArgs]) error {
	// TODO(issue 10): the staff reminders (due tomorrow, late) are not built
	// yet; the job is scheduled and its templates exist.
	return nil
}
