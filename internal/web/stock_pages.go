package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/importer"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/print"
	"github.com/etalase-id/etalase/internal/stock"
)

// Step 9 and the stock: the clerk's dashboard, items, handovers and returns,
// labels, locations; and the SME's own view in their portal.

type stockHome struct {
	Passed    []stock.Passed
	Items     []stock.Item
	Expiring  []stock.Lot
	Slow      []stock.Slow
	Days      int // the expiry window shown: 30, 60 or 90 (or another)
	SlowDays  int
	Windows   []int
	NextURL   string
	FirstURL  string
	Locations []stock.Location
}

func queryInt(r *http.Request, name string, def, lo, hi int) int {
	n, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil || n < lo || n > hi {
		return def
	}
	return n
}

func (s *Server) stockHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := stockHome{Days: queryInt(r, "days", 30, 1, 365), SlowDays: queryInt(r, "slow", 60, 1, 3650), Windows: []int{30, 60, 90}}
	var err error
	if d.Passed, err = s.app.Stock.PassedWithoutItem(ctx, 100); err != nil {
		s.serverError(w, r, err)
		return
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	const per = 50
	if d.Items, err = s.app.Stock.Items(ctx, stock.ItemFilter{After: after, Limit: per + 1}); err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(d.Items) > per {
		d.Items = d.Items[:per]
		d.NextURL = fmt.Sprintf("/stock?after=%d", d.Items[per-1].ID)
	}
	if after > 0 {
		d.FirstURL = "/stock"
	}
	if d.Expiring, err = s.app.Stock.ExpiringLots(ctx, d.Days, 0); err != nil {
		s.serverError(w, r, err)
		return
	}
	if d.Slow, err = s.app.Stock.SlowSellers(ctx, d.SlowDays); err != nil {
		s.serverError(w, r, err)
		return
	}
	if d.Locations, err = s.app.Stock.Locations(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "stock/home", page{Title: "stock.title", Data: d})
}

type itemNew struct {
	Passed    stock.Passed
	Locations []stock.Location
}

func (s *Server) passedProduct(r *http.Request, appID, productID int64) (stock.Passed, bool) {
	list, err := s.app.Stock.PassedWithoutItem(r.Context(), 1000)
	if err != nil {
		return stock.Passed{}, false
	}
	for _, p := range list {
		if p.ApplicationID == appID && p.ProductID == productID {
			return p, true
		}
	}
	return stock.Passed{}, false
}

func (s *Server) itemNewForm(w http.ResponseWriter, r *http.Request) {
	appID, _ := strconv.ParseInt(r.URL.Query().Get("application"), 10, 64)
	pid, _ := strconv.ParseInt(r.URL.Query().Get("product"), 10, 64)
	p, ok := s.passedProduct(r, appID, pid)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	locs, err := s.app.Stock.Locations(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := newForm(r)
	f.values = url.Values{"price": {rupiahPlain(p.Price)}, "sme_price": {rupiahPlain(p.Price)}}
	s.render(w, r, http.StatusOK, "stock/item_new", page{Title: "item.new.title", Form: f, Data: itemNew{Passed: p, Locations: locs}})
}

func rupiahPlain(n int64) string {
	if n <= 0 {
		return ""
	}
	return strings.TrimPrefix(idn.FormatRupiah(n), "Rp ")
}

func (s *Server) itemCreate(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	pf := r.PostForm
	appID, _ := strconv.ParseInt(pf.Get("application"), 10, 64)
	pid, _ := strconv.ParseInt(pf.Get("product"), 10, 64)
	loc, _ := strconv.ParseInt(pf.Get("location"), 10, 64)
	it, err := s.app.Stock.CreateItem(r.Context(), s.user(r), stock.ItemInput{ApplicationID: appID, ProductID: pid, Price: pf.Get("price"), SMEPrice: pf.Get("sme_price"),
		Share: pf.Get("share"), LocationID: loc, Shelf: pf.Get("shelf"), Barcode: pf.Get("barcode"), LowStock: pf.Get("low_stock")})
	if err != nil {
		p, _ := s.passedProduct(r, appID, pid)
		locs, _ := s.app.Stock.Locations(r.Context())
		s.formError(w, r, err, "stock/item_new", page{Title: "item.new.title", Here: fmt.Sprintf("/stock/items/new?application=%d&product=%d", appID, pid), Data: itemNew{Passed: p, Locations: locs}})
		return
	}
	s.flash(w, "item.created")
	http.Redirect(w, r, fmt.Sprintf("/stock/items/%d", it.ID), http.StatusSeeOther)
}

type itemPage struct {
	Item      stock.Item
	Balances  []stock.Balance
	Movements []stock.MovementRow
	Locations []stock.Location
	Sheets    []print.Sheet
	Public    string
	Staff     bool
	Statuses  []string
	LotRows   []lotRow
}

type lotRow struct{ Index, Number int }

func (s *Server) item(w http.ResponseWriter, r *http.Request) (stock.Item, bool) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return stock.Item{}, false
	}
	it, err := s.app.Stock.Item(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return it, false
	}
	return it, true
}

func (s *Server) itemPageData(r *http.Request, it stock.Item) (itemPage, error) {
	ctx := r.Context()
	d := itemPage{Item: it, Sheets: print.Sheets, Public: s.absURL(r, fmt.Sprintf("/katalog/%d", it.ID)), Staff: stock.ManagesStock(s.user(r)),
		Statuses: []string{stock.Displayed, stock.Paused, stock.Withdrawn}, LotRows: []lotRow{{0, 1}, {1, 2}, {2, 3}}}
	var err error
	if d.Balances, err = s.app.Stock.Balances(ctx, stock.BalanceFilter{ItemID: it.ID}); err != nil {
		return d, err
	}
	if d.Movements, err = s.app.Stock.Movements(ctx, stock.MovementFilter{ItemID: it.ID, Limit: 50}); err != nil {
		return d, err
	}
	d.Locations, err = s.app.Stock.Locations(ctx)
	return d, err
}

func (s *Server) itemShow(w http.ResponseWriter, r *http.Request) {
	it, ok := s.item(w, r)
	if !ok {
		return
	}
	d, err := s.itemPageData(r, it)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "stock/item", page{Title: "item.title", Data: d})
}

// itemReceive takes up to three lots of the item at once.
func (s *Server) itemReceive(w http.ResponseWriter, r *http.Request) {
	it, ok := s.item(w, r)
	if !ok || !s.postForm(w, r) {
		return
	}
	pf := r.PostForm
	loc, _ := strconv.ParseInt(pf.Get("location"), 10, 64)
	in := stock.ReceiveInput{BusinessID: it.BusinessID, LocationID: loc, Note: pf.Get("note"), Key: pf.Get("key")}
	for i := 0; i < 3; i++ {
		q := strings.TrimSpace(pf.Get(fmt.Sprintf("qty_%d", i)))
		if q == "" && strings.TrimSpace(pf.Get(fmt.Sprintf("expires_on_%d", i))) == "" {
			continue
		}
		in.Lines = append(in.Lines, stock.ReceiveLine{ItemID: it.ID, Qty: q, ExpiresOn: pf.Get(fmt.Sprintf("expires_on_%d", i)), ProductionCode: pf.Get(fmt.Sprintf("production_code_%d", i))})
	}
	p, err := s.app.Stock.Receive(r.Context(), s.user(r), in)
	if err != nil {
		d, derr := s.itemPageData(r, it)
		if derr != nil {
			s.serverError(w, r, derr)
			return
		}
		s.formError(w, r, err, "stock/item", page{Title: "item.title", Here: fmt.Sprintf("/stock/items/%d", it.ID), Data: d})
		return
	}
	s.flash(w, "stock.received")
	http.Redirect(w, r, fmt.Sprintf("/stock/documents/%d", p.DocumentID), http.StatusSeeOther)
}

