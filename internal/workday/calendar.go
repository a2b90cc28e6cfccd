package workday

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/i18n"
)

// Kind is the kind of a non-working day set by the SKB 3 Menteri.
type Kind string

const (
	NationalHoliday Kind = "libur_nasional" // hari libur nasional
	CutiBersama     Kind = "cuti_bersama"   // collective leave day
)

// Kinds lists the kinds in the order they are offered on forms.
var Kinds = []Kind{NationalHoliday, CutiBersama}

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Text returns the kind's label in both languages.
func (k Kind) Text() i18n.Text {
	switch k {
	case NationalHoliday:
		return i18n.Text{ID: "Libur nasional", EN: "National holiday"}
	case CutiBersama:
		return i18n.Text{ID: "Cuti bersama", EN: "Collective leave"}
	}
	return i18n.Text{ID: string(k), EN: string(k)}
}

// Holiday is one non-working day of the calendar.
type Holiday struct {
	Date   Date
	Name   string // in Indonesian, e.g. "Idul Fitri 1447 Hijriah"
	Kind   Kind
	Decree string // the decree it comes from, e.g. Decree2026
}

// Calendar answers working-day questions for a set of holidays and covered years.
// It is immutable after construction and safe for concurrent use.
type Calendar struct {
	byDay    map[int64]Holiday // by day number
	weekday  []int64           // sorted day numbers of holidays falling Monday to Friday
	holidays []Holiday         // effective holidays in date order
	covered  map[int]bool
	years    []int // sorted covered years
}

// New builds a calendar from holidays and the years the caller declares covered by
// a decree. Every listed holiday is a non-working day whatever its Kind and whether
// or not its year is listed; a year is covered only when it is in years. When two
// holidays share a date, a national holiday wins over a collective leave day, and
// otherwise the first listed wins. New copies its arguments.
func New(holidays []Holiday, years ...int) *Calendar {
	c := &Calendar{
		byDay:   make(map[int64]Holiday, len(holidays)),
		covered: make(map[int]bool, len(years)),
	}
	for _, h := range holidays {
		n := dayNumber(h.Date)
		h.Date = fromDayNumber(n)
		if old, ok := c.byDay[n]; ok && !(old.Kind != NationalHoliday && h.Kind == NationalHoliday) {
			continue
		}
		c.byDay[n] = h
	}
	days := make([]int64, 0, len(c.byDay))
	for n := range c.byDay {
		days = append(days, n)
	}
	slices.Sort(days)
	c.holidays = make([]Holiday, 0, len(days))
	for _, n := range days {
		c.holidays = append(c.holidays, c.byDay[n])
		if !isWeekend(n) {
			c.weekday = append(c.weekday, n)
		}
	}
	for _, y := range years {
		if !c.covered[y] {
			c.covered[y] = true
			c.years = append(c.years, y)
		}
	}
	slices.Sort(c.years)
	return c
}

// NewDefault returns the calendar of Default2026, covering 2026.
func NewDefault() *Calendar { return New(Default2026(), 2026) }

// Holidays returns the calendar's holidays in date order (one per date).
func (c *Calendar) Holidays() []Holiday { return slices.Clone(c.holidays) }

// Years returns the covered years in increasing order.
func (c *Calendar) Years() []int { return slices.Clone(c.years) }

// Covers reports whether year is covered by a decree in this calendar.
func (c *Calendar) Covers(year int) bool { return c.covered[year] }

// Holiday returns the holiday on d, if any (weekend holidays included).
func (c *Calendar) Holiday(d Date) (Holiday, bool) {
	h, ok := c.byDay[dayNumber(d)]
	return h, ok
}

// IsWorkingDay reports whether d is a Monday to Friday that is neither a national
// holiday nor a collective leave day.
func (c *Calendar) IsWorkingDay(d Date) bool { return c.isWorking(dayNumber(d)) }

func (c *Calendar) isWorking(n int64) bool {
	if isWeekend(n) {
		return false
	}
	_, holiday := c.byDay[n]
	return !holiday
}

