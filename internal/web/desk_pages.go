package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/etalase-id/etalase/internal/intake"
)

// The clerk's desk: a walk-in applicant gets an account (with a one-time
// password to take home, so they can follow the application on their phone)
// and the clerk fills the form for them.

func (s *Server) deskNewForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "intake/desk_new", page{Title: "desk.new", Form: newForm(r)})
}

func (s *Server) deskCreate(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	pf := r.PostForm
	reg, err := s.intake.RegisterWalkIn(r.Context(), s.user(r), intake.WalkIn{Name: pf.Get("name"), Email: pf.Get("email"), Phone: pf.Get("phone"),
		Business: pf.Get("business"), Lang: reqFrom(r.Context()).lang})
	if err != nil {
		var known *intake.AlreadyRegistered
		data := map[string]any{}
		if errors.As(err, &known) && known.BusinessID != 0 {
			data["Existing"] = fmt.Sprintf("/businesses/%d", known.BusinessID)
		}
		s.formError(w, r, err, "intake/desk_new", page{Title: "desk.new", Here: "/desk/applicants/new", Data: data})
		return
	}
	s.render(w, r, http.StatusCreated, "intake/desk_created", page{Title: "desk.created", Here: "/desk/applicants/new",
		Data: map[string]any{"U": reg.User, "OTP": reg.Password, "BusinessURL": fmt.Sprintf("/businesses/%d/profile", reg.Business.ID)}})
}
