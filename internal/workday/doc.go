// Package workday does working-day (hari kerja) arithmetic for Etalase: every step
// of the gallery procedure has a time standard (Mutu Baku) counted in working days,
// and this package says when a step is due, whether it is late, and how many working
// days it took.
//
// # Time zone
//
// All dates are civil dates in Asia/Jakarta, Western Indonesian Time (WIB, UTC+7).
// Indonesia has had no daylight-saving time since 1964, so [WIB] is a fixed zone
// (time.FixedZone) rather than a zone loaded from tzdata: the package gives the same
// answers on a host with no time-zone database. [DateOf] turns an instant into its
// WIB date; [Date.StartWIB] and [Date.EndWIB] turn a date back into instants.
//
// # Working days
//
// A working day is a Monday to Friday that is neither a national holiday (libur
// nasional) nor a collective leave day (cuti bersama). Both are set each year by a
// joint ministerial decree (SKB 3 Menteri) and are sometimes amended mid-year, so a
// [Calendar] is built from a list of [Holiday] values (each naming its decree) plus
// the list of years the caller declares covered by a decree. [Default2026] holds the
// 2026 calendar; the database layer stores the edited calendar and builds a Calendar
// with [New].
//
// A year that is not covered falls back to weekends only (plus any holiday that
// happens to be listed for it): the arithmetic never fails for want of a calendar.
// [Calendar.MissingYearWarning] tells an admin, in Indonesian and English, when the
// current year, or from 1 October the coming year, has no calendar yet.
//
// # Due times
//
// A step started at an instant start with a time standard of n working days is due at
// the end (23:59:59.999999999 WIB) of the n-th working day after the WIB date of
// start. The start day itself does not count, as Indonesian deadlines are counted
// from the next day: a step started on a Friday (or a Saturday) with n = 1 is due at
// the end of the following Monday, if that Monday is a working day. With n = 0 the
// step is due at the end of the start day if it is a working day, else at the end of
// the next working day; a negative n is treated as 0. See [Calendar.Due].
//
// [Calendar.WorkingDaysBetween] counts the working days D with DateOf(a) < D <=
// DateOf(b): how many working days a step took. For n >= 1 a step done on or before
// Due(start, n) took at most n working days, and WorkingDaysBetween(start, Due(start,
// n)) is exactly n. The converse does not hold (a step due on a Friday and done on
// the Saturday still took n working days but is late), so lateness is always judged
// against the due instant, with [Calendar.Status].
//
// # Concurrency and cost
//
// A Calendar is immutable after construction and safe for concurrent use. Counting
// working days between two dates costs O(log h) for h holidays whatever the span
// (weekdays are counted by formula, holidays by binary search); adding n working days
// jumps whole weeks, so it stays cheap for large n.
package workday
