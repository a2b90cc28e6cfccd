package stock

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/workday"
)

// ReceiveLine is one lot of one item handed over by the SME.
type ReceiveLine struct {
	ItemID         int64
	Qty            string
	ExpiresOn      string // YYYY-MM-DD; empty for goods that do not expire
	ProductionCode string
}

// ReceiveInput is a handover of consignment stock from one SME into one location.
type ReceiveInput struct {
	BusinessID int64
	LocationID int64 // 0: the gallery
	Lines      []ReceiveLine
	Note       string
	Key        string // idempotency key from the client, optional
}

var errInactive = apperr.New(apperr.Conflict, "stock.location_inactive", "Lokasi ini sudah tidak aktif.", "This location is no longer active.")

var errOtherSME = apperr.New(apperr.Invalid, "stock.other_sme", "Satu berita acara untuk satu UMKM: barang ini milik UMKM lain.", "One handover for one SME: this item belongs to another SME.")

func qtyOf(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(strings.ReplaceAll(s, ".", "")), 10, 64)
	return n, err == nil && n > 0 && n <= 1_000_000
}

// Receive records a handover (Berita Acara Serah Terima barang konsinyasi):
// the lots are found or made, the movements posted, and when that completes
// the stock of every passed product of an application, step 9 closes in the
// same transaction.
func (s *Service) Receive(ctx context.Context, u account.User, in ReceiveInput) (Posted, error) {
	if !ManagesStock(u) {
		return Posted{}, errRole
	}
	var f apperr.Form
	for i, ln := range in.Lines {
		if _, ok := qtyOf(ln.Qty); !ok {
			f.Addf(fmt.Sprintf("qty_%d", i), "Jumlah: angka 1 sampai 1.000.000.", "Quantity: 1 to 1,000,000.")
		}
		if v := strings.TrimSpace(ln.ExpiresOn); v != "" {
			if _, err := workday.ParseDate(v); err != nil {
				f.Addf(fmt.Sprintf("expires_on_%d", i), "Tanggal kedaluwarsa tidak valid; pilih dari kalender.", "Not a valid expiry date; pick one from the calendar.")
			}
		}
		if len([]rune(ln.ProductionCode)) > 100 {
			f.Addf(fmt.Sprintf("production_code_%d", i), "Kode produksi: paling banyak 100 huruf.", "Production code: at most 100 characters.")
		}
	}
	if len(in.Lines) == 0 {
		f.Addf("lines", "Isi paling sedikit satu baris barang.", "Enter at least one line.")
	}
	if err := f.Err(); err != nil {
		return Posted{}, err
	}
	var out Posted
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		loc, err := s.locationOr(ctx, tx, in.LocationID)
		if err != nil {
			return err
		}
		today := workday.DateOf(tx.Now).String()
		doc := Document{Kind: DocReceipt, BusinessID: in.BusinessID, Key: in.Key, Note: in.Note}
		var apps []int64
		for i, ln := range in.Lines {
			it, err := s.Item(ctx, ln.ItemID)
			if err != nil {
				return err
			}
			if it.BusinessID != in.BusinessID {
				return errOtherSME
			}
			exp := strings.TrimSpace(ln.ExpiresOn)
			if exp != "" && exp <= today {
				return apperr.InvalidField("stock.expired_receipt", fmt.Sprintf("expires_on_%d", i), apperrText(
					"Lot ini sudah kedaluwarsa: jangan diterima untuk dipajang.", "This lot has already expired: do not receive it for display."))
			}
			lot, err := s.lot(ctx, tx, it.ID, strings.TrimSpace(ln.ProductionCode), exp)
			if err != nil {
				return err
			}
			q, _ := qtyOf(ln.Qty)
			price := it.SMEPrice
			doc.Lines = append(doc.Lines, Line{Kind: Received, ItemID: it.ID, LotID: lot, LocationID: loc, Qty: q, UnitPrice: &price})
			if !slices.Contains(apps, it.ApplicationID) {
				apps = append(apps, it.ApplicationID)
			}
		}
		out, err = s.Post(ctx, tx, u, doc)
		if err != nil || out.Replayed {
			return err
		}
		if err := audit.Record(ctx, tx, "stock.receive", "stock_document", fmt.Sprint(out.DocumentID),
			fmt.Sprintf("Berita acara serah terima %s: %d baris", out.Number, len(out.Movements)), nil, nil); err != nil {
			return err
		}
		for _, a := range apps {
			if err := s.displayIfStocked(ctx, tx, u, a); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

func (s *Service) locationOr(ctx context.Context, tx *db.Tx, id int64) (int64, error) {
	if id == 0 {
		err := tx.QueryRowContext(ctx, "SELECT id FROM stock_locations WHERE code = ?", GalleryCode).Scan(&id)
		return id, err
	}
	var active bool
	if err := tx.QueryRowContext(ctx, "SELECT active FROM stock_locations WHERE id = ?", id).Scan(&active); err != nil {
		return 0, errNotFound
	}
	if !active {
		return 0, errInactive
	}
	return id, nil
}

// lot finds or makes the lot of an item with this production code and expiry.
func (s *Service) lot(ctx context.Context, tx *db.Tx, item int64, code, expires string) (int64, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO stock_lots (item_id, code, expires_on, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (item_id, code, expires_on) DO NOTHING`,
		item, code, expires, tx.Now); err != nil {
		return 0, err
	}
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM stock_lots WHERE item_id = ? AND code = ? AND expires_on = ?", item, code, expires).Scan(&id)
	return id, err
}

// OutLine is one line of stock leaving a location: LotID 0 takes it FEFO.
type OutLine struct {
	ItemID int64
	LotID  int64
	Qty    string
}

// ReturnInput is unsold stock going back to its SME.
type ReturnInput struct {
	BusinessID int64
	LocationID int64
	Lines      []OutLine
	Reason     string
	Key        string
}

// Return records stock handed back to the SME, on its own paper.
func (s *Service) Return(ctx context.Context, u account.User, in ReturnInput) (Posted, error) {
	if !ManagesStock(u) {
		return Posted{}, errRole
	}
	var out Posted
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		loc, err := s.locationOr(ctx, tx, in.LocationID)
		if err != nil {
			return err
		}
		doc := Document{Kind: DocReturn, BusinessID: in.BusinessID, Key: in.Key, Note: in.Reason}
		for i, ln := range in.Lines {
			q, ok := qtyOf(ln.Qty)
			if !ok {
				return apperr.InvalidField("stock.qty", fmt.Sprintf("qty_%d", i), apperrText("Jumlah: angka 1 sampai 1.000.000.", "Quantity: 1 to 1,000,000."))
			}
			it, err := s.Item(ctx, ln.ItemID)
			if err != nil {
				return err
			}
			if it.BusinessID != in.BusinessID {
				return errOtherSME
			}
			price := it.SMEPrice
			doc.Lines = append(doc.Lines, Line{Kind: Returned, ItemID: it.ID, LotID: ln.LotID, LocationID: loc, Qty: -q, UnitPrice: &price, Reason: in.Reason})
		}
		if len(doc.Lines) == 0 {
			return apperr.New(apperr.Invalid, "stock.no_lines", "Isi paling sedikit satu baris barang.", "Enter at least one line.")
		}
		out, err = s.Post(ctx, tx, u, doc)
		if err != nil || out.Replayed {
			return err
		}
		return audit.Record(ctx, tx, "stock.return", "stock_document", fmt.Sprint(out.DocumentID),
			fmt.Sprintf("Berita acara pengembalian %s: %d baris", out.Number, len(out.Movements)), nil, nil)
	})
	return out, err
}

// TransferInput moves stock between locations.
type TransferInput struct {
	From, To int64
	Lines    []OutLine
	Note     string
	Key      string
}

var errSameLocation = apperr.New(apperr.Invalid, "stock.same_location", "Lokasi asal dan tujuan sama.", "The locations to move from and to are the same.")

// Transfer moves stock from one location to another: for each lot, a
// movement out of one and a movement into the other, in one document.
func (s *Service) Transfer(ctx context.Context, u account.User, in TransferInput) (Posted, error) {
	if !ManagesStock(u) {
		return Posted{}, errRole
	}
	if in.From == in.To {
		return Posted{}, errSameLocation
	}
	var out Posted
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if _, err := s.locationOr(ctx, tx, in.From); err != nil {
			return err
		}
		if _, err := s.locationOr(ctx, tx, in.To); err != nil {
			return err
		}
		today := workday.DateOf(tx.Now).String()
		doc := Document{Kind: DocTransfer, Key: in.Key, Note: in.Note}
		for i, ln := range in.Lines {
			q, ok := qtyOf(ln.Qty)
			if !ok {
				return apperr.InvalidField("stock.qty", fmt.Sprintf("qty_%d", i), apperrText("Jumlah: angka 1 sampai 1.000.000.", "Quantity: 1 to 1,000,000."))
			}
			lots := []lotQty{{ln.LotID, q}}
			if ln.LotID == 0 {
				var err error
				if lots, err = allocate(ctx, tx, ln.ItemID, in.From, q, false, today); err != nil {
					return err
				}
			}
			for _, l := range lots {
				doc.Lines = append(doc.Lines,
					Line{Kind: TransferOut, ItemID: ln.ItemID, LotID: l.lot, LocationID: in.From, Qty: -l.qty},
					Line{Kind: TransferIn, ItemID: ln.ItemID, LotID: l.lot, LocationID: in.To, Qty: l.qty})
			}
		}
		if len(doc.Lines) == 0 {
			return apperr.New(apperr.Invalid, "stock.no_lines", "Isi paling sedikit satu baris barang.", "Enter at least one line.")
		}
		var err error
		out, err = s.Post(ctx, tx, u, doc)
		if err != nil || out.Replayed {
			return err
		}
		return audit.Record(ctx, tx, "stock.transfer", "stock_document", fmt.Sprint(out.DocumentID),
			fmt.Sprintf("Mutasi stok %s: %d baris", out.Number, len(out.Movements)), nil, nil)
	})
	return out, err
}

// AdjustInput writes stock off (expired, damaged) or records a counted
// difference (count_difference, either sign).
type AdjustInput struct {
	Kind       Kind
	ItemID     int64
	LotID      int64
	LocationID int64
	Qty        int64 // signed: negative takes stock out
	Reason     string
}

var errReason = apperr.InvalidField("stock.reason", "reason", apperrText("Tulis alasannya.", "Write the reason."))

// Adjust posts one adjustment.
func (s *Service) Adjust(ctx context.Context, u account.User, in AdjustInput) (Posted, error) {
	if !ManagesStock(u) {
		return Posted{}, errRole
	}
	if in.Kind != Expired && in.Kind != Damaged && in.Kind != CountDifference {
		return Posted{}, badLine("Penyesuaian: kedaluwarsa, rusak, atau selisih hitung.", "An adjustment is expired, damaged or a counted difference.")
	}
	if strings.TrimSpace(in.Reason) == "" {
		return Posted{}, errReason
	}
	var out Posted
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var err error
		out, err = s.Post(ctx, tx, u, Document{Kind: DocAdjustment, Note: in.Reason,
			Lines: []Line{{Kind: in.Kind, ItemID: in.ItemID, LotID: in.LotID, LocationID: in.LocationID, Qty: in.Qty, Reason: in.Reason}}})
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, "stock.adjust", "stock_document", fmt.Sprint(out.DocumentID),
			fmt.Sprintf("Penyesuaian stok %s (%s %d): %s", out.Number, in.Kind, in.Qty, in.Reason), nil, nil)
	})
	return out, err
}

// Reverse corrects a movement by posting its opposite, with the reason.
func (s *Service) Reverse(ctx context.Context, u account.User, movementID int64, reason string) (Posted, error) {
	if !ManagesStock(u) {
		return Posted{}, errRole
	}
	if strings.TrimSpace(reason) == "" {
		return Posted{}, errReason
	}
	var out Posted
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var m Movement
		var docID int64
		if err := tx.QueryRowContext(ctx, "SELECT kind, item_id, lot_id, location_id, qty, document_id FROM stock_movements WHERE id = ?", movementID).
			Scan(&m.Kind, &m.ItemID, &m.LotID, &m.LocationID, &m.Qty, &docID); err != nil {
			return errNotFound
		}
		var err error
		out, err = s.Post(ctx, tx, u, Document{Kind: DocCorrection, Note: reason, ReversesID: docID,
			Lines: []Line{{Kind: m.Kind, ItemID: m.ItemID, LotID: m.LotID, LocationID: m.LocationID, Qty: -m.Qty, Reason: reason, Reverses: movementID}}})
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, "stock.reverse", "stock_document", fmt.Sprint(out.DocumentID),
			fmt.Sprintf("Koreksi %s membalik gerakan %d: %s", out.Number, movementID, reason), nil, nil)
	})
	return out, err
}