// countWorking returns the number of working days D with a < D <= b (day numbers),
// 0 when b <= a.
func (c *Calendar) countWorking(a, b int64) int64 {
	if b <= a {
		return 0
	}
	weekdays := weekdayPrefix(b) - weekdayPrefix(a)
	i, _ := slices.BinarySearch(c.weekday, a+1) // first holiday > a
	j, _ := slices.BinarySearch(c.weekday, b+1) // first holiday > b
	return weekdays - int64(j-i)
}

// maxWorkingDays bounds n in AddWorkingDays and Due (about 38,000 years), so that
// absurd inputs cannot overflow the date arithmetic.
const maxWorkingDays = 10_000_000

// AddWorkingDays returns the n-th working day after d when n > 0, the n-th working
// day before d when n < 0, and d itself when n == 0 (whether or not d is a working
// day). |n| is capped at 10,000,000.
func (c *Calendar) AddWorkingDays(d Date, n int) Date {
	if n == 0 {
		return d
	}
	return fromDayNumber(c.addWorking(dayNumber(d), n))
}

func (c *Calendar) addWorking(day int64, n int) int64 {
	step, rem := int64(1), int64(n)
	if n < 0 {
		step, rem = -1, -rem
	}
	rem = min(rem, maxWorkingDays)
	// Jump whole weeks while far away. A jump of w weeks holds at most 5w working
	// days and 5w < rem, so the jump never passes the target.
	for rem > 10 {
		w := (rem - 1) / 5
		next := day + step*7*w
		if step > 0 {
			rem -= c.countWorking(day, next)
		} else {
			rem -= c.countWorking(next-1, day-1) // working days in [next, day)
		}
		day = next
	}
	for rem > 0 {
		day += step
		if c.isWorking(day) {
			rem--
		}
	}
	return day
}

// Due returns when a step started at start with a time standard of n working days
// is due: the end (23:59:59.999999999 WIB) of the n-th working day after the WIB
// date of start; the start day itself does not count. With n <= 0 it is the end of
// the start day if that is a working day, else the end of the next working day.
func (c *Calendar) Due(start time.Time, n int) time.Time {
	day := dayNumber(DateOf(start))
	switch {
	case n > 0:
		day = c.addWorking(day, n)
	case !c.isWorking(day):
		day = c.addWorking(day, 1)
	}
	return fromDayNumber(day).EndWIB()
}

// WorkingDaysBetween returns the number of working days D with DateOf(a) < D <=
// DateOf(b), 0 when b's WIB date is on or before a's: how many working days a step
// started at a and done at b took. Its cost does not grow with the span.
func (c *Calendar) WorkingDaysBetween(a, b time.Time) int {
	return int(c.countWorking(dayNumber(DateOf(a)), dayNumber(DateOf(b))))
}

// MissingYears returns the years that should have a calendar at now but are not
// covered: the current WIB year, and from 1 October the next year too.
func (c *Calendar) MissingYears(now time.Time) []int {
	today := DateOf(now)
	var missing []int
	if !c.Covers(today.Year) {
		missing = append(missing, today.Year)
	}
	if today.Month >= time.October && !c.Covers(today.Year+1) {
		missing = append(missing, today.Year+1)
	}
	return missing
}

// MissingYearWarning returns a warning for an admin when MissingYears(now) is not
// empty, and false when every year that matters is covered.
func (c *Calendar) MissingYearWarning(now time.Time) (i18n.Text, bool) {
	missing := c.MissingYears(now)
	if len(missing) == 0 {
		return i18n.Text{}, false
	}
	ys := make([]string, len(missing))
	for i, y := range missing {
		ys[i] = fmt.Sprint(y)
	}
	id := strings.Join(ys, " dan ")
	en := strings.Join(ys, " and ")
	return i18n.Text{
		ID: "Kalender hari kerja " + id + " belum diisi. Sampai diisi, tenggat dihitung tanpa hari libur " +
			"(hanya Sabtu–Minggu). Tambahkan hari libur nasional dan cuti bersama " + id +
			" sesuai SKB 3 Menteri.",
		EN: "The working-day calendar for " + en + " has not been entered. Until it is, deadlines are " +
			"counted without holidays (only Saturdays and Sundays are skipped). Add the national holidays " +
			"and collective leave days (cuti bersama) for " + en + " from the SKB 3 Menteri (joint " +
			"ministerial decree).",
	}, true
}
