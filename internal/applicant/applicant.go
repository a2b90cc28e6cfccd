// Package applicant is the SME's side of the online form (SOP step 2): the
// business profile — with the owner's NIK sealed at rest — and its products. A
// profile may be saved half-filled as a draft; what a submission needs is checked
// by Completeness, and each identifier is checked by internal/idn as it is typed.
package applicant

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
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/vault"
)

// Service keeps businesses and products. Every method that changes or reveals
// something takes the actor and checks them against internal/policy itself.
type Service struct {
	DB           *db.DB
	Vault        *vault.Vault
	Applications *application.Service // what an application under review is judged on cannot change freely
}

// now is the time for checks that depend on the date (a P-IRT's expiry).
func (s *Service) now(ctx context.Context) time.Time { return s.DB.Clock(ctx) }

// Business is an applicant's business profile.
type Business struct {
	ID           int64     `json:"id"`
	OwnerID      int64     `json:"owner_id"`
	Name         string    `json:"name"`
	OwnerName    string    `json:"owner_name"`
	NIKMasked    string    `json:"nik_masked"` // never the full NIK: see RevealNIK
	NIB          string    `json:"nib"`
	Address      string    `json:"address"`
	ProvinceCode string    `json:"province_code"`
	RegencyCode  string    `json:"regency_code"`
	WhatsApp     string    `json:"whatsapp"` // E.164
	Email        string    `json:"email"`
	Category     string    `json:"category"`
	Size         string    `json:"size"` // idn.BusinessSize code: mikro, kecil, menengah, besar
	YearStarted  int       `json:"year_started,omitempty"`
	Links        string    `json:"links,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// RegionName is "Kota Surabaya, Jawa Timur" or as much of it as is known.
func (b Business) RegionName() string {
	var parts []string
	if r, ok := idn.Regency(b.RegencyCode); ok {
		parts = append(parts, r.Name)
	}
	if p, ok := idn.Province(b.ProvinceCode); ok {
		parts = append(parts, p.Name)
	}
	return strings.Join(parts, ", ")
}

// Categories of products offered on the form; the gallery sells mostly food.
var Categories = []string{"Makanan", "Minuman", "Kerajinan", "Fesyen", "Batik dan tenun", "Kosmetik dan perawatan", "Herbal dan jamu", "Lainnya"}

// IsFood reports whether products of category are food or drink, which need a
// P-IRT or a BPOM registration to be sold.
func IsFood(category string) bool {
	return category == "Makanan" || category == "Minuman" || category == "Herbal dan jamu"
}

// ErrNotFound is the answer for a business that does not exist or is not the
// asker's to see: an applicant must not learn which ids exist.
var ErrNotFound = apperr.New(apperr.NotFound, "applicant.not_found", "Data usaha tidak ditemukan.", "Business not found.")

var errForbidden = apperr.New(apperr.Forbidden, "applicant.forbidden", "Peran Anda tidak berhak membuka data usaha ini.", "Your role may not open this business.")

const businessColumns = `id, owner_id, name, owner_name, nik_masked, nib, address, province_code, regency_code, whatsapp, email,
	category, size, COALESCE(year_started, 0), links, created_at, updated_at`

func scanBusiness(row interface{ Scan(...any) error }) (Business, error) {
	var b Business
	err := row.Scan(&b.ID, &b.OwnerID, &b.Name, &b.OwnerName, &b.NIKMasked, &b.NIB, &b.Address, &b.ProvinceCode, &b.RegencyCode,
		&b.WhatsApp, &b.Email, &b.Category, &b.Size, &b.YearStarted, &b.Links, &b.CreatedAt, &b.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Business{}, ErrNotFound
	}
	return b, err
}

// Get returns a business by id.
func (s *Service) Get(ctx context.Context, id int64) (Business, error) {
	return scanBusiness(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+businessColumns+" FROM businesses WHERE id = ?", id))
}

// GetFor returns the business with id if u may read it (policy.ViewsBusiness);
// a refusal is audited.
func (s *Service) GetFor(ctx context.Context, u account.User, id int64) (Business, error) {
	b, err := s.Get(ctx, id)
	if err == nil && !policy.ViewsBusiness(u, b.OwnerID) {
		return Business{}, s.Applications.Deny(ctx, u, "business", id, ErrNotFound, errForbidden)
	}
	return b, err
}

// ForEdit returns the business with id if u may change it (policy.EditsBusiness);
// a refusal is audited.
func (s *Service) ForEdit(ctx context.Context, u account.User, id int64) (Business, error) {
	b, err := s.Get(ctx, id)
	if errors.Is(err, ErrNotFound) && policy.HidesExistence(u) {
		// Audited like a business that is not theirs, so the two cost alike.
		return Business{}, s.Applications.Deny(ctx, u, "business", id, ErrNotFound, ErrNotFound)
	}
	if err == nil && !policy.EditsBusiness(u, b.OwnerID) {
		return Business{}, s.Applications.Deny(ctx, u, "business", id, ErrNotFound, errForbidden)
	}
	return b, err
}

// ByOwner returns the business of an applicant account.
func (s *Service) ByOwner(ctx context.Context, ownerID int64) (Business, error) {
	return scanBusiness(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+businessColumns+" FROM businesses WHERE owner_id = ?", ownerID))
}

// BusinessInput is the business part of the form as typed. An empty NIK keeps
// the one on file (the form never shows it back).
type BusinessInput struct {
	Name, OwnerName, NIK, NIB, Address, ProvinceCode, RegencyCode string
	WhatsApp, Email, Category, Size, YearStarted, Links           string
	// Reason is why gallery staff change the NIK or NIB of a business whose
	// application is under review (written into its history).
	Reason string
}

// checked is a BusinessInput after validation.
type checked struct {
	in        BusinessInput
	nikDigits string
	nikMasked string
	year      any
}

func problemText(err error) (i18n.Text, bool) {
	var p *idn.Problem
	if errors.As(err, &p) {
		return p.Text, true
	}
	return i18n.Text{}, false
}

func (s *Service) checkBusiness(ctx context.Context, in BusinessInput) (checked, []idn.Problem, error) {
	var f apperr.Form
	var warnings []idn.Problem
	trim := func(p *string, max int, field string) {
		*p = strings.TrimSpace(*p)
		if len([]rune(*p)) > max {
			f.Addf(field, fmt.Sprintf("Terlalu panjang (maksimal %d karakter).", max), fmt.Sprintf("Too long (%d characters at most).", max))
		}
	}
	trim(&in.Name, 200, "name")
	trim(&in.OwnerName, 200, "owner_name")
	trim(&in.Address, 500, "address")
	trim(&in.Category, 100, "category")
	trim(&in.Links, 2000, "links")
	c := checked{in: in}
	if nik := strings.TrimSpace(in.NIK); nik != "" {
		n, w, err := idn.ParseNIK(nik)
		if t, ok := problemText(err); ok {
			f.Add("nik", t)
		} else if err != nil {
			return c, nil, err
		} else {
			c.nikDigits, c.nikMasked = n.Digits, n.Masked()
			warnings = append(warnings, w...)
		}
	}
	if v := strings.TrimSpace(in.NIB); v != "" {
		n, err := idn.ParseNIB(v)
		if t, ok := problemText(err); ok {
			f.Add("nib", t)
		} else {
			c.in.NIB = n.String()
		}
	}
	if v := strings.TrimSpace(in.ProvinceCode); v != "" {
		if _, ok := idn.Province(v); !ok {
			f.Addf("province_code", "Pilih provinsi dari daftar.", "Choose a province from the list.")
		}
	}
	if v := strings.TrimSpace(in.RegencyCode); v != "" {
		r, ok := idn.Regency(v)
		switch {
		case !ok && in.ProvinceCode == idn.EastJava:
			f.Addf("regency_code", "Pilih kabupaten/kota dari daftar.", "Choose a regency/city from the list.")
		case ok && in.ProvinceCode != "" && r.ProvinceCode != in.ProvinceCode:
			f.Addf("regency_code", "Kabupaten/kota ini tidak berada di provinsi yang dipilih.", "This regency/city is not in the chosen province.")
		}
	}
	if v := strings.TrimSpace(in.WhatsApp); v != "" {
		p, err := idn.ParsePhone(v)
		if t, ok := problemText(err); ok {
			f.Add("whatsapp", t)
		} else if err == nil {
			c.in.WhatsApp = p.E164
			if !p.Mobile {
				f.Addf("whatsapp", "Ini nomor telepon rumah/kantor; isi nomor ponsel yang memakai WhatsApp.", "This is a landline; enter the mobile number that uses WhatsApp.")
			}
		}
	}
	if v := strings.TrimSpace(in.Email); v != "" {
		if e, ok := account.NormalizeEmail(v); ok {
			c.in.Email = e
		} else {
			f.Addf("email", "Alamat e-mail tidak valid, contoh: nama@contoh.id.", "Not a valid e-mail address, e.g. name@example.id.")
		}
	}
	if v := strings.TrimSpace(in.Size); v != "" {
		if _, ok := idn.ParseBusinessSize(v); !ok {
			f.Addf("size", "Pilih skala usaha dari daftar.", "Choose a business size from the list.")
		}
	}
	if v := strings.TrimSpace(in.YearStarted); v != "" {
		y, err := strconv.Atoi(v)
		if year := s.now(ctx).Year(); err != nil || y < 1900 || y > year {
			f.Addf("year_started", fmt.Sprintf("Tahun mulai usaha: 4 angka, antara 1900 dan %d.", year), fmt.Sprintf("Year started: 4 digits, between 1900 and %d.", year))
		} else {
			c.year = y
		}
	}
	return c, warnings, f.Err()
}

// Save creates or updates, as u, the business of the applicant ownerID from
// the form. Bad values are refused field by field and nothing is saved;
// suspicious ones come back as warnings (a NIK already on another business, a
// birth date that cannot be). While the business's application is under review
// its NIK and NIB are fixed for the applicant, and gallery staff must give a
// reason to change them.
func (s *Service) Save(ctx context.Context, u account.User, ownerID int64, in BusinessInput) (Business, []idn.Problem, error) {
	if !policy.EditsBusiness(u, ownerID) {
		return Business{}, nil, s.Applications.Deny(ctx, u, "business.owner", ownerID, ErrNotFound, errForbidden)
	}
	c, warnings, err := s.checkBusiness(ctx, in)
	if err != nil {
		return Business{}, nil, err
	}
	var b Business
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		before, err := s.ByOwner(ctx, ownerID)
		exists := err == nil
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if exists {
			if err := s.amendIdentity(ctx, tx, u, before, c, in.Reason); err != nil {
				return err
			}
		} else {
			if err := tx.QueryRowContext(ctx, "INSERT INTO businesses (owner_id, created_at, updated_at) VALUES (?, ?, ?) RETURNING id", ownerID, tx.Now, tx.Now).Scan(&before.ID); err != nil {
				return err
			}
		}
		in := c.in
		if _, err := tx.ExecContext(ctx, `UPDATE businesses SET name = ?, owner_name = ?, nib = ?, address = ?, province_code = ?, regency_code = ?,
			whatsapp = ?, email = ?, category = ?, size = ?, year_started = ?, links = ?, updated_at = ? WHERE id = ?`,
			in.Name, in.OwnerName, in.NIB, in.Address, strings.TrimSpace(in.ProvinceCode), strings.TrimSpace(in.RegencyCode),
			in.WhatsApp, in.Email, in.Category, strings.TrimSpace(in.Size), c.year, in.Links, tx.Now, before.ID); err != nil {
			return err
		}
		if c.nikDigits != "" {
			hash := s.Vault.Hash("nik", c.nikDigits)
			if _, err := tx.ExecContext(ctx, "UPDATE businesses SET nik_sealed = ?, nik_hash = ?, nik_masked = ? WHERE id = ?",
				s.Vault.Seal([]byte(c.nikDigits), nikContext(before.ID)), hash, c.nikMasked, before.ID); err != nil {
				return err
			}
			var others int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM businesses WHERE nik_hash = ? AND id <> ?", hash, before.ID).Scan(&others); err != nil {
				return err
			}
			// Only staff are told at once; everyone else could use the form to
			// learn which NIKs the Office holds. Staff see it later on the
			// business's page (NIKShared).
			if others > 0 && policy.SeesDuplicateNIK(u) {
				warnings = append(warnings, idn.Problem{Code: "nik.duplicate", Text: i18n.Text{
					ID: "NIK ini sudah tercatat pada usaha lain. Periksa apakah pemiliknya sama.",
					EN: "This NIK is already recorded for another business. Check whether the owner is the same."}})
			}
		}
		if b, err = s.Get(ctx, before.ID); err != nil {
			return err
		}
		action := "business.update"
		var beforeSummary any
		if !exists {
			action = "business.create"
		} else {
			beforeSummary = summary(before)
		}
		return audit.Record(ctx, tx, action, "business", fmt.Sprint(b.ID), "Data usaha disimpan: "+b.Name, beforeSummary, summary(b))
	})
	return b, warnings, err
}

// amendIdentity asks the engine before the NIK or NIB of a business changes:
// they are what an application under review was judged on.
func (s *Service) amendIdentity(ctx context.Context, tx *db.Tx, u account.User, before Business, c checked, reason string) error {
	var what []string
	if c.nikDigits != "" {
		var hash sql.NullString
		if err := tx.QueryRowContext(ctx, "SELECT nik_hash FROM businesses WHERE id = ?", before.ID).Scan(&hash); err != nil {
			return err
		}
		if hash.String != s.Vault.Hash("nik", c.nikDigits) {
			what = append(what, "NIK")
		}
	}
	if c.in.NIB != before.NIB {
		what = append(what, "NIB")
	}
	if len(what) == 0 {
		return nil
	}
	w := strings.Join(what, ", ")
	return s.Applications.Amend(ctx, tx, u, application.Change{BusinessID: before.ID, What: i18n.Text{ID: w, EN: w}, Reason: reason})
}

// NIKShared returns, for the staff who verify identities, on how many other
// businesses the NIK of businessID is recorded too (0 for everyone else).
func (s *Service) NIKShared(ctx context.Context, u account.User, businessID int64) (int, error) {
	if !policy.SeesDuplicateNIK(u) {
		return 0, nil
	}
	var n int
	err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM businesses o JOIN businesses b ON b.nik_hash = o.nik_hash
		WHERE b.id = ? AND o.id <> b.id`, businessID).Scan(&n)
	return n, err
}

