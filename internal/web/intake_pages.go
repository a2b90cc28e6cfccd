package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/role"
)

// Pages of SOP steps 1–3: the applicant's online form (business, products,
// documents, submission), the clerk's desk (document check, samples), the
// application page both see, and the staff's due list.

func (s *Server) user(r *http.Request) account.User { return *reqFrom(r.Context()).user }

// apply is the applicant's entry: the form for a new business, or their business.
func (s *Server) apply(w http.ResponseWriter, r *http.Request) {
	u := s.user(r)
	b, err := s.apps.ByOwner(r.Context(), u.ID)
	if errors.Is(err, applicant.ErrNotFound) {
		f := newForm(nil)
		f.values.Set("owner_name", u.Name)
		f.values.Set("email", u.Email)
		f.values.Set("whatsapp", u.Phone)
		f.values.Set("province_code", idn.EastJava)
		s.render(w, r, http.StatusOK, "business_form", page{Title: "business.title", Form: f, Data: businessFormData{Action: "/apply/business"}})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/businesses/%d", b.ID), http.StatusSeeOther)
}

type businessFormData struct {
	Action   string
	Business *applicant.Business
	Warnings []idn.Problem
}

func businessInput(r *http.Request) applicant.BusinessInput {
	pf := r.PostForm
	return applicant.BusinessInput{
		Name: pf.Get("name"), OwnerName: pf.Get("owner_name"), NIK: pf.Get("nik"), NIB: pf.Get("nib"), Address: pf.Get("address"),
		ProvinceCode: pf.Get("province_code"), RegencyCode: pf.Get("regency_code"), WhatsApp: pf.Get("whatsapp"), Email: pf.Get("email"),
		Category: pf.Get("category"), Size: pf.Get("size"), YearStarted: pf.Get("year_started"), Links: pf.Get("links"),
	}
}

// applySave creates the applicant's own business from the first form.
func (s *Server) applySave(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	u := s.user(r)
	if _, err := s.apps.ByOwner(r.Context(), u.ID); err == nil {
		s.errorPage(w, r, http.StatusConflict)
		return
	}
	b, warnings, err := s.apps.Save(r.Context(), u.ID, businessInput(r))
	if err != nil {
		s.formError(w, r, err, "business_form", "business.title", businessFormData{Action: "/apply/business"})
		return
	}
	s.afterBusinessSave(w, r, b, warnings)
}

func (s *Server) afterBusinessSave(w http.ResponseWriter, r *http.Request, b applicant.Business, warnings []idn.Problem) {
	if len(warnings) > 0 {
		// Saved; the warnings are shown on the form once, next to the data.
		f := newForm(r)
		f.values.Del("nik")
		s.render(w, r, http.StatusOK, "business_form", page{Title: "business.title", Flash: "flash.saved", Form: f,
			Data: businessFormData{Action: fmt.Sprintf("/businesses/%d/profile", b.ID), Business: &b, Warnings: warnings}})
		return
	}
	s.flash(w, "flash.saved")
	http.Redirect(w, r, fmt.Sprintf("/businesses/%d", b.ID), http.StatusSeeOther)
}

// formError shows a form again with its problems, or fails for other errors.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, err error, tmpl, title string, data any) {
	e, ok := apperr.As(err)
	if !ok || e.Kind == apperr.Internal {
		s.serverError(w, r, err)
		return
	}
	if e.Kind == apperr.NotFound || e.Kind == apperr.Forbidden {
		s.fail(w, r, err)
		return
	}
	// Everything typed comes back, the NIK too: the user must see what to fix. (A
	// saved NIK is never shown again; see afterBusinessSave.)
	f := newForm(r)
	f.setError(err, reqFrom(r.Context()).lang)
	s.render(w, r, kindStatus(e.Kind), tmpl, page{Title: title, Form: f, Data: data})
}

