package web

import (
	"net/http"

	"github.com/etalase-id/etalase/internal/apperr"
)

// The self-service password reset and the activation of imported applicants:
// a one-time link by e-mail or WhatsApp (internal/message).

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "account/forgot", page{Title: "link.forgot.title", Form: newForm(nil)})
}

// forgotSend answers the same whether the account exists or not.
func (s *Server) forgotSend(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	err := s.app.Messages.RequestReset(r.Context(), r.PostForm.Get("login"), reqFrom(r.Context()).ip)
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Kind == apperr.TooMany {
			f := newForm(r)
			f.setError(err, reqFrom(r.Context()).lang)
			s.render(w, r, http.StatusTooManyRequests, "account/forgot", page{Title: "link.forgot.title", Form: f, Here: "/password/forgot"})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "account/forgot", page{Title: "link.forgot.title", Form: newForm(nil), Data: true, Here: "/password/forgot"})
}

func (s *Server) linkForm(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.Messages.LinkPurpose(r.Context(), r.PathValue("token")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "account/link", page{Title: "link.new.title", Form: newForm(nil), Here: r.URL.Path})
}

func (s *Server) linkUse(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	err := s.app.Messages.UseLink(r.Context(), r.PathValue("token"), r.PostForm.Get("password"))
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid {
			f := newForm(r)
			f.setError(err, reqFrom(r.Context()).lang)
			s.render(w, r, http.StatusUnprocessableEntity, "account/link", page{Title: "link.new.title", Form: f, Here: r.URL.Path})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "link.flash.done")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// messageActivations sends activation links to the applicants the import
// created without a password.
func (s *Server) messageActivations(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	n, err := s.app.Messages.SendActivations(r.Context(), s.user(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if n == 0 {
		s.flash(w, "link.flash.no_activations")
	} else {
		s.flash(w, "link.flash.activations")
	}
	http.Redirect(w, r, "/messages?event=account_activation", http.StatusSeeOther)
}
