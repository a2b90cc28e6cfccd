package workday

import (
	"fmt"
	"time"
)

// WIB is Western Indonesian Time (Asia/Jakarta), UTC+7. Indonesia has had no
// daylight-saving time since 1964, so a fixed zone is exact and needs no tzdata.
var WIB = time.FixedZone("WIB", 7*60*60)

// InWIB returns t expressed in WIB (the same instant).
func InWIB(t time.Time) time.Time { return t.In(WIB) }

// Date is a civil date (no time, no zone). Dates in this package are WIB dates.
// The zero Date is not a real date; see [Date.IsZero].
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the WIB date of the instant t: 2026-03-18T23:30:00Z is
// 2026-03-19 in WIB.
func DateOf(t time.Time) Date {
	y, m, d := t.In(WIB).Date()
	return Date{y, m, d}
}

// ParseDate parses an ISO date "YYYY-MM-DD" such as "2026-03-19". It rejects
// dates that do not exist (2026-02-29).
func ParseDate(s string) (Date, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, time.UTC)
	if err != nil {
		return Date{}, fmt.Errorf("workday: invalid date %q, want YYYY-MM-DD", s)
	}
	y, m, d := t.Date()
	return Date{y, m, d}, nil
}

// MustParseDate is ParseDate that panics on error, for tables of constant dates.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// String returns the date as "2026-03-19".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText encodes the date as "2026-03-19", so it appears that way in JSON and
// forms.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes a date written as "2026-03-19".
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// IsZero reports whether d is the zero Date (no date set).
func (d Date) IsZero() bool { return d == Date{} }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return weekdayOf(dayNumber(d)) }

// AddDays returns the date n calendar days after d (before d when n < 0). The
// result is normalised: Date{2026, 1, 32} becomes 2026-02-01.
func (d Date) AddDays(n int) Date { return fromDayNumber(dayNumber(d) + int64(n)) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return dayNumber(d) < dayNumber(e) }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return dayNumber(d) > dayNumber(e) }

// Equal reports whether d and e are the same day (after normalisation).
func (d Date) Equal(e Date) bool { return dayNumber(d) == dayNumber(e) }

// StartWIB returns the first instant of d in WIB (00:00 WIB).
func (d Date) StartWIB() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, WIB)
}

// EndWIB returns the last instant of d in WIB: the start of the next day minus one
// nanosecond (23:59:59.999999999 WIB).
func (d Date) EndWIB() time.Time {
	return d.AddDays(1).StartWIB().Add(-time.Nanosecond)
}

const secondsPerDay = 24 * 60 * 60

// dayNumber returns the number of days from 1970-01-01 to d (negative before).
// time.Date normalises out-of-range months and days.
func dayNumber(d Date) int64 {
	return floorDiv(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix(), secondsPerDay)
}

// fromDayNumber is the inverse of dayNumber.
func fromDayNumber(n int64) Date {
	y, m, d := time.Unix(n*secondsPerDay, 0).UTC().Date()
	return Date{y, m, d}
}

// weekdayOf returns the weekday of day number n; day 0 (1970-01-01) was a Thursday.
func weekdayOf(n int64) time.Weekday {
	return time.Weekday(floorMod(n+int64(time.Thursday), 7))
}

func isWeekend(n int64) bool {
	w := weekdayOf(n)
	return w == time.Saturday || w == time.Sunday
}

// weekdayPrefix returns, up to an additive constant, the number of Mondays to
// Fridays on or before day number n: weekdayPrefix(b) - weekdayPrefix(a) is the
// number of weekdays D with a < D <= b.
func weekdayPrefix(n int64) int64 {
	const monday = 4 // 1970-01-05 was a Monday
	k := n - monday
	weeks := floorDiv(k, 7)
	r := k - weeks*7 // 0 = Monday ... 6 = Sunday
	return weeks*5 + min(r+1, 5)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }
