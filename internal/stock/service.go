package stock

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/workday"
)

// Service is the stock capability: items, locations, terms and the ledger.
type Service struct {
	DB           *db.DB
	Applications *application.Service
	Accounts     *account.Service // the owners its notices go to
}

// ManagesStock says who makes items, receives and moves stock: gallery staff.
func ManagesStock(u account.User) bool { return u.Role == role.StafGaleri }

// SeesStock says who reads the stock of every SME: the Office's staff.
func SeesStock(u account.User) bool { return u.Role.IsStaff() }

var errRole = apperr.New(apperr.Forbidden, "stock.role", "Hanya staf galeri yang mengelola barang dan stok.", "Only gallery staff manage items and stock.")
var errNotFound = apperr.New(apperr.NotFound, "stock.not_found", "Tidak ditemukan.", "Not found.")

// Location is a place stock is kept.
type Location struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Kind     string `json:"kind"` // gallery, outlet, event
	Address  string `json:"address,omitempty"`
	StartsOn string `json:"starts_on,omitempty"`
	EndsOn   string `json:"ends_on,omitempty"`
	Active   bool   `json:"active"`
}

// GalleryCode is the code of the location every database starts with.
const GalleryCode = "GALERI"

// EnsureDefaults creates the gallery's own location on a fresh database.
func (s *Service) EnsureDefaults(ctx context.Context) error {
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO stock_locations (code, name, kind, address, created_at) VALUES (?, ?, 'gallery', ?, ?) ON CONFLICT (code) DO NOTHING`,
			GalleryCode, "Galeri UMKM Jawa Timur", "Jl. Juanda No. 22, Surabaya", tx.Now)
		return err
	})
}

// LocationInput is a new location as the form gives it.
type LocationInput struct{ Code, Name, Kind, Address, StartsOn, EndsOn string }

// CreateLocation adds an outlet or an event stand.
func (s *Service) CreateLocation(ctx context.Context, u account.User, in LocationInput) (Location, error) {
	if !ManagesStock(u) {
		return Location{}, errRole
	}
	var f apperr.Form
	code := strings.ToUpper(strings.TrimSpace(in.Code))
	if code == "" || len(code) > 30 || strings.ContainsAny(code, " \t") {
		f.Addf("code", "Kode lokasi: 1–30 huruf/angka tanpa spasi, misalnya PAMERAN-JTF.", "Location code: 1–30 letters or digits without spaces, e.g. PAMERAN-JTF.")
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || len([]rune(name)) > 200 {
		f.Addf("name", "Isi nama lokasi.", "Enter the location's name.")
	}
	if in.Kind != "outlet" && in.Kind != "event" && in.Kind != "gallery" {
		f.Addf("kind", "Pilih jenis lokasi.", "Choose the kind of location.")
	}
	for _, x := range []struct{ field, v string }{{"starts_on", in.StartsOn}, {"ends_on", in.EndsOn}} {
		if v := strings.TrimSpace(x.v); v != "" {
			if _, err := workday.ParseDate(v); err != nil {
				f.Addf(x.field, "Tanggal tidak valid; pilih dari kalender.", "Not a valid date; pick one from the calendar.")
			}
		}
	}
	if err := f.Err(); err != nil {
		return Location{}, err
	}
	l := Location{Code: code, Name: name, Kind: in.Kind, Address: strings.TrimSpace(in.Address), StartsOn: strings.TrimSpace(in.StartsOn), EndsOn: strings.TrimSpace(in.EndsOn), Active: true}
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO stock_locations (code, name, kind, address, starts_on, ends_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			l.Code, l.Name, l.Kind, l.Address, l.StartsOn, l.EndsOn, tx.Now).Scan(&l.ID)
		if db.IsUniqueViolation(err) {
			return apperr.InvalidField("stock.location_code", "code", apperrText("Kode lokasi ini sudah dipakai.", "This location code is taken."))
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, "stock.location_create", "stock_location", fmt.Sprint(l.ID), "Lokasi stok: "+l.Name, nil, l)
	})
	return l, err
}

// Locations lists the locations, the gallery first.
func (s *Service) Locations(ctx context.Context) ([]Location, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT id, code, name, kind, address, starts_on, ends_on, active FROM stock_locations
		ORDER BY CASE kind WHEN 'gallery' THEN 0 ELSE 1 END, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Location
	for rows.Next() {
		var l Location
		if err := rows.Scan(&l.ID, &l.Code, &l.Name, &l.Kind, &l.Address, &l.StartsOn, &l.EndsOn, &l.Active); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Location returns one location.
func (s *Service) Location(ctx context.Context, id int64) (Location, error) {
	var l Location
	err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT id, code, name, kind, address, starts_on, ends_on, active FROM stock_locations WHERE id = ?`, id).
		Scan(&l.ID, &l.Code, &l.Name, &l.Kind, &l.Address, &l.StartsOn, &l.EndsOn, &l.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return l, errNotFound
	}
	return l, err
}

// Gallery returns the gallery's own location.
func (s *Service) Gallery(ctx context.Context) (Location, error) {
	var id int64
	if err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT id FROM stock_locations WHERE code = ?", GalleryCode).Scan(&id); err != nil {
		return Location{}, err
	}
	return s.Location(ctx, id)
}

// Terms is an SME's consignment agreement.
type Terms struct {
	BusinessID      int64  `json:"business_id"`
	StartsOn        string `json:"starts_on"`
	EndsOn          string `json:"ends_on"`
	ShareBP         int    `json:"share_bp"` // the gallery's share in basis points (1500 = 15 %)
	ConsignmentDays int    `json:"consignment_days"`
}

// TermsInput is the agreement as the form gives it; Share is a percentage ("15", "12,5").
type TermsInput struct{ StartsOn, EndsOn, Share, ConsignmentDays string }

// ParseShare reads a percentage of 0 to 100 with at most two decimals ("15",
// "12,5", "12.5 %") as basis points.
func ParseShare(s string) (int, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	s = strings.ReplaceAll(s, ",", ".")
	if s == "" {
		return 0, false
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, false
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, err1 := strconv.Atoi(whole)
	f, err2 := strconv.Atoi(frac)
	if err1 != nil || err2 != nil || w < 0 || f < 0 {
		return 0, false
	}
	bp := w*100 + f
	return bp, bp <= 10000
}

// FormatShare writes basis points as a percentage: 1500 → "15 %", 1250 → "12,5 %".
func FormatShare(bp int) string {
	s := strconv.Itoa(bp / 100)
	if r := bp % 100; r != 0 {
		s += strings.TrimRight(fmt.Sprintf(",%02d", r), "0")
	}
	return s + " %"
}

// SetTerms records an SME's consignment agreement.
func (s *Service) SetTerms(ctx context.Context, u account.User, businessID int64, in TermsInput) (Terms, error) {
	if !ManagesStock(u) {
		return Terms{}, errRole
	}
	var f apperr.Form
	t := Terms{BusinessID: businessID, StartsOn: strings.TrimSpace(in.StartsOn), EndsOn: strings.TrimSpace(in.EndsOn)}
	start, err1 := workday.ParseDate(t.StartsOn)
	end, err2 := workday.ParseDate(t.EndsOn)
	if err1 != nil {
		f.Addf("starts_on", "Tanggal mulai perjanjian tidak valid.", "The agreement's start date is not valid.")
	}
	if err2 != nil {
		f.Addf("ends_on", "Tanggal akhir perjanjian tidak valid.", "The agreement's end date is not valid.")
	} else if err1 == nil && end.Before(start) {
		f.Addf("ends_on", "Tanggal akhir sebelum tanggal mulai.", "The end date is before the start date.")
	}
	var ok bool
	if t.ShareBP, ok = ParseShare(in.Share); !ok {
		f.Addf("share", "Bagian galeri: persen 0 sampai 100, misalnya 15 atau 12,5.", "The gallery's share: a percentage from 0 to 100, e.g. 15 or 12.5.")
	}
	if d, err := strconv.Atoi(strings.TrimSpace(in.ConsignmentDays)); err != nil || d < 1 || d > 3650 {
		f.Addf("consignment_days", "Masa konsinyasi dalam hari: 1 sampai 3.650.", "Consignment period in days: 1 to 3,650.")
	} else {
		t.ConsignmentDays = d
	}
	if err := f.Err(); err != nil {
		return Terms{}, err
	}
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO consignment_terms (business_id, starts_on, ends_on, share_bp, consignment_days, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (business_id) DO UPDATE SET starts_on = excluded.starts_on, ends_on = excluded.ends_on,
			share_bp = excluded.share_bp, consignment_days = excluded.consignment_days, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			businessID, t.StartsOn, t.EndsOn, t.ShareBP, t.ConsignmentDays, u.ID, tx.Now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "stock.terms_set", "business", fmt.Sprint(businessID),
			fmt.Sprintf("Perjanjian konsinyasi %s s.d. %s, bagian galeri %s, masa konsinyasi %d hari", t.StartsOn, t.EndsOn, FormatShare(t.ShareBP), t.ConsignmentDays), nil, t)
	})
	return t, err
}

// TermsOf returns the SME's agreement; ok is false when none is recorded.
func (s *Service) TermsOf(ctx context.Context, businessID int64) (t Terms, ok bool, err error) {
	err = s.DB.Q(ctx).QueryRowContext(ctx, "SELECT business_id, starts_on, ends_on, share_bp, consignment_days FROM consignment_terms WHERE business_id = ?", businessID).
		Scan(&t.BusinessID, &t.StartsOn, &t.EndsOn, &t.ShareBP, &t.ConsignmentDays)
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, nil
	}
	return t, err == nil, err
}

// DefaultConsignmentDays is the consignment period when an SME has no terms.
const DefaultConsignmentDays = 90

// ShareOf is the gallery's share of an item: its own setting, else the SME's
// terms, else zero.
func ShareOf(itemBP *int, terms *Terms) int {
	if itemBP != nil {
		return *itemBP
	}
	if terms != nil {
		return terms.ShareBP
	}
	return 0
}

// SlowSeller is the slow-seller rule: an item with stock on hand that has not
// sold for days days (counted from its last sale, or from when its stock
// first arrived if it never sold) is proposed for return.
func SlowSeller(lastSale, firstReceived time.Time, now time.Time, days int) bool {
	since := lastSale
	if since.IsZero() {
		since = firstReceived
	}
	if since.IsZero() {
		return false
	}
	return workday.DateOf(now).AddDays(-days).After(workday.DateOf(since)) || workday.DateOf(now).AddDays(-days).Equal(workday.DateOf(since))
}

// DueBack says whether stock received on received has outstayed the
// consignment period and is due back to the SME.
func DueBack(received time.Time, now time.Time, consignmentDays int) bool {
	return !workday.DateOf(received).AddDays(consignmentDays).After(workday.DateOf(now))
}

func apperrText(id, en string) i18n.Text { return i18n.Text{ID: id, EN: en} }

// parseRupiah reads a price: a positive amount of Rupiah.
func parseRupiah(s string) (int64, bool) {
	n, err := idn.ParseRupiah(strings.TrimSpace(s))
	return n, err == nil && n >= 0
}
