package workday

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/i18n"
)

// wib returns the instant of a WIB wall-clock time.
func wib(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, WIB)
	if err != nil {
		panic(err)
	}
	return t
}

// endOf returns 23:59:59.999999999 WIB on the date s.
func endOf(s string) time.Time {
	return MustParseDate(s).EndWIB()
}

func TestDefault2026MatchesTheDecree(t *testing.T) {
	national := []string{"01-01", "01-16", "02-17", "03-19", "03-21", "03-22", "04-03", "04-05",
		"05-01", "05-14", "05-27", "05-31", "06-01", "06-16", "08-17", "08-25", "12-25"}
	cuti := []string{"02-16", "03-18", "03-20", "03-23", "03-24", "05-15", "05-28", "12-24"}

	hs := Default2026()
	seen := map[Date]bool{}
	var gotNational, gotCuti []string
	for i, h := range hs {
		if h.Date.Year != 2026 {
			t.Errorf("%v (%s) is not in 2026", h.Date, h.Name)
		}
		if _, err := ParseDate(h.Date.String()); err != nil {
			t.Errorf("%v is not a real date", h.Date)
		}
		if seen[h.Date] {
			t.Errorf("%v listed twice", h.Date)
		}
		seen[h.Date] = true
		if i > 0 && !hs[i-1].Date.Before(h.Date) {
			t.Errorf("%v not in date order", h.Date)
		}
		if h.Name == "" || h.Decree != Decree2026 || !h.Kind.Valid() {
			t.Errorf("%v: incomplete entry %+v", h.Date, h)
		}
		md := h.Date.String()[5:]
		switch h.Kind {
		case NationalHoliday:
			gotNational = append(gotNational, md)
		case CutiBersama:
			gotCuti = append(gotCuti, md)
			if !strings.HasPrefix(h.Name, "Cuti Bersama ") {
				t.Errorf("%v: cuti bersama named %q", h.Date, h.Name)
			}
		}
	}
	if len(gotNational) != 17 || !slices.Equal(gotNational, national) {
		t.Errorf("national holidays = %v (%d), want %v (17)", gotNational, len(gotNational), national)
	}
	slices.Sort(gotCuti)
	if len(gotCuti) != 8 || !slices.Equal(gotCuti, cuti) {
		t.Errorf("cuti bersama = %v (%d), want %v (8)", gotCuti, len(gotCuti), cuti)
	}

	// Spot-check names a user would look for.
	c := NewDefault()
	names := map[string]string{
		"2026-01-01": "Tahun Baru 2026 Masehi",
		"2026-01-16": "Isra Mikraj Nabi Muhammad SAW",
		"2026-02-17": "Tahun Baru Imlek 2577 Kongzili",
		"2026-03-19": "Hari Suci Nyepi Tahun Baru Saka 1948",
		"2026-03-21": "Idul Fitri 1447 Hijriah",
		"2026-03-22": "Idul Fitri 1447 Hijriah",
		"2026-04-05": "Kebangkitan Yesus Kristus (Paskah)",
		"2026-05-27": "Idul Adha 1447 Hijriah",
		"2026-05-31": "Hari Raya Waisak 2570 BE",
		"2026-06-16": "1 Muharam Tahun Baru Islam 1448 Hijriah",
		"2026-08-17": "Hari Proklamasi Kemerdekaan Republik Indonesia",
		"2026-12-24": "Cuti Bersama Kelahiran Yesus Kristus",
		"2026-12-25": "Kelahiran Yesus Kristus",
	}
	for d, want := range names {
		h, ok := c.Holiday(MustParseDate(d))
		if !ok || h.Name != want {
			t.Errorf("Holiday(%s) = %q, %v; want %q", d, h.Name, ok, want)
		}
	}

	// Default2026 returns a fresh slice each call.
	hs[0].Name = "changed"
	if Default2026()[0].Name == "changed" {
		t.Error("Default2026 shares its backing array")
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := NewDefault()
	tests := []struct {
		date string
		want bool
		why  string
	}{
		{"2026-01-01", false, "Tahun Baru, Thursday"},
		{"2026-01-02", true, "ordinary Friday"},
		{"2026-01-03", false, "Saturday"},
		{"2026-01-04", false, "Sunday"},
		{"2026-01-05", true, "ordinary Monday"},
		{"2026-02-16", false, "cuti bersama Imlek, Monday"},
		{"2026-03-17", true, "Tuesday before Nyepi"},
		{"2026-03-18", false, "cuti bersama Nyepi"},
		{"2026-03-19", false, "Nyepi"},
		{"2026-03-20", false, "cuti bersama Idul Fitri"},
		{"2026-03-23", false, "cuti bersama Idul Fitri"},
		{"2026-03-24", false, "cuti bersama Idul Fitri"},
		{"2026-03-25", true, "first working day after Lebaran"},
		{"2026-08-17", false, "Hari Kemerdekaan, Monday"},
		{"2026-12-24", false, "cuti bersama Natal"},
		{"2026-12-25", false, "Natal"},
		{"2026-12-28", true, "Monday after Christmas"},
		{"2027-01-01", true, "no 2027 calendar: weekends only, so a Friday works"},
		{"2027-01-02", false, "no 2027 calendar: Saturday still off"},
		{"2025-12-25", true, "no 2025 calendar: weekends only"},
	}
	for _, tt := range tests {
		if got := c.IsWorkingDay(MustParseDate(tt.date)); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v (%s)", tt.date, got, tt.want, tt.why)
		}
	}
}

