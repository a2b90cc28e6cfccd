package application

import (
	"context"
	"time"

	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// TimelineStep is one SOP step as the applicant's timeline shows it.
type TimelineStep struct {
	Step       sop.Step
	Status     string // done, current, waiting (on the applicant), upcoming, skipped
	StartedAt  *time.Time
	FinishedAt *time.Time
	DueAt      *time.Time
	Late       bool // finished after its due time, or still open past it
	WorkDays   int  // working days it took (or has taken so far)
}

// Timeline lays the application's history over the SOP's steps: each step with
// when it started and ended, its due time, and whether it kept its time
// standard, and what happens next in plain words.
type Timeline struct {
	Steps []TimelineStep
	Next  i18n.Text
	Due   *time.Time
}

// Timeline builds the timeline of a.
func (s *Service) Timeline(ctx context.Context, a Application) (Timeline, error) {
	events, err := s.Events(ctx, a.ID)
	if err != nil {
		return Timeline{}, err
	}
	cal, err := s.Calendar.Load(ctx)
	if err != nil {
		return Timeline{}, err
	}
	return BuildTimeline(a, events, cal, s.DB.Clock(ctx)), nil
}

// BuildTimeline lays all, the application's history oldest first, over the
// SOP's steps as they stand at now: for those who read many applications at
// once (the registers) with one calendar.
func BuildTimeline(a Application, all []Event, cal *workday.Calendar, now time.Time) Timeline {
	// Amendments are notes in the history, not moves: the steps are laid over
	// the moves only.
	events := all[:0:0]
	for _, e := range all {
		if e.Action != EventAmend {
			events = append(events, e)
		}
	}
	t := Timeline{Next: a.State.NextForApplicant(), Due: a.DueAt}
	current, _ := sop.StepOf(a.State)
	for _, st := range sop.Steps() {
		ts := TimelineStep{Step: st, Status: "upcoming"}
		// The step started the last time the application entered its state, and
		// ended at the next transition after that.
		for i, e := range events {
			if e.To != st.State {
				continue
			}
			at := e.At
			ts.StartedAt, ts.DueAt, ts.FinishedAt = &at, e.DueAt, nil
			if i+1 < len(events) {
				end := events[i+1].At
				ts.FinishedAt = &end
			}
		}
		if st.Number == 2 && ts.StartedAt == nil && len(events) > 0 {
			at := events[0].At
			ts.StartedAt = &at
		}
		switch {
		case st.Number == current.Number && !a.State.Terminal():
			ts.Status = "current"
			if a.State.WaitingOn() == sop.Applicant {
				ts.Status = "waiting"
			}
		case ts.FinishedAt != nil:
			ts.Status = "done"
		case ts.StartedAt != nil:
			ts.Status = "done"
		}
		if ts.StartedAt != nil {
			end := now
			if ts.FinishedAt != nil {
				end = *ts.FinishedAt
			}
			ts.WorkDays = cal.WorkingDaysBetween(*ts.StartedAt, end)
			ts.Late = ts.DueAt != nil && end.After(*ts.DueAt)
		}
		t.Steps = append(t.Steps, ts)
	}
	return t
}
