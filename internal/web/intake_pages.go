package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/policy"
)

// Pages of SOP steps 1–3 on the applicant's side: the online form (business,
// products, documents) and the start of an application. The rules are the
// services'; these handlers read forms and render what the services answer.

// apply is the applicant's entry: the form for a new business, or their business.
func (s *Server) apply(w http.ResponseWriter, r *http.Request) {
	u := s.user(r)
	b, err := s.applicants.ByOwner(r.Context(), u.ID)
	if errors.Is(err, applicant.ErrNotFound) {
		f := newForm(nil)
		f.values.Set("owner_name", u.Name)
		f.values.Set("email", u.Email)
		f.values.Set("whatsapp", u.Phone)
		f.values.Set("province_code", idn.EastJava)
		s.render(w, r, http.StatusOK, "intake/business_form", page{Title: "business.title", Form: f, Data: businessFormData{Action: "/apply/business"}})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/businesses/%d", b.ID), http.StatusSeeOther)
}

// review says how a form of this business must treat changes to what an
// application under review is judged on.
type review struct {
	App         *application.Application // the application under review, if any
	NeedsReason bool                     // the user is staff: a change needs a reason
	Locked      bool                     // the user is the applicant: those fields cannot change now
}

func (s *Server) reviewOf(r *http.Request, businessID int64) (review, error) {
	a, ok, err := s.applications.UnderReview(r.Context(), businessID)
	if err != nil || !ok {
		return review{}, err
	}
	staff := policy.AmendsUnderReview(s.user(r))
	return review{App: &a, NeedsReason: staff, Locked: !staff}, nil
}

type businessFormData struct {
	Action   string
	Business *applicant.Business
	Warnings []idn.Problem
	Review   review
}

func businessInput(r *http.Request) applicant.BusinessInput {
	pf := r.PostForm
	return applicant.BusinessInput{
		Name: pf.Get("name"), OwnerName: pf.Get("owner_name"), NIK: pf.Get("nik"), NIB: pf.Get("nib"), Address: pf.Get("address"),
		ProvinceCode: pf.Get("province_code"), RegencyCode: pf.Get("regency_code"), WhatsApp: pf.Get("whatsapp"), Email: pf.Get("email"),
		Category: pf.Get("category"), Size: pf.Get("size"), YearStarted: pf.Get("year_started"), Links: pf.Get("links"), Reason: pf.Get("reason"),
	}
}

// applySave creates the applicant's own business from the first form.
func (s *Server) applySave(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	u := s.user(r)
	if b, err := s.applicants.ByOwner(r.Context(), u.ID); err == nil {
		// Saved already (a second tap, or a second tab): the form is theirs to edit.
		http.Redirect(w, r, fmt.Sprintf("/businesses/%d/profile", b.ID), http.StatusSeeOther)
		return
	}
	b, warnings, err := s.applicants.Save(r.Context(), u, u.ID, businessInput(r))
	if err != nil {
		s.formError(w, r, err, "intake/business_form", page{Title: "business.title", Here: "/apply", Data: businessFormData{Action: "/apply/business"}})
		return
	}
	s.afterBusinessSave(w, r, b, warnings)
}

func (s *Server) afterBusinessSave(w http.ResponseWriter, r *http.Request, b applicant.Business, warnings []idn.Problem) {
	if len(warnings) > 0 {
		// Saved; the warnings are shown on the form once, next to the data.
		f := newForm(r)
		f.values.Del("nik")
		f.values.Del("reason")
		s.render(w, r, http.StatusOK, "intake/business_form", page{Title: "business.title", Flash: "flash.saved", Form: f, Here: fmt.Sprintf("/businesses/%d/profile", b.ID),
			Data: businessFormData{Action: fmt.Sprintf("/businesses/%d/profile", b.ID), Business: &b, Warnings: warnings}})
		return
	}
	s.flash(w, "flash.saved")
	http.Redirect(w, r, fmt.Sprintf("/businesses/%d", b.ID), http.StatusSeeOther)
}

// business loads the {id} business if the user may change it; the service
// audits a refusal (404 for applicants, so as not to confirm what exists).
func (s *Server) business(w http.ResponseWriter, r *http.Request) (applicant.Business, bool) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return applicant.Business{}, false
	}
	b, err := s.applicants.ForEdit(r.Context(), s.user(r), id)
	if err != nil {
		s.fail(w, r, err)
		return b, false
	}
	return b, true
}

