package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"

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
		if _, _, err := s.Documents.Add(ctx, clerk, document.Upload{BusinessID: bizID, ProductID: id, Kind: "foto_produk", File: productPhoto(i), FileName: fmt.Sprintf("foto-%d.png", i+1), Reason: "Foto produk untuk katalog galeri"}); err != nil {
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

// productPhoto draws a product on the shelf for the demo's catalogue: a pouch
// or jar in the product's colour with a label, on a light table, 640×480 (the
// catalogue's 4:3), different for each i so no two photos are the same file.
func productPhoto(i int) *bytes.Reader {
	const w, h = 640, 480
	palette := []color.RGBA{{178, 34, 34, 255}, {196, 140, 60, 255}, {212, 170, 40, 255}, {70, 120, 60, 255}}
	body := palette[i%len(palette)]
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(245 - y/16), uint8(240 - y/16), uint8(230 - y/16), 255} // the wall, darker below
			if y > 380 {
				c = color.RGBA{150, 110, 80, 255} // the shelf
			}
			// The pack: a rounded body with a lid, and a white label across it.
			dx, top := x-w/2, 90+i%3*10
			inBody := dx > -120 && dx < 120 && y > top && y < 390 && !(y < top+20 && (dx < -100 || dx > 100))
			switch {
			case dx > -70 && dx < 70 && y > top-40 && y <= top:
				c = color.RGBA{60, 60, 60, 255} // the lid
			case inBody && y > 200 && y < 300:
				c = color.RGBA{250, 250, 245, 255} // the label
				if y > 240 && y < 256 && dx > -80 && dx < 60 {
					c = body // the name on the label
				}
			case inBody:
				c = body
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return bytes.NewReader(b.Bytes())
}