func TestDue(t *testing.T) {
	c := NewDefault()
	tests := []struct {
		name  string
		start time.Time
		n     int
		want  time.Time
	}{
		{"Friday start, 1 day: due end of Monday", wib("2026-01-09 10:00"), 1, endOf("2026-01-12")},
		{"Saturday start, 1 day: due end of Monday", wib("2026-01-10 09:00"), 1, endOf("2026-01-12")},
		{"Sunday start, 1 day: due end of Monday", wib("2026-01-11 09:00"), 1, endOf("2026-01-12")},
		{"Monday start, 1 day: due end of Tuesday", wib("2026-01-12 08:00"), 1, endOf("2026-01-13")},
		{"Monday start late at night still counts from Tuesday", wib("2026-01-12 23:59"), 1, endOf("2026-01-13")},
		{"Thursday start, 3 days (curation): Fri, Mon, Tue", wib("2026-07-30 14:00"), 3, endOf("2026-08-04")},
		{"New Year: 31 Dec 2025 start, 1 day skips 1 Jan", wib("2025-12-31 10:00"), 1, endOf("2026-01-02")},
		{"Imlek: Friday 13 Feb, cuti bersama 16 and Imlek 17 skipped", wib("2026-02-13 10:00"), 1, endOf("2026-02-18")},
		// 18 Mar cuti bersama, 19 Nyepi, 20 cuti bersama, 21–22 Sat/Sun and Idul Fitri,
		// 23–24 cuti bersama: the first working day is Wednesday 25 March.
		{"Lebaran: Tuesday 17 Mar, 1 day: due end of Wednesday 25 Mar", wib("2026-03-17 10:00"), 1, endOf("2026-03-25")},
		{"Lebaran: Monday 16 Mar, 2 days: 17 Mar then 25 Mar", wib("2026-03-16 10:00"), 2, endOf("2026-03-25")},
		{"Lebaran: started on Nyepi itself, 1 day", wib("2026-03-19 10:00"), 1, endOf("2026-03-25")},
		{"Kenaikan: Wednesday 13 May, 14 and cuti 15 skipped", wib("2026-05-13 10:00"), 1, endOf("2026-05-18")},
		{"Idul Adha: Tuesday 26 May, 1 day: 27 and cuti 28 skipped", wib("2026-05-26 10:00"), 1, endOf("2026-05-29")},
		{"Idul Adha: Tuesday 26 May, 2 days: Waisak Sunday, Pancasila Monday", wib("2026-05-26 10:00"), 2, endOf("2026-06-02")},
		{"Kemerdekaan: Friday 14 Aug, 1 day skips Monday 17 Aug", wib("2026-08-14 10:00"), 1, endOf("2026-08-18")},
		{"Christmas: Wednesday 23 Dec, 1 day: due end of Monday 28 Dec", wib("2026-12-23 10:00"), 1, endOf("2026-12-28")},
		{"23:30 UTC Thursday is Friday in WIB: due Monday, not Friday",
			time.Date(2026, 1, 8, 23, 30, 0, 0, time.UTC), 1, endOf("2026-01-12")},
		{"16:59 UTC Thursday is still Thursday in WIB: due Friday",
			time.Date(2026, 1, 8, 16, 59, 0, 0, time.UTC), 1, endOf("2026-01-09")},
		{"year with no calendar: 1 Jan 2027 counts (weekends only)", wib("2026-12-31 10:00"), 1, endOf("2027-01-01")},
		{"year with no calendar: Friday 24 Dec 2027, 1 day: Monday 27 Dec", wib("2027-12-24 10:00"), 1, endOf("2027-12-27")},
		{"zero days on a working day: end of the same day", wib("2026-03-17 10:00"), 0, endOf("2026-03-17")},
		{"zero days on a Saturday: end of Monday", wib("2026-01-10 10:00"), 0, endOf("2026-01-12")},
		{"zero days on Nyepi: end of the next working day", wib("2026-03-19 10:00"), 0, endOf("2026-03-25")},
		{"negative days are treated as zero", wib("2026-03-19 10:00"), -3, endOf("2026-03-25")},
	}
	for _, tt := range tests {
		got := c.Due(tt.start, tt.n)
		if !got.Equal(tt.want) {
			t.Errorf("%s: Due(%v, %d) = %v, want %v", tt.name, InWIB(tt.start), tt.n, InWIB(got), tt.want)
		}
	}
}

