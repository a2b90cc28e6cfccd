package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/print"
	"github.com/etalase-id/etalase/internal/settings"
	"github.com/etalase-id/etalase/internal/workday"
)

// The printed papers of steps 2–3: the offline form to sign, and the numbered
// sample receipt. Both carry a QR code back to the application.

// absURL is the address of path on this site, for QR codes on paper: the
// configured base URL, else the address the request came to.
func (s *Server) absURL(r *http.Request, path string) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimRight(s.cfg.BaseURL, "/") + path
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

func (s *Server) office(r *http.Request) print.Office {
	name, _ := s.settings.Get(r.Context(), settings.OfficeName)
	return print.Office{Name: name}
}

func (s *Server) applicationFormPDF(w http.ResponseWriter, r *http.Request) {
	a, ok := s.application(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	b, err := s.applicants.Get(ctx, a.BusinessID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !policy.SeesContact(s.user(r), a.OwnerID) {
		b = b.ContactMasked()
	}
	ids, err := s.applications.ProductIDs(ctx, a.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	products, err := s.applicants.ProductsByID(ctx, a.BusinessID, ids)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	docs, err := s.documents.Current(ctx, a.BusinessID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := print.OfflineFormData{Office: s.office(r), ApplicationNumber: a.Number, PrintedAt: s.db.Clock(ctx), URL: s.absURL(r, fmt.Sprintf("/applications/%d", a.ID)),
		Business: print.Business{Name: b.Name, OwnerName: b.OwnerName, NIKMasked: b.NIKMasked, NIB: b.NIB, Address: b.Address, WhatsApp: b.WhatsApp,
			Email: b.Email, Category: b.Category, YearStarted: b.YearStarted}}
	if reg, ok := idn.Regency(b.RegencyCode); ok {
		f.Business.Regency = reg.Name
	}
	if p, ok := idn.Province(b.ProvinceCode); ok {
		f.Business.Province = p.Name
	}
	if sz, ok := idn.ParseBusinessSize(b.Size); ok {
		f.Business.Size = sz.Label().ID
	}
	if events, err := s.applications.Events(ctx, a.ID); err == nil {
		for _, e := range events {
			if e.Action == "submit" {
				f.SubmittedAt = e.At
			}
		}
	}
	for _, p := range products {
		f.Products = append(f.Products, print.Product{Name: p.Name, Category: p.Category, NetContent: p.NetContent, Packaging: p.Packaging,
			ShelfLifeDays: p.ShelfLifeDays, Price: p.Price, PIRT: p.PIRT, Halal: p.Halal, BPOM: p.BPOM})
	}
	for _, d := range docs {
		f.Documents = append(f.Documents, print.Document{Name: document.Label(d.Kind).ID, Number: d.Number,
			Status: s.cat.T("id", "doc.status."+d.Status), Note: d.ReviewReason})
	}
	var buf bytes.Buffer
	if err := print.OfflineForm(&buf, f); err != nil {
		s.serverError(w, r, err)
		return
	}
	servePDF(w, fmt.Sprintf("formulir-%s.pdf", a.Number), buf.Bytes())
}

func (s *Server) applicationReceiptPDF(w http.ResponseWriter, r *http.Request) {
	a, ok := s.application(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	rc, err := s.intake.SampleReceipt(ctx, a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	samples, err := s.intake.Samples(ctx, a.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	b, err := s.applicants.Get(ctx, a.BusinessID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := print.SampleReceiptData{Office: s.office(r), ReceiptNumber: rc.Number, ApplicationNumber: a.Number, BusinessName: b.Name, OwnerName: b.OwnerName,
		ReceivedAt: rc.CreatedAt, ReceivedBy: rc.ReceivedBy, PrintedAt: s.db.Clock(ctx), URL: s.absURL(r, fmt.Sprintf("/applications/%d", a.ID))}
	// The curation due date is that of the step the samples started, whatever
	// state the application is in now.
	if events, err := s.applications.Events(ctx, a.ID); err == nil {
		for _, e := range events {
			if e.Action == "record_samples" && e.DueAt != nil {
				d.CurationDue = *e.DueAt
			}
		}
	}
	for _, x := range samples {
		exp, _ := workday.ParseDate(x.ExpiryDate)
		sm := print.Sample{ProductName: x.ProductName, Quantity: x.Quantity, ProductionCode: x.ProductionCode, NetContent: x.NetContent, Condition: x.Condition, Notes: x.Notes}
		if !exp.IsZero() {
			sm.ExpiryDate = exp.StartWIB()
		}
		d.Samples = append(d.Samples, sm)
	}
	if d.VerifyURL, err = s.receiptLetter(r, a.ID, d); err != nil {
		s.serverError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := print.SampleReceipt(&buf, d); err != nil {
		s.serverError(w, r, err)
		return
	}
	servePDF(w, fmt.Sprintf("tanda-terima-%s.pdf", rc.Number), buf.Bytes())
}

func servePDF(w http.ResponseWriter, name string, b []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf("inline; filename=%q", name))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(b)
}
