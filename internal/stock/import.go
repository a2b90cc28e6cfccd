package stock

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/importer"
	"github.com/etalase-id/etalase/internal/workday"
)

// The import of an existing Excel (or CSV) stock list: the gallery's stock
// before Etalase. Each row is a lot of an item already made (found by its
// barcode or SKU) at a location. A dry run names every problem of every row;
// the import itself happens only when there is none, in one transaction (a
// handover per SME and location), so it is all or nothing.

// ImportRow limits: a stock list is a few thousand rows; one transaction
// holding SQLite's writer must stay short.
const MaxImportRows = 5000

// ImportProblem is one problem of one row (the header is row 1).
type ImportProblem struct {
	Row    int       `json:"row"`
	Column string    `json:"column"`
	Text   i18n.Text `json:"text"`
}

// ImportReport says what a stock list holds, or what its import did.
type ImportReport struct {
	Rows      int             `json:"rows"`
	Units     int64           `json:"units"`
	Problems  []ImportProblem `json:"problems,omitempty"`
	Documents []string        `json:"documents,omitempty"` // the handovers made, when imported
}

var importColumns = map[string][]string{
	"barcode":         {"barcode", "ean", "kode barcode", "sku"},
	"qty":             {"jumlah", "qty", "quantity", "stok", "stock"},
	"expires_on":      {"kedaluwarsa", "tanggal kedaluwarsa", "expiry", "expires on", "exp"},
	"production_code": {"kode produksi", "lot", "production code", "batch"},
	"location":        {"lokasi", "location", "kode lokasi"},
}

type importLine struct {
	row      int
	item     Item
	qty      int64
	expires  string
	code     string
	location int64
}