func TestDueIsTheLastNanosecondOfTheDayInWIB(t *testing.T) {
	due := NewDefault().Due(wib("2026-01-09 10:00"), 1)
	if want := time.Date(2026, 1, 12, 23, 59, 59, 999999999, WIB); !due.Equal(want) {
		t.Errorf("due = %v, want %v", due, want)
	}
	if want := time.Date(2026, 1, 12, 16, 59, 59, 999999999, time.UTC); !due.Equal(want) {
		t.Errorf("due in UTC = %v, want %v", due.UTC(), want)
	}
	if due.Location() != WIB {
		t.Errorf("due is in %v, want WIB", due.Location())
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := NewDefault()
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"zero returns the same date, even a holiday", "2026-03-19", 0, "2026-03-19"},
		{"forward over Lebaran", "2026-03-17", 1, "2026-03-25"},
		{"forward over Christmas", "2026-12-23", 1, "2026-12-28"},
		{"backwards over Lebaran", "2026-03-25", -1, "2026-03-17"},
		{"backwards over Christmas", "2026-12-28", -1, "2026-12-23"},
		{"backwards from Monday lands on Friday", "2026-01-12", -1, "2026-01-09"},
		{"backwards from Saturday lands on Friday", "2026-01-10", -1, "2026-01-09"},
		{"backwards a week", "2026-01-12", -5, "2026-01-05"},
		{"backwards over New Year into uncovered 2025", "2026-01-02", -1, "2025-12-31"},
		{"backwards over Idul Adha, Waisak and Pancasila", "2026-06-02", -2, "2026-05-26"},
		{"a whole year forward: 240 working days in 2026", "2025-12-31", 240, "2026-12-31"},
		{"a whole year backwards", "2026-12-31", -239, "2026-01-02"},
	}
	for _, tt := range tests {
		if got := c.AddWorkingDays(MustParseDate(tt.from), tt.n).String(); got != tt.want {
			t.Errorf("%s: AddWorkingDays(%s, %d) = %s, want %s", tt.name, tt.from, tt.n, got, tt.want)
		}
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := NewDefault()
	tests := []struct {
		name string
		a, b time.Time
		want int
	}{
		{"same day", wib("2026-01-12 08:00"), wib("2026-01-12 17:00"), 0},
		{"done before start", wib("2026-01-12 08:00"), wib("2026-01-09 17:00"), 0},
		{"next day", wib("2026-01-12 08:00"), wib("2026-01-13 08:00"), 1},
		{"Friday to Monday", wib("2026-01-09 16:00"), wib("2026-01-12 09:00"), 1},
		{"Friday to Sunday", wib("2026-01-09 16:00"), wib("2026-01-11 09:00"), 0},
		{"over Lebaran", wib("2026-03-17 10:00"), wib("2026-03-25 10:00"), 1},
		{"over Christmas", wib("2026-12-23 10:00"), wib("2026-12-28 10:00"), 1},
		{"done at 23:30 UTC counts as the next WIB day",
			wib("2026-01-12 08:00"), time.Date(2026, 1, 12, 23, 30, 0, 0, time.UTC), 1},
		// 261 weekdays in 2026 less 21 holidays on weekdays (13 national, 8 cuti bersama).
		{"the whole of 2026", wib("2025-12-31 12:00"), wib("2026-12-31 12:00"), 240},
		{"the whole of 2027, no calendar: 261 weekdays", wib("2026-12-31 12:00"), wib("2027-12-31 12:00"), 261},
	}
	for _, tt := range tests {
		if got := c.WorkingDaysBetween(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: WorkingDaysBetween = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestStatusAroundTheDueTime(t *testing.T) {
	c := NewDefault()
	due := c.Due(wib("2026-12-23 10:00"), 1) // end of Monday 28 Dec
	tests := []struct {
		name string
		now  time.Time
		want Status
	}{
		{"the day the step started", wib("2026-12-23 11:00"), OnTrack},
		{"the evening before the due day", wib("2026-12-27 23:59"), OnTrack},
		{"the last nanosecond before the due day", MustParseDate("2026-12-27").EndWIB(), OnTrack},
		{"midnight starting the due day", MustParseDate("2026-12-28").StartWIB(), DueToday},
		{"the afternoon of the due day, given in UTC", time.Date(2026, 12, 28, 9, 0, 0, 0, time.UTC), DueToday},
		{"exactly at the due time", due, DueToday},
		{"one nanosecond after the due time", due.Add(time.Nanosecond), Late},
		{"17:00 UTC on the due day is already the next WIB day", time.Date(2026, 12, 28, 17, 0, 0, 0, time.UTC), Late},
		{"a week later", wib("2027-01-04 09:00"), Late},
	}
	for _, tt := range tests {
		if got := c.Status(due, tt.now); got != tt.want {
			t.Errorf("%s: Status(%v) = %s, want %s", tt.name, InWIB(tt.now), got, tt.want)
		}
	}
	for _, s := range []Status{OnTrack, DueToday, Late} {
		if tx := s.Text(); tx.ID == "" || tx.EN == "" || tx.ID == string(s) {
			t.Errorf("%s has no label: %+v", s, tx)
		}
	}
}

func TestMissingYearWarning(t *testing.T) {
	def := NewDefault()
	tests := []struct {
		name     string
		cal      *Calendar
		now      time.Time
		wantWarn bool
		years    []int
	}{
		{"June 2026 with the 2026 calendar: nothing to do yet", def, wib("2026-06-15 10:00"), false, nil},
		{"30 September 2026, last minute: not yet", def, wib("2026-09-30 23:59"), false, nil},
		{"1 October 2026 WIB: the 2027 calendar is missing", def, wib("2026-10-01 00:00"), true, []int{2027}},
		{"30 Sep 17:00 UTC is 1 October in WIB", def, time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC), true, []int{2027}},
		{"December 2026", def, wib("2026-12-20 10:00"), true, []int{2027}},
		{"January 2027 with only 2026", def, wib("2027-01-05 10:00"), true, []int{2027}},
		{"a calendar without 2026, in June 2026", New(nil, 2027), wib("2026-06-15 10:00"), true, []int{2026}},
		{"no calendar at all in November 2026", New(nil), wib("2026-11-02 10:00"), true, []int{2026, 2027}},
		{"both years entered, November 2026", New(Default2026(), 2026, 2027), wib("2026-11-02 10:00"), false, nil},
	}
	for _, tt := range tests {
		txt, warn := tt.cal.MissingYearWarning(tt.now)
		if warn != tt.wantWarn {
			t.Errorf("%s: warn = %v, want %v (%q)", tt.name, warn, tt.wantWarn, txt.ID)
			continue
		}
		if got := tt.cal.MissingYears(tt.now); !slices.Equal(got, tt.years) {
			t.Errorf("%s: MissingYears = %v, want %v", tt.name, got, tt.years)
		}
		if !warn {
			if txt != (i18n.Text{}) {
				t.Errorf("%s: text without a warning: %+v", tt.name, txt)
			}
			continue
		}
		if txt.ID == "" || txt.EN == "" {
			t.Errorf("%s: warning missing a language: %+v", tt.name, txt)
		}
		for _, s := range []string{"belum diisi", "Sabtu–Minggu", "SKB 3 Menteri"} {
			if !strings.Contains(txt.ID, s) {
				t.Errorf("%s: %q lacks %q", tt.name, txt.ID, s)
			}
		}
	}

	txt, _ := def.MissingYearWarning(wib("2026-10-01 09:00"))
	wantID := "Kalender hari kerja 2027 belum diisi. Sampai diisi, tenggat dihitung tanpa hari libur " +
		"(hanya Sabtu–Minggu). Tambahkan hari libur nasional dan cuti bersama 2027 sesuai SKB 3 Menteri."
	if txt.ID != wantID {
		t.Errorf("warning = %q\nwant      %q", txt.ID, wantID)
	}
	if !strings.Contains(txt.EN, "2027") || !strings.Contains(txt.EN, "Saturdays and Sundays") {
		t.Errorf("English warning = %q", txt.EN)
	}
	both, _ := New(nil).MissingYearWarning(wib("2026-11-02 10:00"))
	if !strings.Contains(both.ID, "2026 dan 2027") || !strings.Contains(both.EN, "2026 and 2027") {
		t.Errorf("two missing years: %+v", both)
	}
}

func TestNewCopiesItsInputAndResolvesDuplicateDates(t *testing.T) {
	hs := []Holiday{
		{Date: MustParseDate("2027-03-10"), Name: "Cuti Bersama X", Kind: CutiBersama, Decree: "A"},
		{Date: MustParseDate("2027-03-10"), Name: "Hari Raya X", Kind: NationalHoliday, Decree: "B"},
		{Date: MustParseDate("2027-03-10"), Name: "Another", Kind: NationalHoliday, Decree: "C"},
		{Date: Date{2027, time.February, 29}, Name: "Normalised to 1 March", Kind: NationalHoliday},
	}
	c := New(hs, 2027, 2027)
	hs[1].Name = "changed"

	h, ok := c.Holiday(MustParseDate("2027-03-10"))
	if !ok || h.Name != "Hari Raya X" || h.Kind != NationalHoliday {
		t.Errorf("duplicate date: got %+v, want the first national holiday", h)
	}
	if h, ok := c.Holiday(MustParseDate("2027-03-01")); !ok || h.Date != MustParseDate("2027-03-01") {
		t.Errorf("non-normalised date not normalised: %+v %v", h, ok)
	}
	if got := len(c.Holidays()); got != 2 {
		t.Errorf("Holidays() has %d entries, want 2", got)
	}
	if got := c.Years(); !slices.Equal(got, []int{2027}) {
		t.Errorf("Years() = %v, want [2027]", got)
	}
	c.Holidays()[0].Name = "changed"
	if c.Holidays()[0].Name == "changed" {
		t.Error("Holidays() exposes internal state")
	}
	if !c.Covers(2027) || c.Covers(2026) {
		t.Error("Covers wrong")
	}
}

func TestHolidayListedForAnUncoveredYearStillCounts(t *testing.T) {
	// An admin may enter a single known holiday before the decree is in.
	c := New([]Holiday{{Date: MustParseDate("2027-01-01"), Name: "Tahun Baru 2027 Masehi", Kind: NationalHoliday}})
	if c.IsWorkingDay(MustParseDate("2027-01-01")) {
		t.Error("a listed holiday in an uncovered year counted as a working day")
	}
	if c.Covers(2027) {
		t.Error("listing a holiday must not mark its year covered")
	}
}

func TestWeekendHolidayDoesNotCountTwice(t *testing.T) {
	c := NewDefault()
	// Waisak falls on Sunday 31 May: Friday 29 May to Monday 1 June (Pancasila) to Tuesday 2 June.
	if got := c.WorkingDaysBetween(wib("2026-05-29 10:00"), wib("2026-06-02 10:00")); got != 1 {
		t.Errorf("29 May → 2 Jun = %d working days, want 1", got)
	}
	if _, ok := c.Holiday(MustParseDate("2026-05-31")); !ok {
		t.Error("Waisak on a Sunday is still reported by Holiday")
	}
}

func TestKindLabels(t *testing.T) {
	for _, k := range Kinds {
		if !k.Valid() || k.Text().ID == "" || k.Text().EN == "" {
			t.Errorf("kind %q incomplete", k)
		}
	}
	if Kind("libur").Valid() {
		t.Error("unknown kind is valid")
	}
}

func TestCalendarIsSafeForConcurrentUse(t *testing.T) {
	c := NewDefault()
	want := c.Due(wib("2026-03-17 10:00"), 1)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if got := c.Due(wib("2026-03-17 10:00"), 1); !got.Equal(want) {
					t.Errorf("concurrent Due = %v", got)
					return
				}
				c.WorkingDaysBetween(wib("2026-01-01 00:00"), wib("2026-12-31 00:00"))
				c.MissingYearWarning(wib("2026-10-01 00:00"))
			}
		})
	}
	wg.Wait()
}
