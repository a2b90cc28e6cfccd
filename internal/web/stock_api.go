package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/print"
	"github.com/etalase-id/etalase/internal/stock"
)

// The stock API: items, locations, receipts, movements and their reversal,
// lots near expiry, labels; and the public catalogue, which needs no token.

func (s *Server) stockAPIRoutes() []apiRoute {
	return []apiRoute{
		{"GET", "/api/v1/items", s.apiAuth(s.apiItems)},
		{"POST", "/api/v1/items", s.apiAuth(s.apiItemCreate)},
		{"GET", "/api/v1/items/{id}", s.apiAuth(s.apiItem)},
		{"POST", "/api/v1/items/{id}/receipts", s.apiAuth(s.apiItemReceive)},
		{"GET", "/api/v1/items/{id}/labels", s.apiAuth(s.apiItemLabels)},
		{"GET", "/api/v1/locations", s.apiAuth(s.apiLocations)},
		{"POST", "/api/v1/locations", s.apiAuth(s.apiLocationCreate)},
		{"GET", "/api/v1/movements", s.apiAuth(s.apiMovements)},
		{"POST", "/api/v1/movements/{id}/reversal", s.apiAuth(s.apiMovementReverse)},
		{"GET", "/api/v1/lots/expiring", s.apiAuth(s.apiLotsExpiring)},
		{"GET", "/api/v1/catalog", s.apiCatalog},
		{"GET", "/api/v1/catalog/{id}", s.apiCatalogItem},
	}
}

func queryID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	return n
}

func badJSON(what string) error {
	return apperr.InvalidField("api.body", "body", i18n.Text{ID: "Kirim JSON " + what + ".", EN: "Send JSON " + what + "."})
}

// stockReader says whether u may read the stock of business biz (0: all).
func (s *Server) stockReader(r *http.Request, biz int64) error {
	u := s.user(r)
	if stock.SeesStock(u) {
		return nil
	}
	if biz != 0 {
		if b, err := s.applicants.Get(r.Context(), biz); err == nil && policy.ViewsBusiness(u, b.OwnerID) {
			return nil
		}
	}
	return errForbidden
}