func (s *Server) itemReturn(w http.ResponseWriter, r *http.Request) {
	it, ok := s.item(w, r)
	if !ok || !s.postForm(w, r) {
		return
	}
	pf := r.PostForm
	loc, _ := strconv.ParseInt(pf.Get("return_location"), 10, 64)
	p, err := s.app.Stock.Return(r.Context(), s.user(r), stock.ReturnInput{BusinessID: it.BusinessID, LocationID: loc,
		Lines: []stock.OutLine{{ItemID: it.ID, Qty: pf.Get("return_qty")}}, Reason: pf.Get("return_reason")})
	if err != nil {
		d, derr := s.itemPageData(r, it)
		if derr != nil {
			s.serverError(w, r, derr)
			return
		}
		if e, ok := apperr.As(err); ok && len(e.Fields) == 0 {
			e2 := *e
			e2.Fields = []apperr.Field{{Name: "return_qty", Text: e.Text}}
			err = &e2
		}
		s.formError(w, r, err, "stock/item", page{Title: "item.title", Here: fmt.Sprintf("/stock/items/%d", it.ID), Data: d})
		return
	}
	s.flash(w, "stock.returned")
	http.Redirect(w, r, fmt.Sprintf("/stock/documents/%d", p.DocumentID), http.StatusSeeOther)
}

func (s *Server) itemStatus(w http.ResponseWriter, r *http.Request) {
	it, ok := s.item(w, r)
	if !ok || !s.postForm(w, r) {
		return
	}
	if err := s.app.Stock.SetStatus(r.Context(), s.user(r), it.ID, r.PostForm.Get("status"), r.PostForm.Get("reason")); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/stock/items/%d", it.ID), http.StatusSeeOther)
}

// labelOf is an item's label as printed.
func (s *Server) labelOf(r *http.Request, it stock.Item) print.Label {
	return print.Label{Name: it.Name, Business: it.Business, Price: it.Price, Barcode: it.Barcode, URL: s.absURL(r, fmt.Sprintf("/katalog/%d", it.ID))}
}

func sheetOf(r *http.Request) (print.Sheet, bool) {
	q := r.URL.Query()
	sh, ok := print.SheetByKey(q.Get("sheet"))
	if !ok {
		sh = print.Sheets[0]
	}
	// A custom grid and margins on the chosen page, when given.
	num := func(name string, v *float64) {
		if f, err := strconv.ParseFloat(strings.ReplaceAll(q.Get(name), ",", "."), 64); err == nil {
			*v = f
		}
	}
	if c, err := strconv.Atoi(q.Get("cols")); err == nil {
		sh.Cols = c
	}
	if c, err := strconv.Atoi(q.Get("rows")); err == nil {
		sh.Rows = c
	}
	num("top", &sh.Top)
	num("left", &sh.Left)
	num("label_w", &sh.LabelW)
	num("label_h", &sh.LabelH)
	num("gap_x", &sh.GapX)
	num("gap_y", &sh.GapY)
	return sh, sh.Valid()
}

var errSheet = apperr.New(apperr.Invalid, "label.sheet", "Susunan label tidak muat di kertasnya: periksa kolom, baris, ukuran dan margin.",
	"The label grid does not fit its paper: check the columns, rows, sizes and margins.")

func (s *Server) sendLabels(w http.ResponseWriter, r *http.Request, name string, labels []print.Label) {
	sh, ok := sheetOf(r)
	if !ok {
		s.fail(w, r, errSheet)
		return
	}
	skip := queryInt(r, "skip", 0, 0, sh.Cols*sh.Rows-1)
	var buf bytes.Buffer
	if err := print.Labels(&buf, sh, r.URL.Query().Get("kind") != "barcode", labels, skip); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s.pdf"`, name))
	_, _ = w.Write(buf.Bytes())
}

// itemLabels prints N labels of an item.
func (s *Server) itemLabels(w http.ResponseWriter, r *http.Request) {
	it, ok := s.item(w, r)
	if !ok {
		return
	}
	n := queryInt(r, "copies", 1, 1, 500)
	labels := make([]print.Label, n)
	for i := range labels {
		labels[i] = s.labelOf(r, it)
	}
	s.sendLabels(w, r, "label-"+it.SKU, labels)
}

