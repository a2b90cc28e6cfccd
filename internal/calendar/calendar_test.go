package calendar_test

import (
	"context"
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
