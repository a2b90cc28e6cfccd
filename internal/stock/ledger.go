package stock

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/workday"
)

// Kind is the kind of a movement. The ledger knows them all, including those
// the point of sale posts (sold, sale_returned), so later capabilities post
// into it without changing it.
type Kind string

const (
	Received        Kind = "received"         // received on consignment from the SME (+)
	Returned        Kind = "returned"         // returned to the SME (−)
	TransferOut     Kind = "transfer_out"     // moved to another location (−)
	TransferIn      Kind = "transfer_in"      // moved from another location (+)
	CountDifference Kind = "count_difference" // what a stock count found (±)
	Expired         Kind = "expired"          // written off as expired (−)
	Damaged         Kind = "damaged"          // written off as damaged (−)
	Sold            Kind = "sold"             // sold at the point of sale (−)
	SaleReturned    Kind = "sale_returned"    // a customer brought it back (+)
)

// Kinds lists every movement kind.
var Kinds = []Kind{Received, Returned, TransferOut, TransferIn, CountDifference, Expired, Damaged, Sold, SaleReturned}

// Sign is +1 for a kind that brings stock in, -1 for one that takes it out,
// 0 for one that may do either.
func (k Kind) Sign() int {
	switch k {
	case Received, TransferIn, SaleReturned:
		return 1
	case Returned, TransferOut, Expired, Damaged, Sold:
		return -1
	}
	return 0
}

// SaleType reports whether stock leaving with this kind goes to a customer:
// an expired lot may not.
func (k Kind) SaleType() bool { return k == Sold }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// DocKind is the kind of a stock document, and the series its numbers come from.
type DocKind string

const (
	DocReceipt    DocKind = "receipt"     // Berita Acara Serah Terima barang konsinyasi
	DocReturn     DocKind = "return"      // Berita Acara pengembalian barang konsinyasi
	DocTransfer   DocKind = "transfer"    // mutasi antarlokasi
	DocAdjustment DocKind = "adjustment"  // expired, damaged
	DocCorrection DocKind = "correction"  // reversing movements
	DocSale       DocKind = "sale"        // the point of sale
	DocSaleReturn DocKind = "sale_return" // the point of sale
	DocCount      DocKind = "count"       // the stock count (stock opname)
	DocSettlement DocKind = "settlement"  // the consignment settlement
)

var series = map[DocKind]string{
	DocReceipt: "BAST", DocReturn: "BAPK", DocTransfer: "MUT", DocAdjustment: "PSD", DocCorrection: "KOR",
	DocSale: "PJL", DocSaleReturn: "RTJ", DocCount: "OPN", DocSettlement: "STL",
}

// Line is one line of a document: a quantity of an item at a location, in a
// lot. Qty is signed (into the location positive). An outgoing line without a
// lot (LotID 0) is taken first-expiry-first-out and may become several
// movements. A line with Reverses undoes that movement: same kind, item, lot
// and location, the opposite quantity.
type Line struct {
	Kind       Kind
	ItemID     int64
	LotID      int64
	LocationID int64
	Qty        int64
	UnitPrice  *int64 // Rupiah, where the document prices its lines
	Reason     string
	Reverses   int64
}

// Document is what a capability posts: its kind, its number ("" to number it
// from the kind's series), the SME it concerns, an idempotency key ("" for
// none: a second post with the same key returns the first), and its lines.
type Document struct {
	Kind       DocKind
	Number     string
	BusinessID int64
	Key        string
	Note       string
	ReversesID int64
	Lines      []Line
}

