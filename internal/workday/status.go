package workday

import (
	"time"

	"github.com/etalase-id/etalase/internal/i18n"
)

// Status is where an open step stands against its due time, for the staff "due
// today" and "late" lists.
type Status string

const (
	OnTrack  Status = "on_track"  // due after today
	DueToday Status = "due_today" // due later today (WIB)
	Late     Status = "late"      // past its due time
)

// Status returns Late when now is after due, DueToday when due falls on now's WIB
// date, and OnTrack otherwise. It does not depend on the holidays: the calendar is
// the receiver so callers keep one object for all time questions.
func (c *Calendar) Status(due, now time.Time) Status {
	switch {
	case now.After(due):
		return Late
	case DateOf(now) == DateOf(due):
		return DueToday
	}
	return OnTrack
}

// Text returns the status label in both languages.
func (s Status) Text() i18n.Text {
	switch s {
	case OnTrack:
		return i18n.Text{ID: "Sesuai jadwal", EN: "On track"}
	case DueToday:
		return i18n.Text{ID: "Jatuh tempo hari ini", EN: "Due today"}
	case Late:
		return i18n.Text{ID: "Terlambat", EN: "Late"}
	}
	return i18n.Text{ID: string(s), EN: string(s)}
}
