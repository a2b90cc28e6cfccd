package web

import (
	"fmt"
	"net/http"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/role"
)

// The clerk's desk: a walk-in applicant gets an account (with a one-time
// password to take home, so they can follow the application on their phone) and
// the clerk fills the form for them.

func (s *Server) deskNewForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "desk_new", page{Title: "desk.new", Form: newForm(r)})
}

func (s *Server) deskCreate(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	pf := r.PostForm
	otp := account.NewOneTimePassword()
	u, err := s.accounts.Create(r.Context(), account.NewUser{Name: pf.Get("name"), Email: pf.Get("email"), Phone: pf.Get("phone"),
		Role: role.Pemohon, Password: otp, MustChangePassword: true, Lang: reqFrom(r.Context()).lang})
	if err != nil {
		s.formError(w, r, err, "desk_new", "desk.new", nil)
		return
	}
	b, _, err := s.apps.Save(r.Context(), u.ID, applicant.BusinessInput{Name: pf.Get("business"), OwnerName: u.Name, WhatsApp: u.Phone, Email: u.Email, ProvinceCode: "35"})
	if err != nil {
		if _, ok := apperr.As(err); ok {
			// The account exists; the business name or contact will be fixed on the form.
			b, _, err = s.apps.Save(r.Context(), u.ID, applicant.BusinessInput{OwnerName: u.Name})
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusCreated, "desk_created", page{Title: "desk.created", Data: map[string]any{"U": u, "OTP": otp, "BusinessURL": fmt.Sprintf("/businesses/%d/profile", b.ID)}})
}