type businessPageData struct {
	Status       statusView
	Documents    []documentRow
	Optional     []document.Kind // kinds offered in the "other documents" upload
	Products     []applicant.Product
	Applications []application.Application
	Chosen       map[int64]bool // products ticked for the submission
	CanSubmit    bool           // no open application, or it is back with the applicant
	CanDelete    bool           // products and documents may still be removed
	NIKShared    int            // other businesses with the same NIK, for the staff who verify it
	Review       review
	Kind         string // the document kind to upload, when the page was opened for it
	// Rounds are the open calls taking registrations today, which the
	// submission may name; Round is the one chosen ("" for none).
	Rounds []curation.Round
	Round  string
}

// businessPage is the applicant's form overview: where they stand, then the
// profile, products and documents, each with what is still missing, and the
// one button that submits.
func (s *Server) businessPage(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok {
		return
	}
	s.renderBusiness(w, r, http.StatusOK, b, newForm(nil))
}

func (s *Server) renderBusiness(w http.ResponseWriter, r *http.Request, status int, b applicant.Business, f *form) {
	ctx := r.Context()
	u := s.user(r)
	d := businessPageData{Chosen: map[int64]bool{}, Kind: r.URL.Query().Get("kind")}
	var docs []document.Document
	var err error
	if d.Status, err = s.applicantStatus(ctx, b); err == nil {
		if d.Products, err = s.applicants.Products(ctx, b.ID); err == nil {
			if docs, err = s.documents.Current(ctx, b.ID); err == nil {
				if d.Applications, err = s.applications.ByBusiness(ctx, b.ID); err == nil {
					if d.NIKShared, err = s.applicants.NIKShared(ctx, s.user(r), b.ID); err == nil {
						d.Review, err = s.reviewOf(r, b.ID)
					}
				}
			}
		}
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	views := make([]documentView, 0, len(docs))
	for _, doc := range docs {
		views = append(views, documentView{Document: doc, CanOpen: policy.ReadsDocument(u, doc.OwnerID, doc.Identity())})
	}
	d.Documents = documentRows(b, views, d.Status.Products)
	d.Optional = optionalKinds(d.Documents)
	open := d.Status.Open
	d.CanSubmit = open == nil || open.Editable()
	d.CanDelete = d.Review.App == nil
	for _, p := range d.Status.Products {
		d.Chosen[p.ID] = true
	}
	if open == nil {
		for _, p := range d.Products {
			d.Chosen[p.ID] = true // a first submission offers every product
		}
	}
	if d.CanSubmit {
		if d.Rounds, err = s.app.Curation.Registering(ctx); err != nil {
			s.serverError(w, r, err)
			return
		}
		if open != nil {
			if rd, ok, err := s.app.Curation.RequestedRound(ctx, open.ID); err == nil && ok {
				d.Round = strconv.FormatInt(rd.ID, 10)
			}
		}
	}
	if r.Method == http.MethodPost && r.PostForm != nil {
		if r.PostForm.Has("round") {
			d.Round = r.PostForm.Get("round")
		}
		if ids := formIDs(r, "product"); len(ids) > 0 {
			d.Chosen = map[int64]bool{}
			for _, id := range ids {
				d.Chosen[id] = true
			}
		}
	}
	f.linkFields(func(field string) string { return fieldHref(b.ID, field) })
	s.render(w, r, status, "intake/business", page{Title: "business.overview", Form: f, Here: fmt.Sprintf("/businesses/%d", b.ID), Data: d})
}

func (s *Server) businessProfileForm(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok {
		return
	}
	rv, err := s.reviewOf(r, b.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := newForm(nil)
	for k, v := range map[string]string{"name": b.Name, "owner_name": b.OwnerName, "nib": b.NIB, "address": b.Address, "province_code": b.ProvinceCode,
		"regency_code": b.RegencyCode, "whatsapp": b.WhatsApp, "email": b.Email, "category": b.Category, "size": b.Size, "links": b.Links} {
		f.values.Set(k, v)
	}
	if b.YearStarted > 0 {
		f.values.Set("year_started", strconv.Itoa(b.YearStarted))
	}
	if b.ProvinceCode == "" {
		f.values.Set("province_code", idn.EastJava)
	}
	s.render(w, r, http.StatusOK, "intake/business_form", page{Title: "business.title", Form: f,
		Data: businessFormData{Action: fmt.Sprintf("/businesses/%d/profile", b.ID), Business: &b, Review: rv}})
}

func (s *Server) businessProfileSave(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok || !s.postForm(w, r) {
		return
	}
	nb, warnings, err := s.applicants.Save(r.Context(), s.user(r), b.OwnerID, businessInput(r))
	if err != nil {
		rv, _ := s.reviewOf(r, b.ID)
		s.formError(w, r, err, "intake/business_form", page{Title: "business.title", Here: fmt.Sprintf("/businesses/%d/profile", b.ID),
			Data: businessFormData{Action: fmt.Sprintf("/businesses/%d/profile", b.ID), Business: &b, Review: rv}})
		return
	}
	s.afterBusinessSave(w, r, nb, warnings)
}

type productFormData struct {
	Business applicant.Business
	Product  *applicant.Product
	Action   string
	Warnings []idn.Problem
	Review   review
}

func productInput(r *http.Request) applicant.ProductInput {
	pf := r.PostForm
	return applicant.ProductInput{
		Name: pf.Get("name"), Category: pf.Get("category"), FoodType: pf.Get("food_type"), Description: pf.Get("description"), Composition: pf.Get("composition"),
		NetContent: pf.Get("net_content"), Packaging: pf.Get("packaging"), ShelfLifeDays: pf.Get("shelf_life_days"), Price: pf.Get("price"),
		CapacityPerMonth: pf.Get("capacity_per_month"), PIRT: pf.Get("pirt"), Halal: pf.Get("halal"), BPOM: pf.Get("bpom"), Reason: pf.Get("reason"),
	}
}

// productFields renders the food-only fields of the product form for the
// chosen category (htmx swaps them in when the category changes), keeping
// what was typed in them.
func (s *Server) productFields(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok {
		return
	}
	f := newForm(nil)
	f.values = r.URL.Query()
	s.render(w, r, http.StatusOK, "intake/product_form", page{Form: f, Fragment: "food-fields", Data: productFormData{Business: b}})
}

func (s *Server) productNewForm(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok {
		return
	}
	f := newForm(nil)
	f.values.Set("category", b.Category)
	s.render(w, r, http.StatusOK, "intake/product_form", page{Title: "product.new", Form: f, Data: productFormData{Business: b, Action: fmt.Sprintf("/businesses/%d/products", b.ID)}})
}

// productReview is the review a product's form is under: only a product in the
// application under review is fixed.
func (s *Server) productReview(r *http.Request, b applicant.Business, productID int64) (review, error) {
	rv, err := s.reviewOf(r, b.ID)
	if err != nil || rv.App == nil {
		return rv, err
	}
	ids, err := s.applications.ProductIDs(r.Context(), rv.App.ID)
	for _, id := range ids {
		if id == productID {
			return rv, err
		}
	}
	return review{}, err
}

func (s *Server) productForm(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok {
		return
	}
	pid, _ := pathID(r, "pid")
	p, err := s.applicants.Product(r.Context(), b.ID, pid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rv, err := s.productReview(r, b, p.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := newForm(nil)
	for k, v := range map[string]string{"name": p.Name, "category": p.Category, "food_type": p.FoodType, "description": p.Description, "composition": p.Composition,
		"net_content": p.NetContent, "packaging": p.Packaging, "pirt": p.PIRT, "halal": p.Halal, "bpom": p.BPOM} {
		f.values.Set(k, v)
	}
	for k, v := range map[string]int64{"shelf_life_days": int64(p.ShelfLifeDays), "price": p.Price, "capacity_per_month": int64(p.CapacityPerMonth)} {
		if v > 0 {
			f.values.Set(k, strconv.FormatInt(v, 10))
		}
	}
	s.render(w, r, http.StatusOK, "intake/product_form", page{Title: "product.edit", Form: f,
		Data: productFormData{Business: b, Product: &p, Action: fmt.Sprintf("/businesses/%d/products/%d", b.ID, p.ID), Review: rv}})
}

func (s *Server) productSave(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok || !s.postForm(w, r) {
		return
	}
	pid, _ := pathID(r, "pid") // 0 for a new product
	action := fmt.Sprintf("/businesses/%d/products", b.ID)
	here := action + "/new"
	if pid != 0 {
		action = fmt.Sprintf("/businesses/%d/products/%d", b.ID, pid)
		here = action
	}
	p, warnings, err := s.applicants.SaveProduct(r.Context(), s.user(r), b.ID, pid, productInput(r))
	if err != nil {
		rv, _ := s.productReview(r, b, pid)
		s.formError(w, r, err, "intake/product_form", page{Title: "product.new", Here: here, Data: productFormData{Business: b, Action: action, Review: rv}})
		return
	}
	if len(warnings) > 0 {
		s.render(w, r, http.StatusOK, "intake/product_form", page{Title: "product.edit", Flash: "flash.saved", Form: newForm(r), Here: fmt.Sprintf("/businesses/%d/products/%d", b.ID, p.ID),
			Data: productFormData{Business: b, Product: &p, Action: fmt.Sprintf("/businesses/%d/products/%d", b.ID, p.ID), Warnings: warnings}})
		return
	}
	s.flash(w, "flash.saved")
	http.Redirect(w, r, fmt.Sprintf("/businesses/%d#produk", b.ID), http.StatusSeeOther)
}

func (s *Server) documentUpload(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok {
		return
	}
	up, done, err := s.readUpload(w, r, b.ID)
	defer done()
	if err == nil {
		var warnings []idn.Problem
		if _, warnings, err = s.documents.Add(r.Context(), s.user(r), up); err == nil {
			if len(warnings) > 0 {
				// Stored, with notes: shown as a notice, not as an error.
				f := newForm(nil)
				l := reqFrom(r.Context()).lang
				var msgs []string
				for _, w := range warnings {
					msgs = append(msgs, w.Text.In(l))
				}
				f.Note = strings.Join(msgs, " ")
				s.renderBusiness(w, r, http.StatusCreated, b, f)
				return
			}
			s.flash(w, "flash.uploaded")
			http.Redirect(w, r, fmt.Sprintf("/businesses/%d#dokumen", b.ID), http.StatusSeeOther)
			return
		}
	}
	if !isFormProblem(err) {
		s.fail(w, r, err)
		return
	}
	f := newForm(r)
	f.setError(err, reqFrom(r.Context()).lang)
	s.renderBusiness(w, r, statusOf(err), b, f)
}

// documentDownload serves a document's file to those allowed (the service
// checks and audits each opening).
func (s *Server) documentDownload(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	d, f, err := s.documents.Open(r.Context(), s.user(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Cache-Control", "private, no-store")
	// A sandboxed CSP keeps even a hostile PDF from running script in our origin.
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
	h.Set("Content-Disposition", fmt.Sprintf("inline; filename=%q", fmt.Sprintf("%s-%d%s", d.Kind, d.ID, document.Extension(d.ContentType))))
	http.ServeContent(w, r, "", d.UploadedAt, f)
}

// applicationSubmit is the applicant's one step "Ajukan permohonan": the
// products ticked go into the draft (made now if needed) and it is submitted.
// A refusal shows the form again with what to complete, each a link to it;
// the draft is kept.
func (s *Server) applicationSubmit(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok || !s.postForm(w, r) {
		return
	}
	ctx := r.Context()
	round, _ := strconv.ParseInt(r.PostForm.Get("round"), 10, 64)
	// The round is checked first, so that a closed one refuses the form
	// before anything is submitted.
	err := s.app.Curation.CheckRegistering(ctx, round)
	var a application.Application
	if err == nil {
		a, err = s.intake.Submit(ctx, s.user(r), b.ID, formIDs(r, "product"))
	}
	if err != nil {
		if !isFormProblem(err) {
			s.fail(w, r, err)
			return
		}
		f := newForm(r)
		f.linkFields(func(field string) string { return fieldHref(b.ID, field) })
		f.setError(err, reqFrom(r.Context()).lang)
		s.renderBusiness(w, r, statusOf(err), b, f)
		return
	}
	flash := "flash.submitted"
	if round != 0 || r.PostForm.Has("round") {
		// The wish is kept beside the submitted application; should it fail
		// (the window closed a moment ago), the submission stands and the
		// staff choose the round.
		if err := s.app.Curation.RequestRound(ctx, s.user(r), a.ID, round); err != nil {
			s.log.Warn("round wish not kept", "application", a.ID, "round", round, "err", err)
			flash = "flash.submitted_round_not_kept"
		}
	}
	s.flash(w, flash)
	http.Redirect(w, r, fmt.Sprintf("/applications/%d", a.ID), http.StatusSeeOther)
}

// productDelete removes a product from the business's list (it stays in past
// applications), while no application under review holds it.
func (s *Server) productDelete(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok || !s.postForm(w, r) {
		return
	}
	pid, _ := pathID(r, "pid")
	if err := s.applicants.ArchiveProduct(r.Context(), s.user(r), b.ID, pid, r.PostForm.Get("reason")); err != nil {
		if !isFormProblem(err) {
			s.fail(w, r, err)
			return
		}
		f := newForm(r)
		f.setError(err, reqFrom(r.Context()).lang)
		s.renderBusiness(w, r, statusOf(err), b, f)
		return
	}
	s.flash(w, "flash.deleted")
	http.Redirect(w, r, fmt.Sprintf("/businesses/%d#produk", b.ID), http.StatusSeeOther)
}

// documentDelete removes an uploaded document that nobody has accepted, while
// no application under review holds it.
func (s *Server) documentDelete(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok || !s.postForm(w, r) {
		return
	}
	id, _ := pathID(r, "doc")
	if err := s.documents.Delete(r.Context(), s.user(r), b.ID, id); err != nil {
		if !isFormProblem(err) {
			s.fail(w, r, err)
			return
		}
		f := newForm(r)
		f.setError(err, reqFrom(r.Context()).lang)
		s.renderBusiness(w, r, statusOf(err), b, f)
		return
	}
	s.flash(w, "flash.deleted")
	http.Redirect(w, r, fmt.Sprintf("/businesses/%d#dokumen", b.ID), http.StatusSeeOther)
}

// myData streams an applicant the ZIP of everything held about them.
func (s *Server) myData(w http.ResponseWriter, r *http.Request) {
	u := s.user(r)
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fmt.Sprintf("etalase-data-%d.zip", u.ID)))
	w.Header().Set("Cache-Control", "private, no-store")
	if err := s.app.Privacy.Write(r.Context(), u, w); err != nil {
		// Part of the ZIP may be out: abort the connection, so the browser shows a
		// failed download instead of a cut-off file that looks complete.
		s.log.Error("personal data export", "user", u.ID, "err", err)
		panic(http.ErrAbortHandler)
	}
}
