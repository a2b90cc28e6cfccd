package demo

import (
	"context"
	"fmt"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/stock"
)

// seedStock puts Bu Lilik's products on display: items (one with her own
// EAN-13, one with an in-store code), her consignment terms, stock received
// in two lots into the gallery (one lot near its expiry), part of it moved to
// an event stand, and an item that has not sold since it arrived two months
// ago (a slow seller). Her third product passed too and waits to be made an
// item: the clerk's next piece of work on the dashboard.
func seedStock(ctx context.Context, s *app.App, c *clock, clerk, expert account.User) error {
	var appID, bizID int64
	if err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT a.id, b.id FROM applications a JOIN businesses b ON b.id = a.business_id
		WHERE b.name = 'Sambal Bawang Bu Lilik'`).Scan(&appID, &bizID); err != nil {
		return err
	}
	ids, err := s.Applications.ProductIDs(ctx, appID)
	if err != nil {
		return err
	}
	// Her products went through the September round: all passed, announced.
	c.at(-57, 10, 0)
	rd, err := curateAllPassed(ctx, s, clerk, expert, "Kurasi September 2026", appID)
	if err != nil {
		return fmt.Errorf("her curation: %w", err)
	}
	c.at(-56, 14, 0)
	if _, err := s.AnnounceRound(ctx, clerk, rd.ID); err != nil {
		return fmt.Errorf("her announcement: %w", err)
	}
	for i, id := range ids {
		if _, _, err := s.Documents.Add(ctx, clerk, document.Upload{BusinessID: bizID, ProductID: id, Kind: "foto_produk", File: scan(fmt.Sprint("foto", i)), FileName: "foto.png", Reason: "Foto produk untuk katalog galeri"}); err != nil {
			return err
		}
	}
	c.at(-55, 9, 30)
	if _, err := s.Stock.SetTerms(ctx, clerk, bizID, stock.TermsInput{StartsOn: c.t.Format("2006-01-02"), EndsOn: c.t.AddDate(1, 0, 0).Format("2006-01-02"), Share: "15", ConsignmentDays: "90"}); err != nil {
		return err
	}
	sambal, err := s.Stock.CreateItem(ctx, clerk, stock.ItemInput{ApplicationID: appID, ProductID: ids[0], Price: "25.000", SMEPrice: "21.000", Barcode: "8991234567891", Shelf: "Rak A2", LowStock: "5"})
	if err != nil {
		return err
	}
	abon, err := s.Stock.CreateItem(ctx, clerk, stock.ItemInput{ApplicationID: appID, ProductID: ids[1], Price: "35.000", Shelf: "Rak A3", LowStock: "3"})
	if err != nil {
		return err
	}
	if _, err := s.Stock.Receive(ctx, clerk, stock.ReceiveInput{BusinessID: bizID, Lines: []stock.ReceiveLine{
		{ItemID: abon.ID, Qty: "12", ExpiresOn: c.t.AddDate(0, 5, 0).Format("2006-01-02"), ProductionCode: "AL-01"}}}); err != nil {
		return err
	}
	c.at(-1, 10, 15)
	if _, err := s.Stock.Receive(ctx, clerk, stock.ReceiveInput{BusinessID: bizID, Note: "Kiriman kedua", Lines: []stock.ReceiveLine{
		{ItemID: sambal.ID, Qty: "10", ExpiresOn: c.t.AddDate(0, 0, 20).Format("2006-01-02"), ProductionCode: "SB-2410"},
		{ItemID: sambal.ID, Qty: "24", ExpiresOn: c.t.AddDate(0, 4, 0).Format("2006-01-02"), ProductionCode: "SB-2411"}}}); err != nil {
		return err
	}
	stand, err := s.Stock.CreateLocation(ctx, clerk, stock.LocationInput{Code: "PAMERAN-JTF", Name: "Stan Jatim Fair, Grand City Surabaya", Kind: "event",
		StartsOn: c.t.Format("2006-01-02"), EndsOn: c.t.AddDate(0, 0, 10).Format("2006-01-02")})
	if err != nil {
		return err
	}
	gallery, err := s.Stock.Gallery(ctx)
	if err != nil {
		return err
	}
	c.at(0, 8, 45)
	_, err = s.Stock.Transfer(ctx, clerk, stock.TransferInput{From: gallery.ID, To: stand.ID, Lines: []stock.OutLine{{ItemID: sambal.ID, Qty: "6"}}, Note: "Untuk pameran"})
	return err
}
