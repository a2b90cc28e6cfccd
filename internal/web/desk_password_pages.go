package web

import (
	"net/http"

	"github.com/etalase-id/etalase/internal/intake"
)

// An applicant who forgot their password comes to the desk with their KTP; the
// clerk gives them a new one-time password there (and so lifts any wait the
// sign-in throttle put on the account).

func (s *Server) deskPasswordForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "intake/desk_password", page{Title: "desk.password", Form: newForm(r)})
}

func (s *Server) deskPasswordReset(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	u, otp, err := s.intake.ResetApplicantPassword(r.Context(), s.user(r), intake.DeskReset{
		Login: r.PostForm.Get("login"), IdentityChecked: r.PostForm.Get("identity") == "1",
	})
	if err != nil {
		s.formError(w, r, err, "intake/desk_password", page{Title: "desk.password", Here: "/desk/password"})
		return
	}
	s.render(w, r, http.StatusOK, "intake/desk_password", page{Title: "desk.password", Here: "/desk/password", Form: newForm(nil),
		Data: map[string]any{"U": u, "OTP": otp}})
}