type docPage struct {
	Doc       stock.DocumentInfo
	Movements []stock.MovementRow
	Sheets    []print.Sheet
	Paper     bool // a handover or return, with its paper
}

func (s *Server) stockDoc(w http.ResponseWriter, r *http.Request) (docPage, bool) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return docPage{}, false
	}
	doc, err := s.app.Stock.DocumentByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return docPage{}, false
	}
	u := s.user(r)
	if !stock.SeesStock(u) {
		if b, err := s.applicants.Get(r.Context(), doc.BusinessID); err != nil || !policy.ViewsBusiness(u, b.OwnerID) {
			s.errorPage(w, r, http.StatusNotFound)
			return docPage{}, false
		}
	}
	ms, err := s.app.Stock.Movements(r.Context(), stock.MovementFilter{DocumentID: id, Limit: 500})
	if err != nil {
		s.serverError(w, r, err)
		return docPage{}, false
	}
	return docPage{Doc: doc, Movements: ms, Sheets: print.Sheets, Paper: doc.Kind == stock.DocReceipt || doc.Kind == stock.DocReturn}, true
}

func (s *Server) stockDocShow(w http.ResponseWriter, r *http.Request) {
	d, ok := s.stockDoc(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "stock/document", page{Title: "stock.doc.title", Data: d})
}

func (s *Server) stockDocPDF(w http.ResponseWriter, r *http.Request) {
	d, ok := s.stockDoc(w, r)
	if !ok {
		return
	}
	if !d.Paper {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	ctx := r.Context()
	b, err := s.applicants.Get(ctx, d.Doc.BusinessID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	h := print.HandoverData{Office: s.office(r), Number: d.Doc.Number, Return: d.Doc.Kind == stock.DocReturn, BusinessName: b.Name, OwnerName: b.OwnerName,
		At: d.Doc.CreatedAt, Clerk: d.Doc.CreatedBy, Reason: d.Doc.Note, PrintedAt: s.db.Clock(ctx), URL: s.absURL(r, fmt.Sprintf("/stock/documents/%d", d.Doc.ID))}
	items := map[int64]stock.Item{}
	for _, m := range d.Movements {
		it, ok := items[m.ItemID]
		if !ok {
			if it, err = s.app.Stock.Item(ctx, m.ItemID); err != nil {
				s.serverError(w, r, err)
				return
			}
			items[m.ItemID] = it
		}
		h.Location = m.Location
		q := m.Qty
		if q < 0 {
			q = -q
		}
		h.Lines = append(h.Lines, print.HandoverLine{Name: it.Name, SKU: it.SKU, Barcode: it.Barcode, LotCode: m.LotCode, ExpiresOn: m.ExpiresOn, Qty: q, SMEPrice: it.SMEPrice, Price: it.Price})
	}
	var buf bytes.Buffer
	if err := print.Handover(&buf, h); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s.pdf"`, d.Doc.Number))
	_, _ = w.Write(buf.Bytes())
}

// stockDocLabels prints one label per unit received on a handover.
func (s *Server) stockDocLabels(w http.ResponseWriter, r *http.Request) {
	d, ok := s.stockDoc(w, r)
	if !ok {
		return
	}
	items := map[int64]stock.Item{}
	var labels []print.Label
	for _, m := range d.Movements {
		if m.Qty <= 0 {
			continue
		}
		it, ok := items[m.ItemID]
		if !ok {
			var err error
			if it, err = s.app.Stock.Item(r.Context(), m.ItemID); err != nil {
				s.serverError(w, r, err)
				return
			}
			items[m.ItemID] = it
		}
		for i := int64(0); i < m.Qty && len(labels) < 2000; i++ {
			labels = append(labels, s.labelOf(r, it))
		}
	}
	s.sendLabels(w, r, "label-"+d.Doc.Number, labels)
}

type locationsPage struct{ Locations []stock.Location }

func (s *Server) stockLocations(w http.ResponseWriter, r *http.Request) {
	locs, err := s.app.Stock.Locations(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "stock/locations", page{Title: "stock.locations", Data: locationsPage{locs}})
}

func (s *Server) stockLocationCreate(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	pf := r.PostForm
	_, err := s.app.Stock.CreateLocation(r.Context(), s.user(r), stock.LocationInput{Code: pf.Get("code"), Name: pf.Get("name"), Kind: pf.Get("kind"),
		Address: pf.Get("address"), StartsOn: pf.Get("starts_on"), EndsOn: pf.Get("ends_on")})
	if err != nil {
		locs, _ := s.app.Stock.Locations(r.Context())
		s.formError(w, r, err, "stock/locations", page{Title: "stock.locations", Here: "/stock/locations", Data: locationsPage{locs}})
		return
	}
	s.flash(w, "stock.location_created")
	http.Redirect(w, r, "/stock/locations", http.StatusSeeOther)
}

type smeStock struct {
	BusinessID int64
	Business   string
	Items      []stock.Item
	Balances   []stock.Balance
	Expiring   []stock.Lot
	DueBack    []stock.Slow // slow sellers whose consignment period is over: to be returned
	Terms      *stock.Terms
}

// businessStock is the SME's view: their items, stock per location, lots and
// expiry, and what is due back to them.
func (s *Server) businessStock(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	ctx := r.Context()
	b, err := s.applicants.Get(ctx, id)
	if err != nil || !policy.ViewsBusiness(s.user(r), b.OwnerID) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	d := smeStock{BusinessID: b.ID, Business: b.Name}
	if d.Items, err = s.app.Stock.Items(ctx, stock.ItemFilter{BusinessID: b.ID, Limit: 500}); err == nil {
		if d.Balances, err = s.app.Stock.Balances(ctx, stock.BalanceFilter{BusinessID: b.ID}); err == nil {
			d.Expiring, err = s.app.Stock.ExpiringLots(ctx, 30, b.ID)
		}
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if t, ok, err := s.app.Stock.TermsOf(ctx, b.ID); err == nil && ok {
		d.Terms = &t
	}
	slow, err := s.app.Stock.SlowSellers(ctx, 60)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, x := range slow {
		if x.BusinessID == b.ID && x.DueBack {
			d.DueBack = append(d.DueBack, x)
		}
	}
	s.render(w, r, http.StatusOK, "stock/business", page{Title: "stock.mine", Data: d})
}

// The stock registers in Excel, streamed from one read snapshot each.
func (s *Server) stockRegister(name string, write func(ctx context.Context, w io.Writer, d *db.DB) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.serveDownload(w, r, name, "xlsx", xlsxType, func(out io.Writer) error { return write(r.Context(), out, s.db) })
	}
}

type stockImportPage struct {
	Report  *stock.ImportReport
	Applied bool
}

func (s *Server) stockImportForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "stock/import", page{Title: "stock.import.title", Data: stockImportPage{}})
}

