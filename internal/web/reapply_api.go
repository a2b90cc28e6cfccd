package web

import (
	"net/http"

	"github.com/etalase-id/etalase/internal/application"
)

// apiReapplication is "Ajukan kembali" (SOP step 7) through the API: for the
// owner of an application whose result is out, a new draft linked to it with
// the business, the products that did not pass and the documents that still
// hold carried over. The refusals are the page's, in the same words.
func (s *Server) apiReapplication(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, application.ErrNotFound)
		return
	}
	nu, err := s.intake.Reapply(r.Context(), s.user(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	docs, err := s.intake.CarriedDocuments(r.Context(), nu.ID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	products, err := s.applications.ProductIDs(r.Context(), nu.ID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	type ref struct {
		ID     int64  `json:"id"`
		Number string `json:"number"`
	}
	old, err := s.applications.Get(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if docs == nil {
		docs = []int64{}
	}
	if products == nil {
		products = []int64{}
	}
	writeJSON(w, http.StatusCreated, struct {
		apiApplication
		Reapplies  ref     `json:"reapplies"`
		ProductIDs []int64 `json:"product_ids"`
		Carried    []int64 `json:"carried_document_ids"`
	}{s.toAPIApplication(r, nu), ref{old.ID, old.Number}, products, docs})
}