// business loads the {id} business if the user may edit it; applicants asking for
// another's get 404, staff without the right 403, both audited.
func (s *Server) business(w http.ResponseWriter, r *http.Request) (applicant.Business, bool) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return applicant.Business{}, false
	}
	b, err := s.apps.Get(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return b, false
	}
	u := s.user(r)
	if !applicant.CanEdit(u, b.OwnerID) {
		if u.Role == role.Pemohon {
			s.deniedAs(w, r, "business", fmt.Sprint(id), http.StatusNotFound)
		} else {
			s.denied(w, r, "business", fmt.Sprint(id))
		}
		return b, false
	}
	return b, true
}

// deniedAs audits a refused access and answers status (404 for applicants, so as
// not to confirm what exists).
func (s *Server) deniedAs(w http.ResponseWriter, r *http.Request, objectType, objectID string, status int) {
	s.auditDenied(r, objectType, objectID)
	s.errorPage(w, r, status)
}

type businessPageData struct {
	Business     applicant.Business
	Products     []applicant.Product
	Documents    []intake.Document
	Applications []intake.Application
	Open         *intake.Application
	Missing      []string
	HasNIK       bool
	Kinds        []string
	ProductIDs   map[int64]bool
}

// businessPage is the applicant's form overview: profile, products, documents
// and the application, each with what is still missing.
func (s *Server) businessPage(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok {
		return
	}
	s.renderBusiness(w, r, http.StatusOK, b, newForm(nil))
}