// stockImport checks an uploaded stock list and, when asked and nothing is
// wrong, imports it; the file is sent again for the import (it is small and
// the check is quick).
func (s *Server) stockImport(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, importer.MaxBytes+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		s.fail(w, r, errBadForm)
		return
	}
	defer r.MultipartForm.RemoveAll()
	p := page{Title: "stock.import.title", Here: "/stock/import"}
	file, _, err := r.FormFile("file")
	if err != nil {
		s.formError(w, r, apperr.InvalidField("stock.import_file", "file", textOf("Pilih berkas daftar stok (XLSX atau CSV).", "Choose the stock list file (XLSX or CSV).")), "stock/import", withData(p, stockImportPage{}))
		return
	}
	tbl, err := importer.Read(file)
	file.Close()
	if err != nil {
		s.formError(w, r, err, "stock/import", withData(p, stockImportPage{}))
		return
	}
	apply := r.PostFormValue("mode") == "apply"
	rep, err := s.app.Stock.ImportStock(r.Context(), s.user(r), tbl, apply)
	if err != nil {
		s.formError(w, r, err, "stock/import", withData(p, stockImportPage{}))
		return
	}
	status := http.StatusOK
	if len(rep.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "stock/import", withData(p, stockImportPage{Report: &rep, Applied: len(rep.Documents) > 0}))
}

func withData(p page, d any) page { p.Data = d; return p }
