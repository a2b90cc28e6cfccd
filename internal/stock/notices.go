package stock

import (
	"context"
	"fmt"
)

// Notices to SMEs about their stock: lots nearing expiry (collect and
// replace them) and items running low (send more).
//
// SEAM(messages): the message queue is being built as its own capability.
// When it lands, a periodic job (daily, in the queue's own scheduler) calls
// DueNotices and enqueues one WhatsApp/e-mail message per Notice in the same
// transaction that records it as sent, so a notice goes out once. Until then
// nothing is sent: the SME sees the same facts on their stock page
// (/businesses/{id}/stock) and staff on the dashboard. This function is the
// whole of the stock side of that job.

// Notice is what one SME should be told.
type Notice struct {
	BusinessID int64
	Kind       string // "expiring" or "low_stock"
	ItemID     int64
	Item       string
	LotCode    string
	ExpiresOn  string
	Qty        int64
	Text       string // the message in Bahasa Indonesia
}

// NoticeExpiryDays is how near its expiry a lot is worth a notice.
const NoticeExpiryDays = 14

// DueNotices lists the notices due now, by SME.
func (s *Service) DueNotices(ctx context.Context) ([]Notice, error) {
	lots, err := s.ExpiringLots(ctx, NoticeExpiryDays, 0)
	if err != nil {
		return nil, err
	}
	var out []Notice
	for _, l := range lots {
		out = append(out, Notice{BusinessID: l.BusinessID, Kind: "expiring", ItemID: l.ItemID, Item: l.Item, LotCode: l.Code, ExpiresOn: l.ExpiresOn, Qty: l.Qty,
			Text: fmt.Sprintf("%d unit %s (lot %s) di galeri kedaluwarsa %s. Mohon diambil dan diganti dengan stok baru.", l.Qty, l.Item, l.Code, l.ExpiresOn)})
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT i.business_id, i.id, p.name, i.on_hand FROM items i JOIN products p ON p.id = i.product_id
		WHERE i.status = 'displayed' AND i.low_stock > 0 AND i.on_hand <= i.low_stock ORDER BY i.business_id, i.id LIMIT 5000`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n Notice
		if err := rows.Scan(&n.BusinessID, &n.ItemID, &n.Item, &n.Qty); err != nil {
			return nil, err
		}
		n.Kind = "low_stock"
		n.Text = fmt.Sprintf("Stok %s di galeri tinggal %d. Silakan kirim stok tambahan.", n.Item, n.Qty)
		out = append(out, n)
	}
	return out, rows.Err()
}
