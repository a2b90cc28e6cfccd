package web

import (
	"net/http"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
)

type profileData struct {
	Tokens    []account.APIToken
	NewSecret string
	NewToken  *account.APIToken
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request) {
	s.renderProfile(w, r, http.StatusOK, newForm(r), profileData{})
}

func (s *Server) renderProfile(w http.ResponseWriter, r *http.Request, status int, f *form, d profileData) {
	tokens, err := s.accounts.Tokens(r.Context(), reqFrom(r.Context()).user.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d.Tokens = tokens
	s.render(w, r, status, "account/profile", page{Title: "profile.title", Form: f, Data: d})
}

func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	st := reqFrom(r.Context())
	t, secret, err := s.accounts.CreateToken(r.Context(), *st.user, r.PostForm.Get("name"))
	if err != nil {
		if _, ok := apperr.As(err); !ok {
			s.serverError(w, r, err)
			return
		}
		f := newForm(r)
		f.setError(err, st.lang)
		s.renderProfile(w, r, http.StatusUnprocessableEntity, f, profileData{})
		return
	}
	// The secret is shown on this answer only; it is not stored anywhere.
	s.renderProfile(w, r, http.StatusCreated, newForm(nil), profileData{NewSecret: secret, NewToken: &t})
}

// tokenShow shows one token. Another user's token is not found, like one that
// does not exist (an admin may look at any); the service audits the attempt.
func (s *Server) tokenShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	t, err := s.accounts.Token(r.Context(), *reqFrom(r.Context()).user, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "account/token", page{Title: "token.title", Data: t})
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	if err := s.accounts.RevokeToken(r.Context(), *reqFrom(r.Context()).user, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, "flash.token_revoked")
	http.Redirect(w, r, "/profile", http.StatusSeeOther)
}
