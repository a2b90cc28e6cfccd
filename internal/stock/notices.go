package stock

import (
	"context"
	"fmt"
	"strconv"

	"github.com/etalase-id/etalase/internal/message"
	"github.com/etalase-id/etalase/internal/workday"
)

// Notices to SMEs about their stock: lots nearing expiry (collect and
// replace them) and items running low (send more). The message queue's hourly
// job asks for them (the stock is a message.NoticeSource) and sends each
// once: a lot's expiry notice once per lot, a low-stock notice at most once a
// week per item.

// NoticeExpiryDays is how near its expiry a lot is worth a notice.
const NoticeExpiryDays = 14

// MessageNotices lists the notices due now, each for the SME's owner.
func (s *Service) MessageNotices(ctx context.Context) ([]message.Notice, error) {
	lots, err := s.ExpiringLots(ctx, NoticeExpiryDays, 0)
	if err != nil {
		return nil, err
	}
	owners := map[int64]int64{} // business → owner account
	owner := func(businessID int64) (int64, error) {
		if id, ok := owners[businessID]; ok {
			return id, nil
		}
		var id int64
		err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT owner_id FROM businesses WHERE id = ?", businessID).Scan(&id)
		owners[businessID] = id
		return id, err
	}
	var out []message.Notice
	add := func(businessID int64, event, key string, vars map[string]string) error {
		id, err := owner(businessID)
		if err != nil {
			return err
		}
		u, err := s.Accounts.Get(ctx, id)
		if err != nil {
			return err
		}
		if !u.Active {
			return nil
		}
		vars["name"] = u.Name
		out = append(out, message.Notice{Event: event, Key: key, BusinessID: businessID, User: u, Vars: vars})
		return nil
	}
	for _, l := range lots {
		if l.Days < 0 {
			continue // already expired: staff write it off; the SME was told before
		}
		if err := add(l.BusinessID, message.StockExpiring, fmt.Sprintf("stock_expiring:lot%d", l.ID), map[string]string{
			"item": l.Item, "qty": strconv.FormatInt(l.Qty, 10), "lot": l.Code, "expires": l.ExpiresOn}); err != nil {
			return nil, err
		}
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT i.business_id, i.id, p.name, i.on_hand FROM items i JOIN products p ON p.id = i.product_id
		WHERE i.status = 'displayed' AND i.low_stock > 0 AND i.on_hand <= i.low_stock ORDER BY i.business_id, i.id LIMIT 5000`)
	if err != nil {
		return nil, err
	}
	type low struct {
		biz, item, qty int64
		name           string
	}
	var lows []low
	for rows.Next() {
		var x low
		if err := rows.Scan(&x.biz, &x.item, &x.name, &x.qty); err != nil {
			rows.Close()
			return nil, err
		}
		lows = append(lows, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The week's Monday in the key: told again next week if still low.
	today := workday.DateOf(s.DB.Clock(ctx))
	monday := today.AddDays(-((int(today.Weekday()) + 6) % 7))
	for _, x := range lows {
		if err := add(x.biz, message.StockLow, fmt.Sprintf("stock_low:item%d:%s", x.item, monday), map[string]string{
			"item": x.name, "qty": strconv.FormatInt(x.qty, 10)}); err != nil {
			return nil, err
		}
	}
	return out, nil
}
