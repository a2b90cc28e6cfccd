package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/settings"
)

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	data := map[string]any{}
	// The admin is told when the coming year's holidays are missing: until they
	// are entered, due dates count weekends only.
	if u := reqFrom(r.Context()).user; u != nil && u.Role == role.Admin {
		cal, err := s.calendar.Load(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if t, ok := cal.MissingYearWarning(s.db.Clock(r.Context())); ok {
			data["CalendarWarning"] = t.In(reqFrom(r.Context()).lang)
		}
	}
	// An applicant sees where they stand, first thing.
	if u := reqFrom(r.Context()).user; u != nil && u.Role == role.Pemohon {
		b, err := s.applicants.ByOwner(r.Context(), u.ID)
		switch {
		case err == nil:
			st, err := s.applicantStatus(r.Context(), b)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			data["Status"] = st
		case !errors.Is(err, applicant.ErrNotFound):
			s.serverError(w, r, err)
			return
		}
	}
	// The curation rounds published ahead, for visitors and applicants.
	if u := reqFrom(r.Context()).user; u == nil || u.Role == role.Pemohon {
		calls, err := s.app.Curation.OpenCalls(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		data["OpenCalls"] = calls
		announced, err := s.app.Curation.Announced(r.Context(), 3)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		data["Announced"] = announced
	}
	s.render(w, r, http.StatusOK, "shell/home", page{Title: "home.title", Data: data})
}

func (s *Server) privacy(w http.ResponseWriter, r *http.Request) {
	dpo, err := s.settings.GetDPO(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	office, _ := s.settings.Get(r.Context(), settings.OfficeName)
	s.render(w, r, http.StatusOK, "shell/privacy", page{Title: "privacy.title", Data: map[string]any{"DPO": dpo, "Office": office}})
}

func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	l := i18n.Parse(r.PostForm.Get("lang"))
	s.setCookie(w, langCookie, string(l), 365*24*time.Hour)
	if u := reqFrom(r.Context()).user; u != nil {
		if err := s.accounts.SetLang(r.Context(), u.ID, l); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	http.Redirect(w, r, localPath(r.PostForm.Get("next")), http.StatusSeeOther)
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if reqFrom(r.Context()).user != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "account/login", page{Title: "login.title", Form: newForm(r), Data: map[string]string{"Next": localPath(r.URL.Query().Get("next")),
		"Expired": r.URL.Query().Get("expired")}})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	st := reqFrom(r.Context())
	next := localPath(r.PostForm.Get("next"))
	u, token, err := s.accounts.Login(r.Context(), r.PostForm.Get("login"), r.PostForm.Get("password"), st.ip, r.UserAgent())
	if err != nil && r.Context().Err() != nil {
		return // the client left before its password was checked: nobody to answer
	}
	if err != nil {
		f := newForm(r)
		f.values.Del("password") // never echo a password back
		f.setError(err, st.lang)
		status := http.StatusUnauthorized
		if e, ok := apperr.As(err); ok {
			status = kindStatus(e.Kind)
			if e.RetryAfter > 0 {
				w.Header().Set("Retry-After", itoa(int(e.RetryAfter.Seconds())+1))
			}
		} else {
			s.log.Error("login", "err", err)
		}
		s.render(w, r, status, "account/login", page{Title: "login.title", Form: f, Data: map[string]string{"Next": next}})
		return
	}
	// A new token at every sign-in (never the one the browser came with): an
	// attacker who planted a session cookie gains nothing.
	if st.token != "" {
		_ = s.accounts.EndSession(r.Context(), st.token)
	}
	s.setCookie(w, sessionCookie, token, s.accounts.SessionMax)
	s.setCookie(w, langCookie, string(u.Lang), 365*24*time.Hour)
	if u.MustChangePassword {
		next = "/password"
	} else if _, ok := s.keptForm(r, u.ID); ok {
		next = "/resume" // a form this browser posted after its session ended
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	st := reqFrom(r.Context())
	if err := s.accounts.Logout(r.Context(), *st.user, st.token); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.clearCookie(w, sessionCookie)
	s.flash(w, "flash.logged_out")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (s *Server) registerForm(w http.ResponseWriter, r *http.Request) {
	if reqFrom(r.Context()).user != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "account/register", page{Title: "register.title", Form: newForm(r)})
}

// register signs an applicant up. A form that is in order is answered with the
// sign-in page and the same words whether or not its e-mail or number was
// registered already (docs/decisions.md): the page cannot tell anyone who has
// an account, and the new applicant signs in with the password just chosen.
func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	st := reqFrom(r.Context())
	pf := r.PostForm
	var err error
	if pf.Get("password") != pf.Get("password2") {
		err = apperr.InvalidField("account.password_mismatch", "password2", i18n.Text{ID: "Kedua kata sandi tidak sama.", EN: "The two passwords differ."})
	} else {
		err = s.accounts.SignUp(r.Context(), account.NewUser{
			Name: pf.Get("name"), Email: pf.Get("email"), Phone: pf.Get("phone"), Password: pf.Get("password"), Lang: st.lang,
		}, st.ip)
	}
	if err != nil {
		if !isFormProblem(err) {
			s.fail(w, r, err)
			return
		}
		f := newForm(r)
		f.values.Del("password")
		f.values.Del("password2")
		f.setError(err, st.lang)
		if e, _ := apperr.As(err); e.RetryAfter > 0 {
			w.Header().Set("Retry-After", itoa(int(e.RetryAfter.Seconds())+1))
		}
		s.render(w, r, statusOf(err), "account/register", page{Title: "register.title", Form: f, Here: "/register"})
		return
	}
	f := newForm(nil)
	login := strings.TrimSpace(pf.Get("email"))
	if login == "" {
		login = strings.TrimSpace(pf.Get("phone"))
	}
	f.values.Set("login", login)
	s.render(w, r, http.StatusOK, "account/login", page{Title: "login.title", Form: f, Here: "/login",
		Data: map[string]any{"Next": "/", "Registered": true}})
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) {
	s.renderPassword(w, r, http.StatusOK, newForm(r))
}

// renderPassword shows the password form; the choice about API tokens is
// offered to those who have any working.
func (s *Server) renderPassword(w http.ResponseWriter, r *http.Request, status int, f *form) {
	tokens, err := s.accounts.Tokens(r.Context(), reqFrom(r.Context()).user.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	active := 0
	for _, t := range tokens {
		if t.RevokedAt == nil {
			active++
		}
	}
	st := reqFrom(r.Context())
	s.render(w, r, status, "account/password", page{Title: "password.title", Form: f, Here: "/password", Data: map[string]any{
		"ActiveTokens": active, "AskCurrent": s.accounts.AsksCurrentPassword(r.Context(), *st.user, st.token)}})
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	st := reqFrom(r.Context())
	pf := r.PostForm
	var err error
	if pf.Get("password") != pf.Get("password2") {
		err = apperr.InvalidField("account.password_mismatch", "password2", i18n.Text{ID: "Kedua kata sandi baru tidak sama.", EN: "The two new passwords differ."})
	} else {
		err = s.accounts.ChangePassword(r.Context(), account.PasswordChange{
			UserID: st.user.ID, Current: pf.Get("current"), New: pf.Get("password"), Session: st.token, IP: st.ip,
			// Revoking is the default: only an explicit "keep" keeps them.
			KeepTokens: pf.Get("tokens") == "keep",
		})
	}
	if err != nil {
		if !isFormProblem(err) {
			s.fail(w, r, err)
			return
		}
		f := newForm(r)
		f.values = url.Values{"tokens": {pf.Get("tokens")}}
		f.setError(err, st.lang)
		if e, _ := apperr.As(err); e.RetryAfter > 0 {
			w.Header().Set("Retry-After", itoa(int(e.RetryAfter.Seconds())+1))
		}
		s.renderPassword(w, r, statusOf(err), f)
		return
	}
	s.flash(w, "flash.password_changed")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz says whether this process can serve: the database answers and its schema
// is the one this binary expects.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.db.Ping(r.Context()); err != nil {
		s.log.Warn("readyz: database", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	if _, err := s.db.CheckSchema(r.Context()); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(strings.SplitN(err.Error(), ":", 2)[0] + "\n"))
		return
	}
	if msg := s.damaged.Load(); msg != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database damaged: " + *msg + "\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}