func (s *Server) apiItems(w http.ResponseWriter, r *http.Request) {
	biz := queryID(r, "business_id")
	if err := s.stockReader(r, biz); err != nil {
		s.apiError(w, r, err)
		return
	}
	limit := queryInt(r, "limit", 50, 1, 500)
	items, err := s.app.Stock.Items(r.Context(), stock.ItemFilter{BusinessID: biz, After: queryID(r, "after"), Limit: limit + 1})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var next *int64
	if len(items) > limit {
		items = items[:limit]
		next = &items[limit-1].ID
	}
	if items == nil {
		items = []stock.Item{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next_after": next})
}

func (s *Server) apiItemCreate(w http.ResponseWriter, r *http.Request) {
	var b struct {
		ApplicationID int64  `json:"application_id"`
		ProductID     int64  `json:"product_id"`
		Price         int64  `json:"price"`
		SMEPrice      *int64 `json:"sme_price"`
		SharePercent  string `json:"share_percent"`
		LocationID    int64  `json:"location_id"`
		Shelf         string `json:"shelf"`
		Barcode       string `json:"barcode"`
		LowStock      int    `json:"low_stock"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&b); err != nil {
		s.apiError(w, r, badJSON(`{"application_id": 1, "product_id": 2, "price": 25000}`))
		return
	}
	in := stock.ItemInput{ApplicationID: b.ApplicationID, ProductID: b.ProductID, Price: strconv.FormatInt(b.Price, 10), Share: b.SharePercent,
		LocationID: b.LocationID, Shelf: b.Shelf, Barcode: b.Barcode, LowStock: strconv.Itoa(b.LowStock)}
	if b.SMEPrice != nil {
		in.SMEPrice = strconv.FormatInt(*b.SMEPrice, 10)
	}
	it, err := s.app.Stock.CreateItem(r.Context(), s.user(r), in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, it)
}

func (s *Server) apiItem(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r)
	it, err := s.app.Stock.Item(r.Context(), id)
	if err == nil {
		err = s.stockReader(r, it.BusinessID)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	bal, err := s.app.Stock.Balances(r.Context(), stock.BalanceFilter{ItemID: id})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if bal == nil {
		bal = []stock.Balance{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"item": it, "balances": bal})
}

func (s *Server) apiItemReceive(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r)
	it, err := s.app.Stock.Item(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var b struct {
		LocationID int64  `json:"location_id"`
		Note       string `json:"note"`
		Key        string `json:"idempotency_key"`
		Lots       []struct {
			Qty            int64  `json:"qty"`
			ExpiresOn      string `json:"expires_on"`
			ProductionCode string `json:"production_code"`
		} `json:"lots"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 256<<10)).Decode(&b); err != nil {
		s.apiError(w, r, badJSON(`{"lots": [{"qty": 24, "expires_on": "2027-03-01", "production_code": "KT-01"}]}`))
		return
	}
	in := stock.ReceiveInput{BusinessID: it.BusinessID, LocationID: b.LocationID, Note: b.Note, Key: b.Key}
	for _, l := range b.Lots {
		in.Lines = append(in.Lines, stock.ReceiveLine{ItemID: id, Qty: strconv.FormatInt(l.Qty, 10), ExpiresOn: l.ExpiresOn, ProductionCode: l.ProductionCode})
	}
	p, err := s.app.Stock.Receive(r.Context(), s.user(r), in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	status := http.StatusCreated
	if p.Replayed {
		status = http.StatusOK
	}
	writeJSON(w, status, p)
}

func (s *Server) apiItemLabels(w http.ResponseWriter, r *http.Request) {
	if !stock.ManagesStock(s.user(r)) {
		s.apiError(w, r, errForbidden)
		return
	}
	id, _ := pathID(r)
	it, err := s.app.Stock.Item(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if _, ok := sheetOf(r); !ok {
		s.apiError(w, r, errSheet)
		return
	}
	n := queryInt(r, "copies", 1, 1, 500)
	labels := make([]print.Label, n)
	for i := range labels {
		labels[i] = s.labelOf(r, it)
	}
	s.sendLabels(w, r, "label-"+it.SKU, labels)
}

func (s *Server) apiLocations(w http.ResponseWriter, r *http.Request) {
	if err := s.stockReader(r, 0); err != nil {
		s.apiError(w, r, err)
		return
	}
	locs, err := s.app.Stock.Locations(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": locs})
}

func (s *Server) apiLocationCreate(w http.ResponseWriter, r *http.Request) {
	var b stock.LocationInput
	var raw struct {
		Code, Name, Kind, Address string
		StartsOn                  string `json:"starts_on"`
		EndsOn                    string `json:"ends_on"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&raw); err != nil {
		s.apiError(w, r, badJSON(`{"code": "PAMERAN-JTF", "name": "Jatim Fair", "kind": "event"}`))
		return
	}
	b = stock.LocationInput{Code: raw.Code, Name: raw.Name, Kind: raw.Kind, Address: raw.Address, StartsOn: raw.StartsOn, EndsOn: raw.EndsOn}
	l, err := s.app.Stock.CreateLocation(r.Context(), s.user(r), b)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, l)
}

func (s *Server) apiMovements(w http.ResponseWriter, r *http.Request) {
	biz := queryID(r, "business_id")
	if err := s.stockReader(r, biz); err != nil {
		s.apiError(w, r, err)
		return
	}
	limit := queryInt(r, "limit", 50, 1, 500)
	ms, err := s.app.Stock.Movements(r.Context(), stock.MovementFilter{ItemID: queryID(r, "item_id"), DocumentID: queryID(r, "document_id"),
		BusinessID: biz, Before: queryID(r, "before"), Limit: limit + 1})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var next *int64
	if len(ms) > limit {
		ms = ms[:limit]
		next = &ms[limit-1].ID
	}
	if ms == nil {
		ms = []stock.MovementRow{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": ms, "next_before": next})
}

func (s *Server) apiMovementReverse(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r)
	var b struct {
		Reason string `json:"reason"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&b); err != nil {
		s.apiError(w, r, badJSON(`{"reason": "..."}`))
		return
	}
	p, err := s.app.Stock.Reverse(r.Context(), s.user(r), id, b.Reason)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

func (s *Server) apiLotsExpiring(w http.ResponseWriter, r *http.Request) {
	biz := queryID(r, "business_id")
	if err := s.stockReader(r, biz); err != nil {
		s.apiError(w, r, err)
		return
	}
	lots, err := s.app.Stock.ExpiringLots(r.Context(), queryInt(r, "days", 30, 1, 3650), biz)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if lots == nil {
		lots = []stock.Lot{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": lots})
}

func (s *Server) apiCatalog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := queryInt(r, "limit", 24, 1, 100)
	items, err := s.app.Stock.Catalog(r.Context(), stock.CatalogQuery{Words: q.Get("q"), Category: q.Get("category"), RegencyCode: q.Get("regency"),
		MinPrice: queryID(r, "min_price"), MaxPrice: queryID(r, "max_price"), Before: queryID(r, "before"), Limit: limit + 1})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var next *int64
	if len(items) > limit {
		items = items[:limit]
		next = &items[limit-1].ID
	}
	if items == nil {
		items = []stock.CatalogItem{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next_before": next})
}

func (s *Server) apiCatalogItem(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r)
	c, err := s.app.Stock.CatalogEntry(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"item": c, "url": s.absURL(r, fmt.Sprintf("/katalog/%d", c.ID))})
}