// CheckKey reports whether the vault's key opens the sealed NIKs: it opens
// one, or answers nil when there is none.
func (s *Service) CheckKey(ctx context.Context) error {
	var id int64
	var sealed []byte
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT id, nik_sealed FROM businesses WHERE nik_sealed IS NOT NULL ORDER BY id LIMIT 1").Scan(&id, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = s.Vault.Open(sealed, nikContext(id))
	return err
}

// nikContext binds a sealed NIK to its row.
func nikContext(businessID int64) string { return fmt.Sprintf("business.nik:%d", businessID) }

// summary is what the audit trail keeps of a business: never the NIK itself.
func summary(b Business) map[string]any {
	return map[string]any{"name": b.Name, "owner_name": b.OwnerName, "nik": b.NIKMasked, "nib": b.NIB, "regency": b.RegencyCode,
		"whatsapp": b.WhatsApp, "email": b.Email, "size": b.Size}
}

// RevealNIK returns the full NIK for the staff who verify identities, and logs
// that they saw it.
func (s *Service) RevealNIK(ctx context.Context, u account.User, businessID int64) (string, error) {
	b, err := s.Get(ctx, businessID)
	if err != nil {
		return "", err
	}
	if !policy.SeesFullNIK(u, b.OwnerID) {
		return "", s.Applications.Deny(ctx, u, "business.nik", businessID, ErrNotFound,
			apperr.New(apperr.Forbidden, "applicant.nik_forbidden", "Hanya petugas galeri yang memverifikasi yang dapat melihat NIK lengkap.", "Only the gallery staff who verify identities may see the full NIK."))
	}
	var sealed []byte
	if err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT nik_sealed FROM businesses WHERE id = ?", businessID).Scan(&sealed); err != nil {
		return "", err
	}
	if len(sealed) == 0 {
		return "", nil
	}
	plain, err := s.Vault.Open(sealed, nikContext(businessID))
	if err != nil {
		return "", err
	}
	return string(plain), audit.Write(ctx, s.DB, "business.nik_view", "business", fmt.Sprint(businessID), "NIK lengkap dilihat")
}

