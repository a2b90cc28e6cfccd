package calendar_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/calendar"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/workday"
)

func TestDefault2026CalendarIsAddedOnceAndDrivesDueDates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := calendar.Store{DB: d}
		for range 2 {
			if err := s.EnsureDefaults(ctx); err != nil {
				t.Fatal(err)
			}
		}
		hs, err := s.Holidays(ctx, 2026)
		if err != nil || len(hs) != len(workday.Default2026()) {
			t.Fatalf("2026 has %d holidays (%v), want %d", len(hs), err, len(workday.Default2026()))
		}
		cal, err := s.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Submitted Tuesday 17 March 2026 09:00 WIB: Nyepi and Idul Fitri with their
		// cuti bersama push a 1-day step to Wednesday 25 March.
		start := time.Date(2026, 3, 17, 9, 0, 0, 0, workday.WIB)
		if got := workday.DateOf(cal.Due(start, 1)); got.String() != "2026-03-25" {
			t.Fatalf("due %v, want 2026-03-25", got)
		}
		if !cal.Covers(2026) || cal.Covers(2027) {
			t.Fatal("2026 must be covered and 2027 not")
		}
	})
}

func TestAdminEditsHolidaysWithTheirDecreeAndEveryEditIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := calendar.Store{DB: d}
		if _, err := s.SaveHoliday(ctx, calendar.HolidayInput{Day: "2027-01-01", Name: "Tahun Baru 2027 Masehi", Kind: "libur_nasional"}); !apperr.IsKind(err, apperr.Invalid) {
			t.Fatalf("a holiday without its decree: %v", err)
		}
		if _, err := s.SaveHoliday(ctx, calendar.HolidayInput{Day: "2027-02-30", Name: "x", Kind: "libur_nasional", Decree: "d"}); !apperr.IsKind(err, apperr.Invalid) {
			t.Fatalf("30 February: %v", err)
		}
		if err := s.SetYear(ctx, 2027, "SKB 3 Menteri tentang Hari Libur Nasional dan Cuti Bersama Tahun 2027"); err != nil {
			t.Fatal(err)
		}
		in := calendar.HolidayInput{Day: "2027-01-01", Name: "Tahun Baru 2027 Masehi", Kind: "libur_nasional", Decree: "SKB 3 Menteri 2027"}
		if _, err := s.SaveHoliday(ctx, in); err != nil {
			t.Fatal(err)
		}
		in.Name = "Tahun Baru Masehi"
		if _, err := s.SaveHoliday(ctx, in); err != nil {
			t.Fatal(err)
		}
		cal, _ := s.Load(ctx)
		if cal.IsWorkingDay(workday.MustParseDate("2027-01-01")) || !cal.Covers(2027) {
			t.Fatal("1 January 2027 should be a holiday of a covered year")
		}
		if err := s.DeleteHoliday(ctx, "2027-01-01"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteHoliday(ctx, "2027-01-01"); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("deleting twice: %v", err)
		}
		cal, _ = s.Load(ctx)
		if !cal.IsWorkingDay(workday.MustParseDate("2027-01-01")) {
			t.Fatal("the deleted holiday is still a holiday")
		}
		trail, _ := audit.List(ctx, d, audit.Filter{Action: "calendar."})
		if len(trail) != 4 || trail[1].Before == "" {
			t.Fatalf("audit: %+v, want year, save, change (with before), delete", trail)
		}
	})
}

// Two servers on one database each keep the calendar they built: an edit made
// through one shows on the other's next Load, and an edit rolled back shows on
// neither.
func TestKeptCalendarFollowsEveryEditAcrossProcesses(t *testing.T) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dsn, dir := "", t.TempDir()
			if e == db.Postgres {
				dsn = dbtest.PostgresURL(t)
			}
			open := func() *db.DB {
				d, err := db.Open(ctx, dsn, dir, db.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { d.Close() })
				return d
			}
			d1 := open()
			if _, err := d1.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			d2 := open()
			s1, s2 := calendar.New(d1), calendar.New(d2)
			holidayIn := func(ctx context.Context, s calendar.Store, day string) bool {
				t.Helper()
				cal, err := s.Load(ctx)
				if err != nil {
					t.Fatal(err)
				}
				_, ok := cal.Holiday(workday.MustParseDate(day))
				return ok
			}
			holiday := func(s calendar.Store, day string) bool { t.Helper(); return holidayIn(ctx, s, day) }
			if err := s1.EnsureDefaults(ctx); err != nil {
				t.Fatal(err)
			}
			if !holiday(s1, "2026-08-17") || !holiday(s2, "2026-08-17") {
				t.Fatal("17 August 2026 is a holiday of the default calendar")
			}
			in := calendar.HolidayInput{Day: "2026-12-28", Name: "Cuti bersama tambahan", Kind: "cuti_bersama", Decree: "SKB 3 Menteri 2026 (perubahan)"}
			if _, err := s1.SaveHoliday(ctx, in); err != nil {
				t.Fatal(err)
			}
			if !holiday(s2, "2026-12-28") || !holiday(s1, "2026-12-28") {
				t.Fatal("a holiday added by one server is not on the other's calendar")
			}
			if err := s2.DeleteHoliday(ctx, "2026-12-28"); err != nil {
				t.Fatal(err)
			}
			if holiday(s1, "2026-12-28") || holiday(s2, "2026-12-28") {
				t.Fatal("a holiday deleted by one server is still on the other's calendar")
			}
			if err := s2.SetYear(ctx, 2027, "SKB 3 Menteri Tahun 2027"); err != nil {
				t.Fatal(err)
			}
			if cal, _ := s1.Load(ctx); !cal.Covers(2027) {
				t.Fatal("a year entered by one server is not covered on the other's calendar")
			}
			// Inside a transaction that is rolled back, the edit is seen by
			// that transaction alone and kept by no one.
			rollback := errors.New("rolled back")
			err := d1.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
				if _, err := s1.SaveHoliday(ctx, calendar.HolidayInput{Day: "2026-12-29", Name: "x", Kind: "cuti_bersama", Decree: "d"}); err != nil {
					return err
				}
				if !holidayIn(ctx, s1, "2026-12-29") {
					t.Error("the transaction does not see its own edit")
				}
				return rollback
			})
			if !errors.Is(err, rollback) {
				t.Fatal(err)
			}
			if holiday(s1, "2026-12-29") || holiday(s2, "2026-12-29") {
				t.Fatal("a rolled-back holiday is on the calendar")
			}
			in.Day = "2026-12-30"
			if _, err := s2.SaveHoliday(ctx, in); err != nil {
				t.Fatal(err)
			}
			if !holiday(s1, "2026-12-30") || holiday(s1, "2026-12-29") {
				t.Fatal("after a rollback and another edit, the calendar is not the committed one")
			}
		})
	}
}
