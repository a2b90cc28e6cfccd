// Package calendar keeps the Office's working-day calendar in the database: the
// years whose decree (SKB 3 Menteri) has been entered and their holidays. The
// admin edits it; every clock of the procedure reads it through Load. The 2026
// calendar ships with the binary and is added on the first start.
package calendar

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/workday"
)

// Store reads and edits the calendar. A Store made by New keeps the calendar
// it last built (see Load); one written as Store{DB: d} builds it every time.
type Store struct {
	DB    *db.DB
	cache *cache
}

// New is a Store that keeps the calendar it built, shared by its copies.
func New(d *db.DB) Store { return Store{DB: d, cache: &cache{}} }

// cache is the calendar as built at a version of calendar_version.
type cache struct {
	mu      sync.Mutex
	version int64
	cal     *workday.Calendar
}

// bump raises the calendar's version, in the transaction of an edit: every
// process's kept calendar is then out of date once the edit is committed.
func bump(ctx context.Context, tx *db.Tx) error {
	_, err := tx.ExecContext(ctx, "UPDATE calendar_version SET version = version + 1 WHERE id = 1")
	return err
}

// Year is a year whose decree has been entered.
type Year struct {
	Year   int
	Decree string
}

// EnsureDefaults adds the calendars that ship with the binary for years the
// database does not cover yet. It never overwrites an admin's edits.
func (s Store) EnsureDefaults(ctx context.Context) error {
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM calendar_years WHERE year = 2026").Scan(&n); err != nil || n > 0 {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO calendar_years (year, decree, updated_at) VALUES (?, ?, ?)", 2026, workday.Decree2026, tx.Now); err != nil {
			return err
		}
		for _, h := range workday.Default2026() {
			if _, err := tx.ExecContext(ctx, "INSERT INTO holidays (day, name, kind, decree, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (day) DO NOTHING",
				h.Date.String(), h.Name, string(h.Kind), h.Decree, tx.Now); err != nil {
				return err
			}
		}
		if err := bump(ctx, tx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "calendar.default", "calendar_year", "2026", "Kalender hari kerja 2026 bawaan ditambahkan", nil, nil)
	})
}

// Load is the working-day calendar, always current: callers load it per
// request, and every process sees an admin's edit at once. A Store made by New
// reads only the calendar's version when it has built the calendar at that
// version already (the calendar is read on most pages, the version is one
// row); else, and for a plain Store, it builds it from the database.
func (s Store) Load(ctx context.Context) (*workday.Calendar, error) {
	if s.cache == nil {
		return s.build(ctx)
	}
	q := s.DB.Q(ctx)
	var v int64
	if err := q.QueryRowContext(ctx, "SELECT version FROM calendar_version WHERE id = 1").Scan(&v); err != nil {
		return nil, err
	}
	c := s.cache
	c.mu.Lock()
	cal, cv := c.cal, c.version
	c.mu.Unlock()
	if cal != nil && cv == v {
		return cal, nil
	}
	// Read after the version: a calendar read so is never older than the
	// version it is kept under (at worst newer, and then built again).
	cal, err := s.build(ctx)
	if err != nil {
		return nil, err
	}
	// Inside a transaction the calendar may hold that transaction's own
	// uncommitted edit, which a rollback would undo: it is not kept.
	if _, inTx := q.(*db.Tx); !inTx {
		c.mu.Lock()
		c.version, c.cal = v, cal
		c.mu.Unlock()
	}
	return cal, nil
}

// build reads the calendar from the database.
func (s Store) build(ctx context.Context) (*workday.Calendar, error) {
	years, err := s.Years(ctx)
	if err != nil {
		return nil, err
	}
	hs, err := s.Holidays(ctx, 0)
	if err != nil {
		return nil, err
	}
	ys := make([]int, len(years))
	for i, y := range years {
		ys[i] = y.Year
	}
	return workday.New(hs, ys...), nil
}

