package intake

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
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// SampleInput is one product's sample as the clerk records it.
type SampleInput struct {
	ProductID      int64
	Quantity       string
	ExpiryDate     string // YYYY-MM-DD
	ProductionCode string
	NetContent     string
	Condition      string
	Notes          string
}

// Sample is a recorded sample.
type Sample struct {
	ProductID      int64     `json:"product_id"`
	ProductName    string    `json:"product"`
	Quantity       int       `json:"quantity"`
	ExpiryDate     string    `json:"expiry_date"`
	ProductionCode string    `json:"production_code,omitempty"`
	NetContent     string    `json:"net_content,omitempty"`
	Condition      string    `json:"condition,omitempty"`
	Notes          string    `json:"notes,omitempty"`
	ReceivedBy     string    `json:"received_by"`
	ReceivedAt     time.Time `json:"received_at"`
}

// Receipt is the numbered tanda terima for the samples of an application.
type Receipt struct {
	Number     string    `json:"number"`
	CreatedAt  time.Time `json:"created_at"`
	ReceivedBy string    `json:"received_by"`
}

// RecordSamples records the samples of every product of the application and, in
// the same transaction, moves it into curation: recording the samples is what
// starts the 3-working-day curation clock. It returns the receipt.
func (s *Service) RecordSamples(ctx context.Context, u account.User, appID int64, in []SampleInput) (Receipt, error) {
	if _, err := s.Applications.GetFor(ctx, u, appID); err != nil { // before the transaction: a refusal is audited
		return Receipt{}, err
	}
	if !policy.ReceivesSamples(u) {
		return Receipt{}, s.Applications.Deny(ctx, u, "application", appID, errSamplesRole, errSamplesRole)
	}
	var rc Receipt
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		a, err := s.Applications.Get(ctx, appID)
		if err != nil {
			return err
		}
		// Ask the procedure first, so a wrong state or role is refused before any
		// sample is looked at; the data checks follow below.
		if err := s.Applications.Permitted(u, a, sop.RecordSamples); err != nil {
			return err
		}
		ids, err := s.Applications.ProductIDs(ctx, appID)
		if err != nil {
			return err
		}
		inApp := map[int64]bool{}
		for _, id := range ids {
			inApp[id] = true
		}
		var f apperr.Form
		today := workday.DateOf(tx.Now)
		for _, x := range in {
			field := func(name string) string { return fmt.Sprintf("%s_%d", name, x.ProductID) }
			if !inApp[x.ProductID] {
				return errProductNotInApplication
			}
			q, err := strconv.Atoi(strings.TrimSpace(x.Quantity))
			if err != nil || q <= 0 || q > 10000 {
				f.Addf(field("quantity"), "Jumlah sampel: angka 1 sampai 10.000.", "Number of samples: 1 to 10,000.")
			}
			if v := strings.TrimSpace(x.ExpiryDate); v == "" {
				f.Addf(field("expiry_date"), "Isi tanggal kedaluwarsa seperti tertera di kemasan.", "Enter the expiry date printed on the package.")
			} else if d, err := workday.ParseDate(v); err != nil {
				f.Addf(field("expiry_date"), "Tanggal tidak valid; pilih dari kalender.", "Not a valid date; pick one from the calendar.")
			} else if !d.After(today) {
				f.Addf(field("expiry_date"), "Sampel ini sudah kedaluwarsa; minta sampel yang masih berlaku.", "This sample has expired; ask for one that is still good.")
			}
			if len([]rune(x.ProductionCode)) > 100 || len([]rune(x.Condition)) > 200 || len([]rune(x.Notes)) > 1000 || len([]rune(x.NetContent)) > 50 {
				f.Addf(field("notes"), "Isian terlalu panjang.", "Too long.")
			}
			if !f.Has(field("quantity")) {
				if _, err := tx.ExecContext(ctx, `INSERT INTO samples (application_id, product_id, quantity, expiry_date, production_code, net_content, condition, notes, received_by, received_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
					ON CONFLICT (application_id, product_id) DO UPDATE SET quantity = excluded.quantity, expiry_date = excluded.expiry_date,
					production_code = excluded.production_code, net_content = excluded.net_content, condition = excluded.condition, notes = excluded.notes,
					received_by = excluded.received_by, received_at = excluded.received_at`,
					appID, x.ProductID, q, strings.TrimSpace(x.ExpiryDate), strings.TrimSpace(x.ProductionCode), strings.TrimSpace(x.NetContent),
					strings.TrimSpace(x.Condition), strings.TrimSpace(x.Notes), u.ID, tx.Now); err != nil {
					return err
				}
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		number, err := application.Number(ctx, tx, "TTS")
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO sample_receipts (application_id, number, created_by, created_at) VALUES (?, ?, ?, ?)", appID, number, u.ID, tx.Now); err != nil {
			return err
		}
		rc = Receipt{Number: number, CreatedAt: tx.Now, ReceivedBy: u.Name}
		_, err = s.Applications.Transition(ctx, tx, u, appID, sop.RecordSamples, "Sampel diterima, tanda terima "+number)
		return err
	})
	return rc, err
}

var errSamplesRole = apperr.New(apperr.Forbidden, "sample.role", "Hanya staf galeri yang mencatat penerimaan sampel.", "Only gallery staff record samples received.")

var errProductNotInApplication = apperr.New(apperr.Invalid, "sample.product", "Produk ini bukan bagian dari permohonan.", "This product is not part of the application.")

// Samples returns the samples recorded for an application.
func (s *Service) Samples(ctx context.Context, appID int64) ([]Sample, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT sm.product_id, p.name, sm.quantity, sm.expiry_date, sm.production_code, sm.net_content, sm.condition, sm.notes, u.name, sm.received_at
		FROM samples sm JOIN products p ON p.id = sm.product_id JOIN users u ON u.id = sm.received_by WHERE sm.application_id = ? ORDER BY lower(p.name)`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Sample
	for rows.Next() {
		var x Sample
		if err := rows.Scan(&x.ProductID, &x.ProductName, &x.Quantity, &x.ExpiryDate, &x.ProductionCode, &x.NetContent, &x.Condition, &x.Notes, &x.ReceivedBy, &x.ReceivedAt); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// SampleReceipt returns the receipt of an application's samples.
func (s *Service) SampleReceipt(ctx context.Context, appID int64) (Receipt, error) {
	var r Receipt
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT r.number, r.created_at, u.name FROM sample_receipts r JOIN users u ON u.id = r.created_by WHERE r.application_id = ?", appID).
		Scan(&r.Number, &r.CreatedAt, &r.ReceivedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return r, apperr.New(apperr.NotFound, "sample.no_receipt", "Sampel permohonan ini belum diterima.", "The samples of this application have not been received yet.")
	}
	return r, err
}
