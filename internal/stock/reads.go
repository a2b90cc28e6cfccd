package stock

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/workday"
)

// Balance is what is at one location of one lot.
type Balance struct {
	ItemID     int64  `json:"item_id"`
	Item       string `json:"item"`
	LotID      int64  `json:"lot_id"`
	LotCode    string `json:"lot_code"`
	ExpiresOn  string `json:"expires_on,omitempty"`
	LocationID int64  `json:"location_id"`
	Location   string `json:"location"`
	Qty        int64  `json:"qty"`
}

// BalanceFilter selects balances; zero fields select all.
type BalanceFilter struct{ ItemID, BusinessID, LocationID int64 }

// Balances lists the non-empty balances, by item, location and expiry.
func (s *Service) Balances(ctx context.Context, f BalanceFilter) ([]Balance, error) {
	q := `SELECT b.item_id, p.name, b.lot_id, l.code, l.expires_on, b.location_id, loc.name, b.qty
		FROM stock_balances b JOIN stock_lots l ON l.id = b.lot_id JOIN stock_locations loc ON loc.id = b.location_id
		JOIN items i ON i.id = b.item_id JOIN products p ON p.id = i.product_id WHERE b.qty > 0`
	var args []any
	if f.ItemID != 0 {
		q += " AND b.item_id = ?"
		args = append(args, f.ItemID)
	}
	if f.BusinessID != 0 {
		q += " AND i.business_id = ?"
		args = append(args, f.BusinessID)
	}
	if f.LocationID != 0 {
		q += " AND b.location_id = ?"
		args = append(args, f.LocationID)
	}
	q += " ORDER BY b.item_id, b.location_id, CASE WHEN l.expires_on = '' THEN 1 ELSE 0 END, l.expires_on, l.id LIMIT 1000"
	rows, err := s.DB.Q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Balance
	for rows.Next() {
		var b Balance
		if err := rows.Scan(&b.ItemID, &b.Item, &b.LotID, &b.LotCode, &b.ExpiresOn, &b.LocationID, &b.Location, &b.Qty); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// MovementRow is a movement as the lists show it.
type MovementRow struct {
	Movement
	At        time.Time `json:"at"`
	Number    string    `json:"document"`
	Item      string    `json:"item"`
	LotCode   string    `json:"lot_code"`
	ExpiresOn string    `json:"expires_on,omitempty"`
	Location  string    `json:"location"`
	Actor     string    `json:"actor,omitempty"`
}

// MovementFilter selects movements; Before is the id the previous page ended
// at (newest first).
type MovementFilter struct {
	ItemID, DocumentID, BusinessID int64
	Before                         int64
	Limit                          int
}

// Movements lists movements, newest first (a document's in line order).
func (s *Service) Movements(ctx context.Context, f MovementFilter) ([]MovementRow, error) {
	q := `SELECT m.id, m.document_id, m.line, m.kind, m.item_id, m.lot_id, m.location_id, m.qty, m.unit_price, m.reason, COALESCE(m.reverses_id, 0),
		m.at, d.number, p.name, l.code, l.expires_on, loc.name, COALESCE(u.name, '')
		FROM stock_movements m JOIN stock_documents d ON d.id = m.document_id JOIN items i ON i.id = m.item_id JOIN products p ON p.id = i.product_id
		JOIN stock_lots l ON l.id = m.lot_id JOIN stock_locations loc ON loc.id = m.location_id LEFT JOIN users u ON u.id = m.actor_id WHERE 1 = 1`
	var args []any
	order := " ORDER BY m.id DESC"
	if f.ItemID != 0 {
		q += " AND m.item_id = ?"
		args = append(args, f.ItemID)
	}
	if f.BusinessID != 0 {
		q += " AND i.business_id = ?"
		args = append(args, f.BusinessID)
	}
	if f.DocumentID != 0 {
		q += " AND m.document_id = ?"
		args = append(args, f.DocumentID)
		order = " ORDER BY m.line"
	}
	if f.Before != 0 {
		q += " AND m.id < ?"
		args = append(args, f.Before)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, q+order+fmt.Sprintf(" LIMIT %d", f.Limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MovementRow
	for rows.Next() {
		var m MovementRow
		if err := rows.Scan(&m.ID, &m.DocumentID, &m.Line, &m.Kind, &m.ItemID, &m.LotID, &m.LocationID, &m.Qty, &m.UnitPrice, &m.Reason, &m.Reverses,
			&m.At, &m.Number, &m.Item, &m.LotCode, &m.ExpiresOn, &m.Location, &m.Actor); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// DocumentInfo is a stock document's head.
type DocumentInfo struct {
	ID         int64     `json:"id"`
	Kind       DocKind   `json:"kind"`
	Number     string    `json:"number"`
	BusinessID int64     `json:"business_id,omitempty"`
	Note       string    `json:"note,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	CreatedBy  string    `json:"created_by,omitempty"`
}

// DocumentByID returns a document's head.
func (s *Service) DocumentByID(ctx context.Context, id int64) (DocumentInfo, error) {
	var d DocumentInfo
	err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT d.id, d.kind, d.number, COALESCE(d.business_id, 0), d.note, d.created_at, COALESCE(u.name, '')
		FROM stock_documents d LEFT JOIN users u ON u.id = d.created_by WHERE d.id = ?`, id).
		Scan(&d.ID, &d.Kind, &d.Number, &d.BusinessID, &d.Note, &d.CreatedAt, &d.CreatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return d, errNotFound
	}
	return d, err
}

// Lot is a lot with what is left of it, for the expiry dashboard.
type Lot struct {
	ID         int64  `json:"id"`
	ItemID     int64  `json:"item_id"`
	Item       string `json:"item"`
	Business   string `json:"business"`
	BusinessID int64  `json:"business_id"`
	Code       string `json:"code"`
	ExpiresOn  string `json:"expires_on,omitempty"`
	Qty        int64  `json:"qty"`
	Days       int    `json:"days_left"` // negative once expired
}

// ExpiringLots lists the lots with stock that expire within days days (those
// already expired first).
func (s *Service) ExpiringLots(ctx context.Context, days int, businessID int64) ([]Lot, error) {
	today := workday.DateOf(s.DB.Clock(ctx))
	until := today.AddDays(days).String()
	q := `SELECT l.id, l.item_id, p.name, b.name, b.id, l.code, l.expires_on, SUM(bal.qty)
		FROM stock_lots l JOIN stock_balances bal ON bal.lot_id = l.id JOIN items i ON i.id = l.item_id JOIN products p ON p.id = i.product_id
		JOIN businesses b ON b.id = i.business_id
		WHERE l.expires_on <> '' AND l.expires_on <= ? AND bal.qty > 0`
	args := []any{until}
	if businessID != 0 {
		q += " AND i.business_id = ?"
		args = append(args, businessID)
	}
	q += " GROUP BY l.id, l.item_id, p.name, b.name, b.id, l.code, l.expires_on ORDER BY l.expires_on, l.id LIMIT 500"
	rows, err := s.DB.Q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Lot
	for rows.Next() {
		var l Lot
		if err := rows.Scan(&l.ID, &l.ItemID, &l.Item, &l.Business, &l.BusinessID, &l.Code, &l.ExpiresOn, &l.Qty); err != nil {
			return nil, err
		}
		if d, err := workday.ParseDate(l.ExpiresOn); err == nil {
			l.Days = daysBetween(today, d)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func daysBetween(a, b workday.Date) int {
	n := 0
	for a.Before(b) && n < 100000 {
		a = a.AddDays(1)
		n++
	}
	for b.Before(a) && n > -100000 {
		b = b.AddDays(1)
		n--
	}
	return n
}

// Slow is an item proposed for return by the slow-seller rule.
type Slow struct {
	ItemID     int64     `json:"item_id"`
	Item       string    `json:"item"`
	Business   string    `json:"business"`
	BusinessID int64     `json:"business_id"`
	OnHand     int64     `json:"on_hand"`
	LastSale   time.Time `json:"last_sale,omitzero"`
	Since      time.Time `json:"since"` // first received
	DueBack    bool      `json:"due_back"`
}

// SlowSellers lists displayed items with stock that sold nothing in days
// days, by the rule in SlowSeller, and whether their consignment period is over.
func (s *Service) SlowSellers(ctx context.Context, days int) ([]Slow, error) {
	now := s.DB.Clock(ctx)
	cutoff := now.AddDate(0, 0, -days)
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT i.id, p.name, b.name, b.id, i.on_hand,
		(SELECT MAX(m.at) FROM stock_movements m WHERE m.item_id = i.id AND m.kind = 'sold'),
		(SELECT MIN(m.at) FROM stock_movements m WHERE m.item_id = i.id AND m.kind = 'received'),
		COALESCE(t.consignment_days, ?)
		FROM items i JOIN products p ON p.id = i.product_id JOIN businesses b ON b.id = i.business_id
		LEFT JOIN consignment_terms t ON t.business_id = i.business_id
		WHERE i.status = 'displayed' AND i.on_hand > 0
		AND NOT EXISTS (SELECT 1 FROM stock_movements m WHERE m.item_id = i.id AND m.kind = 'sold' AND m.at > ?)
		ORDER BY i.id LIMIT 500`, DefaultConsignmentDays, cutoff)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Slow
	for rows.Next() {
		var x Slow
		var last, first db.NullTime
		var cdays int
		if err := rows.Scan(&x.ItemID, &x.Item, &x.Business, &x.BusinessID, &x.OnHand, &last, &first, &cdays); err != nil {
			return nil, err
		}
		x.LastSale, x.Since = last.Time, first.Time
		if !SlowSeller(x.LastSale, x.Since, now, days) {
			continue
		}
		x.DueBack = DueBack(x.Since, now, cdays)
		out = append(out, x)
	}
	return out, rows.Err()
}