// BusinessFields names the profile's fields as the form labels them, for
// telling the applicant what is missing.
var BusinessFields = map[string]i18n.Text{
	"name":          {ID: "nama usaha", EN: "business name"},
	"owner_name":    {ID: "nama pemilik (sesuai KTP)", EN: "owner's name (as on the KTP)"},
	"nik":           {ID: "NIK pemilik", EN: "owner's NIK"},
	"nib":           {ID: "NIB", EN: "NIB (business number)"},
	"address":       {ID: "alamat usaha", EN: "business address"},
	"province_code": {ID: "provinsi", EN: "province"},
	"regency_code":  {ID: "kabupaten/kota", EN: "regency/city"},
	"whatsapp":      {ID: "nomor WhatsApp atau e-mail", EN: "WhatsApp number or e-mail"},
	"category":      {ID: "kategori usaha", EN: "business category"},
	"size":          {ID: "skala usaha", EN: "business size"},
}

// Completeness lists what the business profile still lacks for a submission,
// each with the field it is ("business.nib") and its name.
func Completeness(b Business, hasNIK bool) []sop.Missing {
	var missing []sop.Missing
	for _, f := range []struct {
		name string
		ok   bool
	}{
		{"name", b.Name != ""}, {"owner_name", b.OwnerName != ""}, {"nik", hasNIK}, {"nib", b.NIB != ""},
		{"address", b.Address != ""}, {"province_code", b.ProvinceCode != ""}, {"regency_code", b.RegencyCode != "" || b.ProvinceCode != idn.EastJava},
		{"whatsapp", b.WhatsApp != "" || b.Email != ""}, {"category", b.Category != ""}, {"size", b.Size != ""},
	} {
		if !f.ok {
			missing = append(missing, sop.Missing{Field: "business." + f.name, Name: BusinessFields[f.name]})
		}
	}
	return missing
}

// HasNIK reports whether a NIK is on file for the business.
func (s *Service) HasNIK(ctx context.Context, businessID int64) (bool, error) {
	var n int
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM businesses WHERE id = ? AND nik_sealed IS NOT NULL", businessID).Scan(&n)
	return n > 0, err
}

// ContactMasked is b as those who judge products or read reports see it
// (policy.SeesContact): the phone number and e-mail masked, the street
// address left out (the regency stays).
func (b Business) ContactMasked() Business {
	if p, err := idn.ParsePhone(b.WhatsApp); err == nil {
		b.WhatsApp = p.Masked()
	} else if b.WhatsApp != "" {
		b.WhatsApp = "•••"
	}
	b.Email = maskEmail(b.Email)
	if b.Address != "" {
		b.Address = "•••"
	}
	return b
}

// maskEmail keeps the first letter and the domain: s•••@demo.etalase.id.
func maskEmail(e string) string {
	at := strings.LastIndexByte(e, '@')
	if at < 1 {
		return ""
	}
	return e[:1] + "•••" + e[at:]
}
