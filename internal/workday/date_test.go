package workday

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDateAndString(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{"2026-03-19", Date{2026, time.March, 19}, false},
		{"2026-12-31", Date{2026, time.December, 31}, false},
		{"2028-02-29", Date{2028, time.February, 29}, false},
		{"2026-02-29", Date{}, true}, // not a leap year
		{"2026-13-01", Date{}, true},
		{"19-03-2026", Date{}, true},
		{"2026-3-19", Date{}, true},
		{"", Date{}, true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseDate(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if !tt.wantErr && got.String() != tt.in {
			t.Errorf("ParseDate(%q).String() = %q", tt.in, got.String())
		}
	}
}

func TestDateOfUsesJakartaTime(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"23:30 UTC is already the next day in WIB", time.Date(2026, 3, 18, 23, 30, 0, 0, time.UTC), "2026-03-19"},
		{"16:59:59 UTC is still the same day in WIB", time.Date(2026, 3, 18, 16, 59, 59, 0, time.UTC), "2026-03-18"},
		{"17:00 UTC is midnight WIB", time.Date(2026, 3, 18, 17, 0, 0, 0, time.UTC), "2026-03-19"},
		{"an instant given in WIB keeps its date", time.Date(2026, 3, 18, 0, 0, 0, 0, WIB), "2026-03-18"},
		{"New Year's Eve 20:00 UTC is New Year's Day in WIB", time.Date(2025, 12, 31, 20, 0, 0, 0, time.UTC), "2026-01-01"},
	}
	for _, tt := range tests {
		if got := DateOf(tt.t).String(); got != tt.want {
			t.Errorf("%s: DateOf(%v) = %s, want %s", tt.name, tt.t, got, tt.want)
		}
	}
}

func TestInWIB(t *testing.T) {
	u := time.Date(2026, 3, 18, 23, 30, 0, 0, time.UTC)
	w := InWIB(u)
	if !w.Equal(u) {
		t.Fatalf("InWIB changed the instant: %v vs %v", w, u)
	}
	if w.Hour() != 6 || w.Day() != 19 {
		t.Errorf("InWIB(%v) = %v, want 06:30 on the 19th", u, w)
	}
	if name, off := w.Zone(); name != "WIB" || off != 7*3600 {
		t.Errorf("zone = %s %d, want WIB 25200", name, off)
	}
}

func TestStartAndEndOfDayInWIB(t *testing.T) {
	d := MustParseDate("2026-03-25")
	if got, want := d.StartWIB(), time.Date(2026, 3, 24, 17, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("StartWIB = %v, want %v", got, want)
	}
	if got, want := d.EndWIB(), time.Date(2026, 3, 25, 16, 59, 59, 999999999, time.UTC); !got.Equal(want) {
		t.Errorf("EndWIB = %v, want %v", got, want)
	}
	if DateOf(d.StartWIB()) != d || DateOf(d.EndWIB()) != d || DateOf(d.EndWIB().Add(time.Nanosecond)) != d.AddDays(1) {
		t.Error("StartWIB/EndWIB do not bound the day exactly")
	}
	// Last day of the year.
	if got, want := MustParseDate("2026-12-31").EndWIB(), time.Date(2027, 1, 1, 0, 0, 0, 0, WIB).Add(-1); !got.Equal(want) {
		t.Errorf("EndWIB(31 Dec) = %v, want %v", got, want)
	}
}

func TestAddDaysAndComparisons(t *testing.T) {
	d := MustParseDate("2026-02-27")
	if got := d.AddDays(2).String(); got != "2026-03-01" {
		t.Errorf("27 Feb + 2 = %s, want 2026-03-01", got)
	}
	if got := d.AddDays(-58).String(); got != "2025-12-31" {
		t.Errorf("27 Feb - 58 = %s, want 2025-12-31", got)
	}
	if got := (Date{2026, time.January, 32}).AddDays(0); got != (Date{2026, time.February, 1}) {
		t.Errorf("AddDays(0) does not normalise: %v", got)
	}
	a, b := MustParseDate("2026-03-19"), MustParseDate("2026-03-20")
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Equal(b) || !a.Equal(a) {
		t.Error("Before/After/Equal wrong for consecutive days")
	}
	if !(Date{2026, time.January, 32}).Equal(MustParseDate("2026-02-01")) {
		t.Error("Equal does not compare normalised dates")
	}
	if !(Date{}).IsZero() || a.IsZero() {
		t.Error("IsZero wrong")
	}
}

func TestWeekdayMatchesTimePackage(t *testing.T) {
	// Across the epoch, negative day numbers and leap years.
	for d := MustParseDate("1960-01-01"); d.Before(MustParseDate("2040-01-01")); d = d.AddDays(13) {
		want := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
		if got := d.Weekday(); got != want {
			t.Fatalf("%v.Weekday() = %v, want %v", d, got, want)
		}
	}
	if got := MustParseDate("2026-03-19").Weekday(); got != time.Thursday {
		t.Errorf("19 Mar 2026 is a %v, want Thursday", got)
	}
}

func TestWeekdayPrefixCountsMondayToFriday(t *testing.T) {
	for n := int64(-800); n < 800; n++ {
		want := int64(0)
		if !isWeekend(n) {
			want = 1
		}
		if got := weekdayPrefix(n) - weekdayPrefix(n-1); got != want {
			t.Fatalf("day %d (%v): prefix step %d, want %d", n, weekdayOf(n), got, want)
		}
	}
}

func TestDateJSONRoundTrip(t *testing.T) {
	in := struct{ D Date }{MustParseDate("2026-08-17")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"D":"2026-08-17"}` {
		t.Errorf("JSON = %s", b)
	}
	var out struct{ D Date }
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("round trip = %v, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"D":"2026-02-30"}`), &out); err == nil {
		t.Error("an impossible date decoded without error")
	}
}