// Years lists the covered years, oldest first.
func (s Store) Years(ctx context.Context) ([]Year, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT year, decree FROM calendar_years ORDER BY year")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Year
	for rows.Next() {
		var y Year
		if err := rows.Scan(&y.Year, &y.Decree); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// Holidays lists the holidays of year (all years when 0), in date order.
func (s Store) Holidays(ctx context.Context, year int) ([]workday.Holiday, error) {
	q := "SELECT day, name, kind, decree FROM holidays"
	var args []any
	if year != 0 {
		q += " WHERE day >= ? AND day < ?"
		args = append(args, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1))
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, q+" ORDER BY day", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []workday.Holiday
	for rows.Next() {
		var day, kind string
		var h workday.Holiday
		if err := rows.Scan(&day, &h.Name, &kind, &h.Decree); err != nil {
			return nil, err
		}
		if h.Date, err = workday.ParseDate(day); err != nil {
			return nil, fmt.Errorf("holiday %q: %w", day, err)
		}
		h.Kind = workday.Kind(kind)
		out = append(out, h)
	}
	return out, rows.Err()
}

// SetYear records that year's decree has been entered (or corrects its name).
func (s Store) SetYear(ctx context.Context, year int, decree string) error {
	decree = strings.TrimSpace(decree)
	var f apperr.Form
	if year < 2000 || year > 2100 {
		f.Addf("year", "Tahun harus antara 2000 dan 2100.", "The year must be between 2000 and 2100.")
	}
	if decree == "" || len([]rune(decree)) > 300 {
		f.Addf("decree", "Sebutkan keputusan yang menjadi dasarnya, misalnya \"SKB 3 Menteri Nomor ... Tahun 2026\".", "Name the decree it comes from, e.g. \"SKB 3 Menteri No. ... of 2026\".")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_years (year, decree, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (year) DO UPDATE SET decree = excluded.decree, updated_at = excluded.updated_at`, year, decree, tx.Now); err != nil {
			return err
		}
		if err := bump(ctx, tx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "calendar.year", "calendar_year", fmt.Sprint(year), fmt.Sprintf("Kalender %d: %s", year, decree), nil, map[string]any{"decree": decree})
	})
}

// HolidayInput is a holiday as typed on the admin page.
type HolidayInput struct {
	Day, Name, Kind, Decree string
}

// SaveHoliday adds a holiday or changes the one on the same day.
func (s Store) SaveHoliday(ctx context.Context, in HolidayInput) (workday.Holiday, error) {
	var f apperr.Form
	d, err := parseDay(in.Day)
	if err != nil {
		f.Addf("day", "Tanggal tidak valid; pilih dari kalender, atau tulis HH-BB-TTTT, misalnya 17-08-2027.", "Not a valid date; pick one from the calendar, or write DD-MM-YYYY, e.g. 17-08-2027.")
	}
	h := workday.Holiday{Date: d, Name: strings.TrimSpace(in.Name), Kind: workday.Kind(in.Kind), Decree: strings.TrimSpace(in.Decree)}
	if h.Name == "" || len([]rune(h.Name)) > 200 {
		f.Addf("name", "Nama hari libur wajib diisi (maksimal 200 karakter).", "The holiday needs a name (200 characters at most).")
	}
	if !h.Kind.Valid() {
		f.Addf("kind", "Pilih jenisnya: libur nasional atau cuti bersama.", "Choose national holiday or collective leave.")
	}
	if h.Decree == "" {
		f.Addf("decree", "Sebutkan keputusan yang menjadi dasarnya.", "Name the decree it comes from.")
	}
	if err := f.Err(); err != nil {
		return workday.Holiday{}, err
	}
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var before *workday.Holiday
		if old, err := s.Holidays(ctx, d.Year); err == nil {
			for _, o := range old {
				if o.Date == d {
					before = &o
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO holidays (day, name, kind, decree, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (day) DO UPDATE SET name = excluded.name, kind = excluded.kind, decree = excluded.decree, updated_at = excluded.updated_at`,
			d.String(), h.Name, string(h.Kind), h.Decree, tx.Now); err != nil {
			return err
		}
		if err := bump(ctx, tx); err != nil {
			return err
		}
		var b any
		if before != nil {
			b = holidaySummary(*before)
		}
		return audit.Record(ctx, tx, "calendar.holiday_save", "holiday", d.String(), "Hari libur disimpan: "+d.String()+" "+h.Name, b, holidaySummary(h))
	})
	return h, err
}

// DeleteHoliday makes day a working day again (unless it is a weekend).
func (s Store) DeleteHoliday(ctx context.Context, day string) error {
	d, err := workday.ParseDate(day)
	if err != nil {
		return apperr.New(apperr.NotFound, "calendar.not_found", "Hari libur tidak ditemukan.", "Holiday not found.")
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM holidays WHERE day = ?", d.String())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "calendar.not_found", "Hari libur tidak ditemukan.", "Holiday not found.")
		}
		if err := bump(ctx, tx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "calendar.holiday_delete", "holiday", d.String(), "Hari libur dihapus: "+d.String(), nil, nil)
	})
}

// parseDay reads a day as a date field sends it (2027-08-17) or as people
// write it (17-08-2027), for browsers that show a plain text field.
func parseDay(s string) (workday.Date, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("02-01-2006", s); err == nil {
		return workday.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, nil
	}
	return workday.ParseDate(s)
}

func holidaySummary(h workday.Holiday) map[string]string {
	return map[string]string{"day": h.Date.String(), "name": h.Name, "kind": string(h.Kind), "decree": h.Decree}
}