// Movement is a posted movement.
type Movement struct {
	ID         int64  `json:"id"`
	DocumentID int64  `json:"document_id"`
	Line       int    `json:"line"`
	Kind       Kind   `json:"kind"`
	ItemID     int64  `json:"item_id"`
	LotID      int64  `json:"lot_id"`
	LocationID int64  `json:"location_id"`
	Qty        int64  `json:"qty"`
	UnitPrice  *int64 `json:"unit_price,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Reverses   int64  `json:"reverses,omitempty"`
}

// Posted is a posted document.
type Posted struct {
	DocumentID int64      `json:"document_id"`
	Number     string     `json:"number"`
	Kind       DocKind    `json:"kind"`
	Movements  []Movement `json:"movements"`
	Replayed   bool       `json:"replayed,omitempty"` // the key was posted before; nothing new was written
}

// Refusal codes of the ledger.
const (
	CodeBelowZero   = "stock.below_zero"
	CodeExpiredSale = "stock.expired_sale"
	CodeBadLine     = "stock.bad_line"
	CodeReversed    = "stock.already_reversed"
)

func belowZero(item string, have, want int64, where string) error {
	return apperr.New(apperr.Conflict, CodeBelowZero,
		fmt.Sprintf("Stok %s di %s tidak cukup: ada %d, diminta %d. Tidak ada yang diubah.", item, where, have, want),
		fmt.Sprintf("Not enough stock of %s at %s: %d there, %d asked. Nothing was changed.", item, where, have, want))
}

func badLine(id, en string) error { return apperr.New(apperr.Invalid, CodeBadLine, id, en) }

// Post writes doc and its movements inside the caller's transaction (in a
// savepoint: a refusal undoes all of the document and leaves the caller's
// transaction usable), with the balances and the items' totals changed by
// guarded updates. A line that would take a balance below zero, a sale from an
// expired lot, or a line that does not fit its kind refuses the whole
// document. Balances are changed in a fixed order (lot, location), so two
// documents on the same rows never wait on each other in a cycle.
func (s *Service) Post(ctx context.Context, tx *db.Tx, actor account.User, doc Document) (Posted, error) {
	var out Posted
	if _, ok := series[doc.Kind]; !ok {
		return out, badLine("Jenis dokumen stok tidak dikenal.", "Unknown stock document kind.")
	}
	if len(doc.Lines) == 0 {
		return out, badLine("Dokumen tanpa baris.", "A document without lines.")
	}
	if doc.Key != "" {
		if p, ok, err := replay(ctx, tx, doc.Key); err != nil || ok {
			return p, err
		}
	}
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var err error
		out, err = post(ctx, tx, actor, doc)
		return err
	})
	if err != nil && doc.Key != "" && db.IsUniqueViolation(err) {
		// Another process posted the same key first.
		if p, ok, err2 := replay(ctx, tx, doc.Key); err2 == nil && ok {
			return p, nil
		}
	}
	return out, err
}

func replay(ctx context.Context, tx *db.Tx, key string) (Posted, bool, error) {
	var p Posted
	err := tx.QueryRowContext(ctx, "SELECT id, number, kind FROM stock_documents WHERE idempotency_key = ?", key).Scan(&p.DocumentID, &p.Number, &p.Kind)
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, err
	}
	p.Movements, err = documentMovements(ctx, tx, p.DocumentID)
	p.Replayed = true
	return p, true, err
}

type lotInfo struct {
	item      int64
	expiresOn string
}

type balKey struct{ lot, loc int64 }

func post(ctx context.Context, tx *db.Tx, actor account.User, doc Document) (Posted, error) {
	today := workday.DateOf(tx.Now).String()
	lots := map[int64]lotInfo{}
	lotOf := func(id int64) (lotInfo, error) {
		if l, ok := lots[id]; ok {
			return l, nil
		}
		var l lotInfo
		err := tx.QueryRowContext(ctx, "SELECT item_id, expires_on FROM stock_lots WHERE id = ?", id).Scan(&l.item, &l.expiresOn)
		if errors.Is(err, sql.ErrNoRows) {
			return l, badLine("Lot tidak ditemukan.", "No such lot.")
		}
		lots[id] = l
		return l, err
	}
	// Expand the lines into movements: lots checked, FEFO allocated, reversals matched.
	var moves []Movement
	for i, ln := range doc.Lines {
		if !ln.Kind.Valid() || ln.ItemID <= 0 || ln.LocationID <= 0 || ln.Qty == 0 {
			return Posted{}, badLine(fmt.Sprintf("Baris %d tidak lengkap: jenis, barang, lokasi dan jumlah (bukan nol) wajib.", i+1),
				fmt.Sprintf("Line %d is incomplete: kind, item, location and a non-zero quantity are required.", i+1))
		}
		if ln.Reverses != 0 {
			m, err := reversal(ctx, tx, ln)
			if err != nil {
				return Posted{}, err
			}
			moves = append(moves, m)
			continue
		}
		if s := ln.Kind.Sign(); (s > 0 && ln.Qty < 0) || (s < 0 && ln.Qty > 0) {
			return Posted{}, badLine(fmt.Sprintf("Baris %d: jumlah %d tidak sesuai jenis gerakan %s.", i+1, ln.Qty, ln.Kind),
				fmt.Sprintf("Line %d: quantity %d does not fit movement kind %s.", i+1, ln.Qty, ln.Kind))
		}
		if ln.LotID == 0 {
			if ln.Qty > 0 {
				return Posted{}, badLine(fmt.Sprintf("Baris %d: stok masuk harus menyebut lotnya.", i+1), fmt.Sprintf("Line %d: stock coming in must name its lot.", i+1))
			}
			alloc, err := fefo(ctx, tx, ln, today)
			if err != nil {
				return Posted{}, err
			}
			moves = append(moves, alloc...)
			continue
		}
		l, err := lotOf(ln.LotID)
		if err != nil {
			return Posted{}, err
		}
		if l.item != ln.ItemID {
			return Posted{}, badLine(fmt.Sprintf("Baris %d: lot ini milik barang lain.", i+1), fmt.Sprintf("Line %d: this lot belongs to another item.", i+1))
		}
		if ln.Kind.SaleType() && ln.Qty < 0 && l.expiresOn != "" && l.expiresOn < today {
			return Posted{}, expiredSale(l.expiresOn)
		}
		moves = append(moves, Movement{Kind: ln.Kind, ItemID: ln.ItemID, LotID: ln.LotID, LocationID: ln.LocationID, Qty: ln.Qty, UnitPrice: ln.UnitPrice, Reason: strings.TrimSpace(ln.Reason)})
	}

	// The document.
	number := doc.Number
	if number == "" {
		var err error
		if number, err = application.Number(ctx, tx, series[doc.Kind]); err != nil {
			return Posted{}, err
		}
	}
	out := Posted{Number: number, Kind: doc.Kind}
	if err := tx.QueryRowContext(ctx, `INSERT INTO stock_documents (kind, number, business_id, idempotency_key, note, reverses_id, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		string(doc.Kind), number, nullID(doc.BusinessID), nullText(doc.Key), strings.TrimSpace(doc.Note), nullID(doc.ReversesID), nullID(actor.ID), tx.Now).Scan(&out.DocumentID); err != nil {
		return Posted{}, err
	}

	// Balances, in a fixed order; then the items' totals, in a fixed order.
	delta := map[balKey]int64{}
	itemDelta := map[int64]int64{}
	itemOfLot := map[int64]int64{}
	for _, m := range moves {
		delta[balKey{m.LotID, m.LocationID}] += m.Qty
		itemDelta[m.ItemID] += m.Qty
		itemOfLot[m.LotID] = m.ItemID
	}
	keys := make([]balKey, 0, len(delta))
	for k := range delta {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b balKey) int {
		if a.lot != b.lot {
			return cmp(a.lot, b.lot)
		}
		return cmp(a.loc, b.loc)
	})
	for _, k := range keys {
		if err := applyBalance(ctx, tx, k, itemOfLot[k.lot], delta[k]); err != nil {
			return Posted{}, err
		}
	}
	items := make([]int64, 0, len(itemDelta))
	for id := range itemDelta {
		items = append(items, id)
	}
	slices.Sort(items)
	for _, id := range items {
		d := itemDelta[id]
		if d == 0 {
			continue
		}
		res, err := tx.ExecContext(ctx, "UPDATE items SET on_hand = on_hand + ?, updated_at = ? WHERE id = ? AND on_hand + ? >= 0", d, tx.Now, id, d)
		if err != nil {
			return Posted{}, err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return Posted{}, badLine("Barang tidak ditemukan, atau stoknya tidak cukup.", "No such item, or not enough of it.")
		}
	}

	// The movements.
	for i := range moves {
		m := &moves[i]
		m.DocumentID, m.Line = out.DocumentID, i+1
		if err := tx.QueryRowContext(ctx, `INSERT INTO stock_movements (document_id, line, kind, item_id, lot_id, location_id, qty, unit_price, reason, reverses_id, actor_id, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			m.DocumentID, m.Line, string(m.Kind), m.ItemID, m.LotID, m.LocationID, m.Qty, m.UnitPrice, m.Reason, nullID(m.Reverses), nullID(actor.ID), tx.Now).Scan(&m.ID); err != nil {
			if db.IsUniqueViolation(err) && m.Reverses != 0 {
				return Posted{}, alreadyReversed()
			}
			return Posted{}, err
		}
	}
	out.Movements = moves
	return out, nil
}

func cmp(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// applyBalance changes one balance by d: an increase creates the row if need
// be; a decrease is a guarded update that changes nothing if it would go
// below zero, and then the document is refused.
func applyBalance(ctx context.Context, tx *db.Tx, k balKey, item, d int64) error {
	if d == 0 {
		return nil
	}
	if d > 0 {
		_, err := tx.ExecContext(ctx, `INSERT INTO stock_balances (lot_id, location_id, item_id, qty, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (lot_id, location_id) DO UPDATE SET qty = stock_balances.qty + excluded.qty, updated_at = excluded.updated_at`,
			k.lot, k.loc, item, d, tx.Now)
		return err
	}
	res, err := tx.ExecContext(ctx, "UPDATE stock_balances SET qty = qty + ?, updated_at = ? WHERE lot_id = ? AND location_id = ? AND qty + ? >= 0",
		d, tx.Now, k.lot, k.loc, d)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var have int64
	var name, where string
	_ = tx.QueryRowContext(ctx, "SELECT COALESCE((SELECT qty FROM stock_balances WHERE lot_id = ? AND location_id = ?), 0)", k.lot, k.loc).Scan(&have)
	_ = tx.QueryRowContext(ctx, "SELECT p.name FROM items i JOIN products p ON p.id = i.product_id WHERE i.id = ?", item).Scan(&name)
	_ = tx.QueryRowContext(ctx, "SELECT name FROM stock_locations WHERE id = ?", k.loc).Scan(&where)
	return belowZero(name, have, -d, where)
}

// fefo takes an outgoing line without a lot from the item's lots at the
// location, the one expiring first first (lots without an expiry last); a
// sale skips expired lots.
func fefo(ctx context.Context, tx *db.Tx, ln Line, today string) ([]Movement, error) {
	alloc, err := allocate(ctx, tx, ln.ItemID, ln.LocationID, -ln.Qty, ln.Kind.SaleType(), today)
	if err != nil {
		return nil, err
	}
	out := make([]Movement, len(alloc))
	for i, a := range alloc {
		out[i] = Movement{Kind: ln.Kind, ItemID: ln.ItemID, LotID: a.lot, LocationID: ln.LocationID, Qty: -a.qty, UnitPrice: ln.UnitPrice, Reason: strings.TrimSpace(ln.Reason)}
	}
	return out, nil
}

type lotQty struct{ lot, qty int64 }

// allocate chooses the lots need units of item leave loc from, FEFO.
func allocate(ctx context.Context, tx *db.Tx, item, loc, need int64, sale bool, today string) ([]lotQty, error) {
	rows, err := tx.QueryContext(ctx, `SELECT b.lot_id, b.qty, l.expires_on FROM stock_balances b JOIN stock_lots l ON l.id = b.lot_id
		WHERE b.item_id = ? AND b.location_id = ? AND b.qty > 0
		ORDER BY CASE WHEN l.expires_on = '' THEN 1 ELSE 0 END, l.expires_on, l.id`, item, loc)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	want := need
	var out []lotQty
	var have int64
	skippedExpired := false
	for rows.Next() && need > 0 {
		var lot, qty int64
		var exp string
		if err := rows.Scan(&lot, &qty, &exp); err != nil {
			return nil, err
		}
		if sale && exp != "" && exp < today {
			skippedExpired = true
			continue
		}
		take := min(qty, need)
		have += qty
		need -= take
		out = append(out, lotQty{lot, take})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if need > 0 {
		if skippedExpired && have == 0 {
			return nil, expiredSale("")
		}
		var name, where string
		_ = tx.QueryRowContext(ctx, "SELECT p.name FROM items i JOIN products p ON p.id = i.product_id WHERE i.id = ?", item).Scan(&name)
		_ = tx.QueryRowContext(ctx, "SELECT name FROM stock_locations WHERE id = ?", loc).Scan(&where)
		return nil, belowZero(name, have, want, where)
	}
	return out, nil
}

func expiredSale(on string) error {
	if on == "" {
		return apperr.New(apperr.Conflict, CodeExpiredSale, "Semua lot yang ada sudah kedaluwarsa: tidak boleh dijual. Tidak ada yang diubah.",
			"Every lot there has expired: it may not be sold. Nothing was changed.")
	}
	return apperr.New(apperr.Conflict, CodeExpiredSale, fmt.Sprintf("Lot ini kedaluwarsa %s: tidak boleh dijual. Tidak ada yang diubah.", on),
		fmt.Sprintf("This lot expired on %s: it may not be sold. Nothing was changed.", on))
}

func alreadyReversed() error {
	return apperr.New(apperr.Conflict, CodeReversed, "Gerakan ini sudah dibalik.", "This movement has already been reversed.")
}

// reversal checks a reversing line against the movement it reverses.
func reversal(ctx context.Context, tx *db.Tx, ln Line) (Movement, error) {
	var o Movement
	var rev sql.NullInt64
	err := tx.QueryRowContext(ctx, "SELECT id, kind, item_id, lot_id, location_id, qty, unit_price, reverses_id FROM stock_movements WHERE id = ?", ln.Reverses).
		Scan(&o.ID, &o.Kind, &o.ItemID, &o.LotID, &o.LocationID, &o.Qty, &o.UnitPrice, &rev)
	if errors.Is(err, sql.ErrNoRows) {
		return o, badLine("Gerakan yang akan dibalik tidak ditemukan.", "The movement to reverse was not found.")
	}
	if err != nil {
		return o, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM stock_movements WHERE reverses_id = ?", o.ID).Scan(&n); err != nil {
		return o, err
	}
	if n > 0 {
		return o, alreadyReversed()
	}
	if rev.Valid {
		return o, badLine("Gerakan pembalik tidak dibalik lagi; catat gerakan baru.", "A reversing movement is not reversed again; post a new movement.")
	}
	if ln.Kind != o.Kind || ln.ItemID != o.ItemID || ln.LocationID != o.LocationID || (ln.LotID != 0 && ln.LotID != o.LotID) || ln.Qty != -o.Qty {
		return o, badLine("Pembalikan harus sama persis dengan gerakan aslinya, dengan jumlah berlawanan.", "A reversal must match its movement exactly, with the opposite quantity.")
	}
	return Movement{Kind: o.Kind, ItemID: o.ItemID, LotID: o.LotID, LocationID: o.LocationID, Qty: -o.Qty, UnitPrice: o.UnitPrice, Reason: strings.TrimSpace(ln.Reason), Reverses: o.ID}, nil
}

func documentMovements(ctx context.Context, q db.Querier, docID int64) ([]Movement, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, document_id, line, kind, item_id, lot_id, location_id, qty, unit_price, reason, COALESCE(reverses_id, 0)
		FROM stock_movements WHERE document_id = ? ORDER BY line`, docID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Movement
	for rows.Next() {
		var m Movement
		if err := rows.Scan(&m.ID, &m.DocumentID, &m.Line, &m.Kind, &m.ItemID, &m.LotID, &m.LocationID, &m.Qty, &m.UnitPrice, &m.Reason, &m.Reverses); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
