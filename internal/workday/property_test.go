package workday

import (
	"math/rand/v2"
	"testing"
	"time"
)

// The reference implementations below walk day by day; the package's own code
// counts weekdays by formula and jumps whole weeks, so they check each other.

func naiveBetween(c *Calendar, a, b Date) int {
	n := 0
	for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

func naiveAdd(c *Calendar, d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// randomInstant returns an instant between 1 Dec 2025 and 31 Jan 2028, so that
// 2026 (covered) and 2027 (not covered) are both well exercised.
func randomInstant(r *rand.Rand) time.Time {
	lo := time.Date(2025, 12, 1, 0, 0, 0, 0, WIB).Unix()
	hi := time.Date(2028, 1, 31, 0, 0, 0, 0, WIB).Unix()
	return time.Unix(lo+r.Int64N(hi-lo), r.Int64N(1e9))
}

// randomCalendar makes a calendar where about a third of 2026–2027 are holidays,
// with long runs, to stress the week-jumping code.
func randomCalendar(r *rand.Rand) *Calendar {
	var hs []Holiday
	for d := MustParseDate("2026-01-01"); d.Year < 2028; d = d.AddDays(1) {
		if r.IntN(3) == 0 || (d.Month == time.July && d.Year == 2026) {
			hs = append(hs, Holiday{Date: d, Name: "x", Kind: NationalHoliday})
		}
	}
	return New(hs, 2026, 2027)
}

func calendars(r *rand.Rand) map[string]*Calendar {
	return map[string]*Calendar{
		"default 2026":         NewDefault(),
		"no calendar":          New(nil),
		"dense random holiday": randomCalendar(r),
	}
}

func TestWorkingDaysBetweenMatchesDayByDayCount(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for name, c := range calendars(r) {
		for range 2000 {
			a, b := randomInstant(r), randomInstant(r)
			want := naiveBetween(c, DateOf(a), DateOf(b))
			if got := c.WorkingDaysBetween(a, b); got != want {
				t.Fatalf("%s: WorkingDaysBetween(%v, %v) = %d, day-by-day count %d", name, DateOf(a), DateOf(b), got, want)
			}
		}
	}
}

func TestAddWorkingDaysMatchesDayByDayWalk(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for name, c := range calendars(r) {
		for range 2000 {
			d := DateOf(randomInstant(r))
			n := r.IntN(801) - 400
			if r.IntN(2) == 0 {
				n = r.IntN(31) - 15
			}
			want := naiveAdd(c, d, n)
			if got := c.AddWorkingDays(d, n); got != want {
				t.Fatalf("%s: AddWorkingDays(%v, %d) = %v, day-by-day walk %v", name, d, n, got, want)
			}
		}
	}
}

func TestAddWorkingDaysThereAndBackReturnsToAWorkingDay(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for name, c := range calendars(r) {
		for range 1000 {
			d := DateOf(randomInstant(r))
			if !c.IsWorkingDay(d) {
				continue
			}
			n := r.IntN(300) + 1
			there := c.AddWorkingDays(d, n)
			if !c.IsWorkingDay(there) {
				t.Fatalf("%s: AddWorkingDays(%v, %d) = %v is not a working day", name, d, n, there)
			}
			if back := c.AddWorkingDays(there, -n); back != d {
				t.Fatalf("%s: %v +%d = %v, -%d = %v", name, d, n, there, n, back)
			}
		}
	}
}

// TestStepDoneByItsDueTimeTookAtMostNWorkingDays is the property the compliance
// report relies on: a step done on or before its due time took at most n working
// days, and one done exactly at its due time took exactly n.
func TestStepDoneByItsDueTimeTookAtMostNWorkingDays(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for name, c := range calendars(r) {
		for range 5000 {
			start := randomInstant(r)
			n := r.IntN(10) + 1
			due := c.Due(start, n)
			if !due.After(start) {
				t.Fatalf("%s: due %v not after start %v", name, due, start)
			}
			if !c.IsWorkingDay(DateOf(due)) {
				t.Fatalf("%s: due %v is not on a working day", name, InWIB(due))
			}
			if got := c.WorkingDaysBetween(start, due); got != n {
				t.Fatalf("%s: start %v n=%d: WorkingDaysBetween(start, due) = %d", name, InWIB(start), n, got)
			}
			done := start.Add(time.Duration(r.Int64N(int64(due.Sub(start)) + 1)))
			if got := c.WorkingDaysBetween(start, done); got > n {
				t.Fatalf("%s: start %v n=%d done %v (due %v): took %d working days", name,
					InWIB(start), n, InWIB(done), InWIB(due), got)
			}
			if c.Status(due, done) == Late {
				t.Fatalf("%s: done %v by due %v is Late", name, done, due)
			}
			// The first working day after the due day is always over the standard.
			nextWorking := c.AddWorkingDays(DateOf(due), 1).StartWIB()
			if got := c.WorkingDaysBetween(start, nextWorking); got != n+1 {
				t.Fatalf("%s: done on the next working day took %d, want %d", name, got, n+1)
			}
			if c.Status(due, due.Add(time.Nanosecond)) != Late {
				t.Fatalf("%s: not Late just after due", name)
			}
		}
	}
}

// With n = 0 the step is due on the start day if it works, else on the next
// working day, which then counts as one working day taken.
func TestZeroDayStandard(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	c := NewDefault()
	for range 2000 {
		start := randomInstant(r)
		due := c.Due(start, 0)
		want := 0
		if !c.IsWorkingDay(DateOf(start)) {
			want = 1
		}
		if got := c.WorkingDaysBetween(start, due); got != want {
			t.Fatalf("start %v: WorkingDaysBetween(start, Due(start, 0)) = %d, want %d", InWIB(start), got, want)
		}
		if due.Before(start) {
			t.Fatalf("start %v: due %v before start", start, due)
		}
	}
}

func TestHugeStandardsDoNotHang(t *testing.T) {
	c := NewDefault()
	d := MustParseDate("2026-01-02")
	far := c.AddWorkingDays(d, 1<<40)
	if far.Year < 40000 {
		t.Errorf("AddWorkingDays(huge) = %v", far)
	}
	if back := c.AddWorkingDays(d, -(1 << 40)); back.Year > -30000 {
		t.Errorf("AddWorkingDays(-huge) = %v", back)
	}
	// 52 weeks of weekdays in a non-covered span, computed by week jumps.
	if got := c.AddWorkingDays(MustParseDate("2030-01-04"), 260); got != MustParseDate("2031-01-03") {
		t.Errorf("260 working days from Friday 4 Jan 2030 = %v, want 2031-01-03", got)
	}
}
