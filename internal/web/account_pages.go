package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
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
	s.render(w, r, http.StatusOK, "account/login", page{Title: "login.title", Form: newForm(r), Data: map[string]string{"Next": localPath(r.URL.Query().Get("next"))}})
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
	}
	var u account.User
	if err == nil {
		u, err = s.accounts.Register(r.Context(), account.NewUser{
			Name: pf.Get("name"), Email: pf.Get("email"), Phone: pf.Get("phone"), Password: pf.Get("password"), Lang: st.lang,
		})
	}
	if err != nil {
		f := newForm(r)
		f.values.Del("password")
		f.values.Del("password2")
		f.setError(err, st.lang)
		status := http.StatusUnprocessableEntity
		if e, ok := apperr.As(err); ok {
			status = kindStatus(e.Kind)
		}
		s.render(w, r, status, "account/register", page{Title: "register.title", Form: f})
		return
	}
	if st.token != "" {
		_ = s.accounts.EndSession(r.Context(), st.token) // one person, one session on this browser
	}
	token, err := s.accounts.StartSession(r.Context(), u.ID, st.ip, r.UserAgent())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.setCookie(w, sessionCookie, token, s.accounts.SessionMax)
	s.flash(w, "flash.registered")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "account/password", page{Title: "password.title", Form: newForm(r)})
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
		err = s.accounts.ChangePassword(r.Context(), st.user.ID, pf.Get("current"), pf.Get("password"), st.token)
	}
	if err != nil {
		f := newForm(r)
		f.values = nil
		f.setError(err, st.lang)
		status := http.StatusUnprocessableEntity
		if e, ok := apperr.As(err); !ok || e.Kind == apperr.Internal {
			s.log.Error("change password", "err", err)
			status = http.StatusInternalServerError
		}
		s.render(w, r, status, "account/password", page{Title: "password.title", Form: f})
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