// ImportStock checks tbl and, when apply is set and nothing is wrong, receives it.
func (s *Service) ImportStock(ctx context.Context, u account.User, tbl importer.Table, apply bool) (ImportReport, error) {
	if !ManagesStock(u) {
		return ImportReport{}, errRole
	}
	rep := ImportReport{Rows: len(tbl.Rows)}
	if len(tbl.Rows) > MaxImportRows {
		return rep, apperr.New(apperr.Invalid, "stock.import_too_large", fmt.Sprintf("Paling banyak %d baris sekali impor; bagi berkasnya.", MaxImportRows),
			fmt.Sprintf("At most %d rows at once; split the file.", MaxImportRows))
	}
	col := map[string]int{}
	for i, h := range tbl.Header {
		h = strings.ToLower(strings.TrimSpace(h))
		for key, names := range importColumns {
			if slices.Contains(names, h) {
				if _, dup := col[key]; !dup {
					col[key] = i
				}
			}
		}
	}
	for _, need := range []string{"barcode", "qty"} {
		if _, ok := col[need]; !ok {
			return rep, apperr.New(apperr.Invalid, "stock.import_columns", "Berkas harus punya kolom Barcode (atau SKU) dan Jumlah; Kedaluwarsa, Kode produksi dan Lokasi boleh ada.",
				"The file needs the columns Barcode (or SKU) and Jumlah (quantity); Kedaluwarsa (expiry), Kode produksi and Lokasi may be there.")
		}
	}
	cell := func(r []string, key string) string {
		if i, ok := col[key]; ok && i < len(r) {
			return strings.TrimSpace(r[i])
		}
		return ""
	}
	locs, err := s.Locations(ctx)
	if err != nil {
		return rep, err
	}
	today := workday.DateOf(s.DB.Clock(ctx))
	var lines []importLine
	problem := func(row int, column, id, en string) {
		rep.Problems = append(rep.Problems, ImportProblem{Row: row, Column: column, Text: i18n.Text{ID: id, EN: en}})
	}
	for i, r := range tbl.Rows {
		row := i + 2
		ln := importLine{row: row}
		code := cell(r, "barcode")
		it, err := s.ItemByBarcode(ctx, strings.ReplaceAll(code, " ", ""))
		if err != nil {
			var sku Item
			if sku, err = s.itemBySKU(ctx, code); err == nil {
				it = sku
			}
		}
		if err != nil {
			problem(row, "barcode", fmt.Sprintf("Tidak ada barang galeri dengan barcode atau SKU %q. Buat barangnya dulu.", code),
				fmt.Sprintf("No gallery item has the barcode or SKU %q. Make the item first.", code))
		}
		ln.item = it
		q, ok := qtyOf(cell(r, "qty"))
		if !ok {
			problem(row, "qty", "Jumlah: angka 1 sampai 1.000.000.", "Quantity: 1 to 1,000,000.")
		}
		ln.qty = q
		if v := cell(r, "expires_on"); v != "" {
			d, err := parseListDate(v)
			switch {
			case err != nil:
				problem(row, "expires_on", "Tanggal kedaluwarsa tidak terbaca: tulis 2027-03-01 atau 01-03-2027.", "The expiry date cannot be read: write 2027-03-01 or 01-03-2027.")
			case !d.After(today):
				problem(row, "expires_on", "Lot ini sudah kedaluwarsa: jangan diterima untuk dipajang.", "This lot has already expired: do not receive it for display.")
			default:
				ln.expires = d.String()
			}
		}
		ln.code = cell(r, "production_code")
		if len([]rune(ln.code)) > 100 {
			problem(row, "production_code", "Kode produksi: paling banyak 100 huruf.", "Production code: at most 100 characters.")
		}
		ln.location = locs[0].ID
		if v := cell(r, "location"); v != "" {
			found := false
			for _, l := range locs {
				if strings.EqualFold(l.Code, v) {
					ln.location, found = l.ID, true
				}
			}
			if !found {
				problem(row, "location", fmt.Sprintf("Tidak ada lokasi berkode %q.", v), fmt.Sprintf("No location has the code %q.", v))
			}
		}
		rep.Units += ln.qty
		lines = append(lines, ln)
	}
	if !apply || len(rep.Problems) > 0 || len(lines) == 0 {
		return rep, nil
	}
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		type group struct{ biz, loc int64 }
		docs := map[group]*Document{}
		var order []group
		var apps []int64
		for _, ln := range lines {
			g := group{ln.item.BusinessID, ln.location}
			if docs[g] == nil {
				docs[g] = &Document{Kind: DocReceipt, BusinessID: g.biz, Note: "Impor daftar stok"}
				order = append(order, g)
			}
			lot, err := s.lot(ctx, tx, ln.item.ID, ln.code, ln.expires)
			if err != nil {
				return err
			}
			price := ln.item.SMEPrice
			docs[g].Lines = append(docs[g].Lines, Line{Kind: Received, ItemID: ln.item.ID, LotID: lot, LocationID: ln.location, Qty: ln.qty, UnitPrice: &price})
			if !slices.Contains(apps, ln.item.ApplicationID) {
				apps = append(apps, ln.item.ApplicationID)
			}
		}
		for _, g := range order {
			p, err := s.Post(ctx, tx, u, *docs[g])
			if err != nil {
				return err
			}
			rep.Documents = append(rep.Documents, p.Number)
		}
		for _, a := range apps {
			if err := s.displayIfStocked(ctx, tx, u, a); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, "stock.import", "stock_document", strings.Join(rep.Documents, ","),
			fmt.Sprintf("Impor daftar stok: %d baris, %d unit, %d berita acara", rep.Rows, rep.Units, len(rep.Documents)), nil, nil)
	})
	if err != nil {
		rep.Documents = nil
	}
	return rep, err
}

func (s *Service) itemBySKU(ctx context.Context, sku string) (Item, error) {
	var id int64
	if err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT id FROM items WHERE sku = ?", strings.ToUpper(strings.TrimSpace(sku))).Scan(&id); err != nil {
		return Item{}, errNotFound
	}
	return s.Item(ctx, id)
}

// parseListDate reads a date as stock lists write it: 2027-03-01, 01-03-2027, 01/03/2027.
func parseListDate(v string) (workday.Date, error) {
	if d, err := workday.ParseDate(v); err == nil {
		return d, nil
	}
	for _, layout := range []string{"02-01-2006", "02/01/2006", "2/1/2006", "2006/01/02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return workday.ParseDate(t.Format("2006-01-02"))
		}
	}
	return workday.Date{}, fmt.Errorf("not a date: %q", v)
}
