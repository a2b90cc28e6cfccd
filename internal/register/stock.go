package register

import (
	"context"
	"io"
	"time"

	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/idn"
)

// The stock registers: gallery items, stock on hand per location, lot and
// expiry, and the movements of the ledger. Each is one query in one read
// snapshot, streamed.

func regencyName(code string) string {
	if r, ok := idn.Regency(code); ok {
		return r.Name
	}
	return ""
}

// Items writes the register of gallery items.
func Items(ctx context.Context, w io.Writer, d *db.DB) error {
	b, err := newBook("Barang", []column{{"SKU", 12}, {"Barcode", 15}, {"Sumber barcode", 10}, {"Produk", 34}, {"UMKM", 30}, {"Kabupaten/kota", 20},
		{"Kategori", 14}, {"Harga jual (Rp)", 14}, {"Harga UMKM (Rp)", 14}, {"Bagian galeri (%)", 10}, {"Lokasi pajang", 24}, {"Rak", 10},
		{"Status", 11}, {"Stok", 8}, {"Batas stok menipis", 10}, {"Dibuat", 17}})
	if err != nil {
		return err
	}
	err = d.ReadTx(ctx, func(ctx context.Context, r db.Reader) error {
		rows, err := r.QueryContext(ctx, `SELECT i.sku, i.barcode, i.barcode_source, p.name, b.name, i.regency_code, i.category, i.price, i.sme_price,
			COALESCE(i.share_bp, t.share_bp, -1), l.name, i.shelf, i.status, i.on_hand, i.low_stock, i.created_at
			FROM items i JOIN products p ON p.id = i.product_id JOIN businesses b ON b.id = i.business_id JOIN stock_locations l ON l.id = i.location_id
			LEFT JOIN consignment_terms t ON t.business_id = i.business_id ORDER BY i.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sku, code, src, name, biz, reg, cat, loc, shelf, status string
			var price, smePrice, onHand int64
			var share, low int
			var at time.Time
			if err := rows.Scan(&sku, &code, &src, &name, &biz, &reg, &cat, &price, &smePrice, &share, &loc, &shelf, &status, &onHand, &low, &at); err != nil {
				return err
			}
			var pct any
			if share >= 0 {
				pct = float64(share) / 100
			}
			if err := b.add([]any{sku, code, src, name, biz, regencyName(reg), cat, price, smePrice, pct, loc, shelf, status, onHand, low, b.when(&at)}); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return b.close(err)
	}
	return b.finish(w)
}

// StockOnHand writes what is where: one row per item, location and lot.
func StockOnHand(ctx context.Context, w io.Writer, d *db.DB) error {
	b, err := newBook("Stok", []column{{"SKU", 12}, {"Barcode", 15}, {"Produk", 34}, {"UMKM", 30}, {"Lokasi", 24}, {"Lot / kode produksi", 16},
		{"Kedaluwarsa", 12}, {"Jumlah", 8}, {"Harga jual (Rp)", 14}, {"Nilai menurut harga UMKM (Rp)", 16}})
	if err != nil {
		return err
	}
	err = d.ReadTx(ctx, func(ctx context.Context, r db.Reader) error {
		rows, err := r.QueryContext(ctx, `SELECT i.sku, i.barcode, p.name, b.name, loc.name, l.code, l.expires_on, bal.qty, i.price, i.sme_price
			FROM stock_balances bal JOIN stock_lots l ON l.id = bal.lot_id JOIN stock_locations loc ON loc.id = bal.location_id
			JOIN items i ON i.id = bal.item_id JOIN products p ON p.id = i.product_id JOIN businesses b ON b.id = i.business_id
			WHERE bal.qty > 0 ORDER BY i.id, loc.id, l.expires_on, l.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sku, code, name, biz, loc, lot, exp string
			var qty, price, smePrice int64
			if err := rows.Scan(&sku, &code, &name, &biz, &loc, &lot, &exp, &qty, &price, &smePrice); err != nil {
				return err
			}
			if err := b.add([]any{sku, code, name, biz, loc, lot, exp, qty, price, qty * smePrice}); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return b.close(err)
	}
	return b.finish(w)
}

// Movements writes the ledger, oldest first.
func Movements(ctx context.Context, w io.Writer, d *db.DB) error {
	b, err := newBook("Gerakan stok", []column{{"Waktu", 17}, {"Dokumen", 17}, {"Jenis", 16}, {"SKU", 12}, {"Produk", 34}, {"Lokasi", 24},
		{"Lot / kode produksi", 16}, {"Kedaluwarsa", 12}, {"Jumlah", 8}, {"Harga satuan (Rp)", 14}, {"Alasan", 30}, {"Membalik gerakan", 10}, {"Oleh", 20}})
	if err != nil {
		return err
	}
	err = d.ReadTx(ctx, func(ctx context.Context, r db.Reader) error {
		rows, err := r.QueryContext(ctx, `SELECT m.at, d.number, m.kind, i.sku, p.name, loc.name, l.code, l.expires_on, m.qty, m.unit_price, m.reason,
			COALESCE(m.reverses_id, 0), COALESCE(u.name, '')
			FROM stock_movements m JOIN stock_documents d ON d.id = m.document_id JOIN items i ON i.id = m.item_id JOIN products p ON p.id = i.product_id
			JOIN stock_lots l ON l.id = m.lot_id JOIN stock_locations loc ON loc.id = m.location_id LEFT JOIN users u ON u.id = m.actor_id ORDER BY m.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var at time.Time
			var number, kind, sku, name, loc, lot, exp, reason, who string
			var qty, rev int64
			var price *int64
			if err := rows.Scan(&at, &number, &kind, &sku, &name, &loc, &lot, &exp, &qty, &price, &reason, &rev, &who); err != nil {
				return err
			}
			var p, rv any
			if price != nil {
				p = *price
			}
			if rev != 0 {
				rv = rev
			}
			if err := b.add([]any{b.when(&at), number, kind, sku, name, loc, lot, exp, qty, p, reason, rv, who}); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return b.close(err)
	}
	return b.finish(w)
}
