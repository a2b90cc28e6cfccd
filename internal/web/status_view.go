package web

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/settings"
	"github.com/etalase-id/etalase/internal/sop"
)

// Where an applicant stands, as their home page and their form show it: the
// open application's state, what happens next and by when, what a submission
// still lacks (each item a link to where it is filled in), the documents the
// clerk returned with their reasons, and — while samples are awaited — where
// to bring them.

type statusView struct {
	Business applicant.Business
	Open     *application.Application
	Next     i18n.Text
	Due      *time.Time
	Lacking  []linkView // what a submission still lacks (draft, documents returned)
	Returned []document.Document
	Samples  *samplesView
	Products []applicant.Product // of the open application, or the business's when there is none
	// Result is the newest application when its result is out and some of its
	// products did not pass, with those products and their reasons (step 7).
	Result    *application.Application
	NotPassed []intake.NotPassed
}

// linkView is a named thing with the address where it is dealt with.
type linkView struct {
	Href string
	Text i18n.Text
}

// samplesView is what the applicant needs to hand over the samples (SOP step 3).
type samplesView struct {
	Address, Hours, Contact, Quantity string
	FormURL                           string // the offline form to print and sign
}

// fieldHref is where a missing field of the business's form is filled in:
// "business.nib" on the profile form, "product.12" on that product's form,
// "document.pirt" at that document's row.
func fieldHref(businessID int64, field string) string {
	base := fmt.Sprintf("/businesses/%d", businessID)
	kind, rest, _ := strings.Cut(field, ".")
	switch kind {
	case "business":
		return base + "/profile#f-" + rest
	case "product":
		return base + "/products/" + rest
	case "products":
		return base + "/products/new"
	case "document":
		return base + "#dok-" + rest
	}
	return base
}

func (s *Server) applicantStatus(ctx context.Context, b applicant.Business) (statusView, error) {
	v := statusView{Business: b}
	a, open, err := s.applications.Open(ctx, b.ID)
	if err != nil {
		return v, err
	}
	if open {
		v.Open = &a
		v.Next, v.Due = a.State.NextForApplicant(), a.DueAt
		ids, err := s.applications.ProductIDs(ctx, a.ID)
		if err != nil {
			return v, err
		}
		if v.Products, err = s.applicants.ProductsByID(ctx, b.ID, ids); err != nil {
			return v, err
		}
	} else if v.Products, err = s.applicants.Products(ctx, b.ID); err != nil {
		return v, err
	}
	if !open || a.Editable() {
		l, err := s.intake.Lacking(ctx, b.ID, v.Products)
		if err != nil {
			return v, err
		}
		for _, m := range slices.Concat(l.Form, l.Documents) {
			v.Lacking = append(v.Lacking, linkView{Href: fieldHref(b.ID, m.Field), Text: m.Name})
		}
	}
	docs, err := s.documents.Current(ctx, b.ID)
	if err != nil {
		return v, err
	}
	for _, d := range docs {
		if d.Status == document.Returned {
			v.Returned = append(v.Returned, d)
		}
	}
	if err := s.notPassedStatus(ctx, &v); err != nil {
		return v, err
	}
	if open && a.State == sop.AwaitingSample {
		sv := samplesView{FormURL: fmt.Sprintf("/applications/%d/form.pdf", a.ID)}
		for key, dst := range map[string]*string{settings.GalleryAddress: &sv.Address, settings.GalleryHours: &sv.Hours,
			settings.GalleryContact: &sv.Contact, settings.SampleQuantity: &sv.Quantity} {
			if *dst, err = s.settings.Get(ctx, key); err != nil {
				return v, err
			}
		}
		v.Samples = &sv
	}
	return v, nil
}

// documentRow is one kind of document on the applicant's form: the required
// ones first, each with its own upload, then any other uploaded ones.
type documentRow struct {
	Kind     document.Kind
	Required bool
	Docs     []documentView     // current documents of this kind (photos and "other" may be several)
	Number   bool               // the upload asks for the document's number
	FromForm string             // the number, when it is taken from the business's form (KTP, NIB)
	Status   string             // "missing", or the status of the newest document
	Reason   string             // why the newest was returned
	Last     *document.Document // the newest document of this kind
}

// documentRows lays the business's documents out by kind.
func documentRows(b applicant.Business, docs []documentView, products []applicant.Product) []documentRow {
	required := intake.RequiredDocuments(products)
	var rows []documentRow
	for _, k := range document.Kinds {
		r := documentRow{Kind: k, Required: slices.Contains(required, k.Code), Status: "missing", Number: k.Number != ""}
		switch k.Code {
		case "ktp":
			r.Number, r.FromForm = false, b.NIKMasked
		case "nib":
			r.Number, r.FromForm = false, b.NIB
		}
		for i := range docs {
			if docs[i].Kind == k.Code {
				r.Docs = append(r.Docs, docs[i])
				r.Last = &docs[i].Document
			}
		}
		if r.Last != nil {
			r.Status, r.Reason = r.Last.Status, r.Last.ReviewReason
		}
		if r.Required || len(r.Docs) > 0 {
			rows = append(rows, r)
		}
	}
	return rows
}

// optionalKinds are the kinds offered in the "other documents" upload.
func optionalKinds(rows []documentRow) []document.Kind {
	var out []document.Kind
	for _, k := range document.Kinds {
		if !slices.ContainsFunc(rows, func(r documentRow) bool { return r.Kind.Code == k.Code && r.Required }) {
			out = append(out, k)
		}
	}
	return out
}

// notPassedStatus fills v.Result: the business's newest application, when its
// result is out and a product did not pass. A re-application's draft is the
// newest; its page links the old one.
func (s *Server) notPassedStatus(ctx context.Context, v *statusView) error {
	apps, err := s.applications.ByBusiness(ctx, v.Business.ID)
	if err != nil || len(apps) == 0 {
		return err
	}
	a := apps[0]
	if out, err := s.intake.ResultOut(ctx, a); err != nil || !out {
		return err
	}
	if v.NotPassed, err = s.intake.NotPassedProducts(ctx, a.ID); err != nil {
		return err
	}
	if len(v.NotPassed) > 0 {
		v.Result = &a
	}
	return nil
}
