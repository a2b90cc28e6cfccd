// Package settings keeps the few values an admin sets for the whole Office, such as
// who the data-protection officer is. Values are text; each change is audited.
package settings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
)

// Keys of known settings.
const (
	DPOName    = "privacy.dpo_name" // Pejabat Pelindungan Data Pribadi (UU PDP art. 53)
	DPOEmail   = "privacy.dpo_email"
	DPOPhone   = "privacy.dpo_phone"
	OfficeName = "office.name"
	// Where and how applicants hand over their samples (SOP step 3): shown to
	// them while their application awaits the samples.
	GalleryAddress = "gallery.address"
	GalleryHours   = "gallery.hours"
	GalleryContact = "gallery.contact"
	SampleQuantity = "gallery.sample_quantity"
	// How much one business may store: uploads are kept for years, and an
	// account must not be able to fill the Office's disk.
	DocumentMaxFiles = "documents.max_files"
	DocumentMaxMB    = "documents.max_mb"

	// Curation (SOP step 4): how many reviewers of each kind every application
	// needs before its result is combined, and whether reviews are blind (a
	// reviewer sees the others' scores only after submitting their own).
	CurationStaffReviewers  = "curation.staff_reviewers"
	CurationExpertReviewers = "curation.expert_reviewers"
	CurationBlind           = "curation.blind"
)

// Defaults are what a fresh installation shows until an admin sets a value.
var Defaults = map[string]string{
	OfficeName:     "Dinas Koperasi dan UKM Provinsi Jawa Timur",
	GalleryHours:   "Senin–Jumat, 08.00–15.00 WIB (kecuali hari libur)",
	SampleQuantity: "3 kemasan untuk setiap produk",
	// About ten documents and a few product photos, each replaced a few times.
	DocumentMaxFiles: "60",
	DocumentMaxMB:    "150",
	// The SOP: gallery staff and the curation expert select together.
	CurationStaffReviewers:  "1",
	CurationExpertReviewers: "1",
	CurationBlind:           "yes",
}

// Store reads and writes settings.
type Store struct{ DB *db.DB }

// Get returns the value of key, or its default.
func (s Store) Get(ctx context.Context, key string) (string, error) {
	var v string
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return Defaults[key], nil
	}
	return v, err
}

// Set stores value under key, auditing the change.
func (s Store) Set(ctx context.Context, key, value string, by int64) error {
	value = strings.TrimSpace(value)
	if len(value) > 500 {
		return apperr.InvalidField("settings.too_long", key, i18n.Text{ID: "Isian terlalu panjang (maksimal 500 karakter).", EN: "Too long (500 characters at most)."})
	}
	switch key {
	case CurationStaffReviewers, CurationExpertReviewers:
		if n, err := strconv.Atoi(value); err != nil || n < 0 || n > 5 {
			return apperr.InvalidField("settings.reviewers", key, i18n.Text{ID: "Jumlah penilai: angka 0 sampai 5.", EN: "Number of reviewers: 0 to 5."})
		}
	case CurationBlind:
		if value != "yes" && value != "no" {
			return apperr.InvalidField("settings.blind", key, i18n.Text{ID: "Pilih ya atau tidak.", EN: "Choose yes or no."})
		}
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		old, err := s.Get(ctx, key)
		if err != nil {
			return err
		}
		if old == value {
			return nil
		}
		var byID any
		if by != 0 {
			byID = by
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			key, value, tx.Now, byID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "setting.update", "setting", key, fmt.Sprintf("Pengaturan %s diubah", key),
			map[string]string{"value": old}, map[string]string{"value": value})
	})
}

// DPO is the data-protection officer shown on the privacy page.
type DPO struct{ Name, Email, Phone string }

// GetDPO reads the data-protection officer.
func (s Store) GetDPO(ctx context.Context) (DPO, error) {
	var d DPO
	var err error
	for _, f := range []struct {
		key string
		dst *string
	}{{DPOName, &d.Name}, {DPOEmail, &d.Email}, {DPOPhone, &d.Phone}} {
		if *f.dst, err = s.Get(ctx, f.key); err != nil {
			return d, err
		}
	}
	return d, nil
}
