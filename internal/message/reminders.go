package message

import (
	"context"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/workday"
)

// ReminderArgs is the periodic job that reminds the gallery staff of what is
// due tomorrow and what is late. It runs every hour; from 07:00 WIB on a
// working day it sends each clerk at most one reminder of each kind a day
// (the event key is the day), so an hourly run, a second process or a
// restart never repeats one.
type ReminderArgs struct{}

func (ReminderArgs) Kind() string { return "staff_reminders" }

type reminderWorker struct {
	river.WorkerDefaults[ReminderArgs]
	s *Service
}

func (w *reminderWorker) Work(ctx context.Context, _ *river.Job[ReminderArgs]) error {
	_, err := w.s.RemindStaff(ctx)
	return err
}

// RemindStaff enqueues today's reminders (due tomorrow, late) for every
// active gallery clerk and returns how many messages it made.
func (s *Service) RemindStaff(ctx context.Context) (int, error) {
	if s.Applications == nil {
		return 0, nil
	}
	now := s.DB.Clock(ctx)
	today := workday.DateOf(now)
	if workday.InWIB(now).Hour() < 7 {
		return 0, nil
	}
	cal, err := s.Calendar.Load(ctx)
	if err != nil {
		return 0, err
	}
	if !cal.IsWorkingDay(today) {
		return 0, nil
	}
	tomorrow := workday.DateOf(cal.Due(now, 1))
	var late, soon []application.DueItem
	cursor := ""
	for range 20 { // at most 20 pages: a reminder lists, it does not replace the due list
		p, err := s.Applications.DueList(ctx, application.DueFilter{Cursor: cursor, Limit: application.MaxPageSize})
		if err != nil {
			return 0, err
		}
		for _, it := range p.Items {
			switch {
			case it.Status == workday.Late:
				late = append(late, it)
			case it.DueAt != nil && workday.DateOf(*it.DueAt) == tomorrow:
				soon = append(soon, it)
			}
		}
		if cursor = p.Next; cursor == "" {
			break
		}
	}
	clerks, err := s.Accounts.List(ctx, account.Filter{Role: role.StafGaleri})
	if err != nil {
		return 0, err
	}
	base, _ := s.Setting(ctx, SetBaseURL)
	n := 0
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		ids, err := s.InBatch(ctx, tx, func(ctx context.Context) error { return s.enqueueReminders(ctx, tx, clerks, late, soon, today, base) })
		n = len(ids)
		return err
	})
	return n, err
}

// enqueueReminders enqueues each active clerk's reminders of what is late and
// due tomorrow.
func (s *Service) enqueueReminders(ctx context.Context, tx *db.Tx, clerks []account.User, late, soon []application.DueItem, today workday.Date, base string) error {
	for _, u := range clerks {
		if !u.Active {
			continue
		}
		for _, r := range []struct {
			event string
			items []application.DueItem
		}{{StaffLate, late}, {StaffDueTomorrow, soon}} {
			if len(r.items) == 0 {
				continue
			}
			if _, err := s.Enqueue(ctx, tx, Notice{Event: r.event, Key: fmt.Sprintf("%s:%s:user%d", r.event, today, u.ID), User: u,
				Vars: map[string]string{"name": u.Name, "count": fmt.Sprint(len(r.items)), "items": dueLines(r.items), "link": strings.TrimRight(base, "/") + "/due"}}); err != nil {
				return err
			}
		}
	}
	return nil
}

func dueLines(items []application.DueItem) string {
	var b strings.Builder
	for i, it := range items {
		if i == 20 {
			fmt.Fprintf(&b, "… +%d", len(items)-20)
			break
		}
		due := ""
		if it.DueAt != nil {
			due = workday.InWIB(*it.DueAt).Format("02-01-2006")
		}
		fmt.Fprintf(&b, "- %s (%s): langkah %d, batas %s\n", it.Number, it.BusinessName, it.Step.Number, due)
	}
	return strings.TrimRight(b.String(), "\n")
}
