package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/workday"
)

// Days on pages are dd-mm-yyyy, as people in Indonesia write them; times are
// WIB and say so (the "wib" template function).

// dayText is a calendar day as pages show it: dd-mm-yyyy.
func dayText(d workday.Date) string {
	return fmt.Sprintf("%02d-%02d-%04d", d.Day, int(d.Month), d.Year)
}

// dayOf is a day, as a workday.Date or as stored text (yyyy-mm-dd), the way
// pages show it: dd-mm-yyyy. Text that is not a day is shown as it is.
func dayOf(v any) string {
	switch d := v.(type) {
	case workday.Date:
		return dayText(d)
	case string:
		if day, err := workday.ParseDate(d); err == nil {
			return dayText(day)
		}
		return d
	}
	return fmt.Sprint(v)
}

// parseDay reads a day typed as dd-mm-yyyy, or as yyyy-mm-dd (what a date
// field sends).
func parseDay(s string) (workday.Date, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("02-01-2006", s); err == nil {
		return workday.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, nil
	}
	return workday.ParseDate(s)
}