func (s *Server) renderBusiness(w http.ResponseWriter, r *http.Request, status int, b applicant.Business, f *form) {
	ctx := r.Context()
	d := businessPageData{Business: b, Kinds: intake.DocumentKinds, ProductIDs: map[int64]bool{}}
	var err error
	if d.Products, err = s.apps.Products(ctx, b.ID); err == nil {
		if d.Documents, err = s.intake.CurrentDocuments(ctx, b.ID); err == nil {
			if d.Applications, err = s.intake.ByBusiness(ctx, b.ID); err == nil {
				d.HasNIK, err = s.apps.HasNIK(ctx, b.ID)
			}
		}
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d.Missing = applicant.Completeness(b, d.HasNIK)
	for i := range d.Applications {
		if !d.Applications[i].State.Terminal() {
			d.Open = &d.Applications[i]
			ids, err := s.intake.ProductIDs(ctx, d.Open.ID)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			for _, id := range ids {
				d.ProductIDs[id] = true
			}
			break
		}
	}
	s.render(w, r, status, "business", page{Title: "business.overview", Form: f, Data: d})
}

func (s *Server) businessProfileForm(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok {
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
	s.render(w, r, http.StatusOK, "business_form", page{Title: "business.title", Form: f, Data: businessFormData{Action: fmt.Sprintf("/businesses/%d/profile", b.ID), Business: &b}})
}

func (s *Server) businessProfileSave(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok || !parseForm(w, r) {
		return
	}
	nb, warnings, err := s.apps.Save(r.Context(), b.OwnerID, businessInput(r))
	if err != nil {
		s.formError(w, r, err, "business_form", "business.title", businessFormData{Action: fmt.Sprintf("/businesses/%d/profile", b.ID), Business: &b})
		return
	}
	s.afterBusinessSave(w, r, nb, warnings)
}

type productFormData struct {
	Business applicant.Business
	Product  *applicant.Product
	Action   string
	Warnings []idn.Problem
}

func productInput(r *http.Request) applicant.ProductInput {
	pf := r.PostForm
	return applicant.ProductInput{
		Name: pf.Get("name"), Category: pf.Get("category"), Description: pf.Get("description"), Composition: pf.Get("composition"),
		NetContent: pf.Get("net_content"), Packaging: pf.Get("packaging"), ShelfLifeDays: pf.Get("shelf_life_days"), Price: pf.Get("price"),
		CapacityPerMonth: pf.Get("capacity_per_month"), PIRT: pf.Get("pirt"), Halal: pf.Get("halal"), BPOM: pf.Get("bpom"),
	}
}

func (s *Server) productNewForm(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok {
		return
	}
	f := newForm(nil)
	f.values.Set("category", b.Category)
	s.render(w, r, http.StatusOK, "product_form", page{Title: "product.new", Form: f, Data: productFormData{Business: b, Action: fmt.Sprintf("/businesses/%d/products", b.ID)}})
}

func (s *Server) productForm(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok {
		return
	}
	pid, _ := strconv.ParseInt(r.PathValue("pid"), 10, 64)
	p, err := s.apps.Product(r.Context(), b.ID, pid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(nil)
	for k, v := range map[string]string{"name": p.Name, "category": p.Category, "description": p.Description, "composition": p.Composition,
		"net_content": p.NetContent, "packaging": p.Packaging, "pirt": p.PIRT, "halal": p.Halal, "bpom": p.BPOM} {
		f.values.Set(k, v)
	}
	for k, v := range map[string]int64{"shelf_life_days": int64(p.ShelfLifeDays), "price": p.Price, "capacity_per_month": int64(p.CapacityPerMonth)} {
		if v > 0 {
			f.values.Set(k, strconv.FormatInt(v, 10))
		}
	}
	s.render(w, r, http.StatusOK, "product_form", page{Title: "product.edit", Form: f, Data: productFormData{Business: b, Product: &p, Action: fmt.Sprintf("/businesses/%d/products/%d", b.ID, p.ID)}})
}

func (s *Server) productSave(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok || !parseForm(w, r) {
		return
	}
	pid, _ := strconv.ParseInt(r.PathValue("pid"), 10, 64) // 0 for a new product
	action := fmt.Sprintf("/businesses/%d/products", b.ID)
	if pid != 0 {
		action = fmt.Sprintf("/businesses/%d/products/%d", b.ID, pid)
	}
	p, warnings, err := s.apps.SaveProduct(r.Context(), b.ID, pid, productInput(r))
	if err != nil {
		s.formError(w, r, err, "product_form", "product.new", productFormData{Business: b, Action: action})
		return
	}
	if len(warnings) > 0 {
		s.render(w, r, http.StatusOK, "product_form", page{Title: "product.edit", Flash: "flash.saved", Form: newForm(r),
			Data: productFormData{Business: b, Product: &p, Action: fmt.Sprintf("/businesses/%d/products/%d", b.ID, p.ID), Warnings: warnings}})
		return
	}
	s.flash(w, "flash.saved")
	http.Redirect(w, r, fmt.Sprintf("/businesses/%d#produk", b.ID), http.StatusSeeOther)
}

// uploadLimit is the largest document accepted, in bytes.
func (s *Server) uploadLimit() int64 {
	if s.intake.Files.MaxBytes > 0 {
		return s.intake.Files.MaxBytes
	}
	return 5 << 20
}

func (s *Server) documentUpload(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok {
		return
	}
	if !s.uploadSlot(w, r) {
		return
	}
	defer func() { <-s.uploads }()
	// The whole request may be the file limit plus a little for the other fields;
	// the store checks the file itself exactly.
	r.Body = http.MaxBytesReader(w, r.Body, s.uploadLimit()+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		f := newForm(r)
		if errors.As(err, &tooBig) {
			mb := s.uploadLimit() >> 20
			f.setError(apperr.InvalidField("document.too_large", "file", i18n.Text{
				ID: fmt.Sprintf("Berkas terlalu besar: maksimal %d MB. Perkecil foto atau pindai dengan resolusi lebih rendah.", mb),
				EN: fmt.Sprintf("The file is too large: %d MB at most. Use a smaller photo or a lower scan resolution.", mb)}), reqFrom(r.Context()).lang)
			s.renderBusiness(w, r, http.StatusRequestEntityTooLarge, b, f)
			return
		}
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	defer r.MultipartForm.RemoveAll()
	up := intake.Upload{BusinessID: b.ID, Kind: r.PostFormValue("kind"), Number: r.PostFormValue("number"),
		IssuedOn: r.PostFormValue("issued_on"), ExpiresOn: r.PostFormValue("expires_on")}
	if pid, err := strconv.ParseInt(r.PostFormValue("product_id"), 10, 64); err == nil {
		up.ProductID = pid
	}
	file, hdr, err := r.FormFile("file")
	if err == nil {
		defer file.Close()
		up.File, up.FileName = file, hdr.Filename
	}
	_, warnings, err := s.intake.AddDocument(r.Context(), s.user(r), up)
	if err != nil {
		e, ok := apperr.As(err)
		if !ok || e.Kind == apperr.Internal || e.Kind == apperr.NotFound {
			s.fail(w, r, err)
			return
		}
		f := newForm(r)
		f.setError(err, reqFrom(r.Context()).lang)
		s.renderBusiness(w, r, kindStatus(e.Kind), b, f)
		return
	}
	if len(warnings) > 0 {
		f := newForm(nil)
		l := reqFrom(r.Context()).lang
		var msgs []string
		for _, w := range warnings {
			msgs = append(msgs, w.Text.In(l))
		}
		// Stored, with notes: shown as a notice, not as an error.
		f.Note = strings.Join(msgs, " ")
		s.renderBusiness(w, r, http.StatusCreated, b, f)
		return
	}
	s.flash(w, "flash.uploaded")
	http.Redirect(w, r, fmt.Sprintf("/businesses/%d#dokumen", b.ID), http.StatusSeeOther)
}

// uploadSlot waits for one of the process's upload slots, or gives up when the
// client does.
func (s *Server) uploadSlot(w http.ResponseWriter, r *http.Request) bool {
	select {
	case s.uploads <- struct{}{}:
		return true
	case <-r.Context().Done():
		s.errorPage(w, r, http.StatusServiceUnavailable)
		return false
	}
}

// documentDownload serves a document's file to those allowed, logging each access.
func (s *Server) documentDownload(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	d, f, err := s.intake.OpenDocument(r.Context(), s.user(r), id)
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
	h.Set("Content-Disposition", fmt.Sprintf("inline; filename=%q", fmt.Sprintf("%s-%d%s", d.Kind, d.ID, extension(d.ContentType))))
	http.ServeContent(w, r, "", d.UploadedAt, f)
}

func extension(contentType string) string {
	switch contentType {
	case "application/pdf":
		return ".pdf"
	case "image/png":
		return ".png"
	}
	return ".jpg"
}

// applicationCreate starts an application with the products ticked.
func (s *Server) applicationCreate(w http.ResponseWriter, r *http.Request) {
	b, ok := s.business(w, r)
	if !ok || !parseForm(w, r) {
		return
	}
	var ids []int64
	for _, v := range r.PostForm["product"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	src := intake.Online
	if s.user(r).Role == role.StafGaleri {
		src = intake.Desk
	}
	a, err := s.intake.CreateDraft(r.Context(), s.user(r), b.ID, ids, src)
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Kind != apperr.Internal && e.Kind != apperr.NotFound {
			f := newForm(r)
			f.setError(err, reqFrom(r.Context()).lang)
			s.renderBusiness(w, r, kindStatus(e.Kind), b, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/applications/%d", a.ID), http.StatusSeeOther)
}

// myData sends an applicant the ZIP of everything held about them.
func (s *Server) myData(w http.ResponseWriter, r *http.Request) {
	u := s.user(r)
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fmt.Sprintf("etalase-data-%d.zip", u.ID)))
	w.Header().Set("Cache-Control", "private, no-store")
	// Written to a buffer first so a failure half-way becomes an error page, not
	// a broken download.
	var buf bytes.Buffer
	if err := s.intake.WriteSubjectData(r.Context(), u, &buf); err != nil {
		w.Header().Del("Content-Disposition")
		s.serverError(w, r, err)
		return
	}
	_, _ = w.Write(buf.Bytes())
}

func textOf(id, en string) i18n.Text { return i18n.Text{ID: id, EN: en} }
