package web

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// A form posted after the session ended is not lost: what was typed is kept,
// sealed, in a short-lived cookie of the browser that typed it, for the person
// whose session it was; after they sign in again they are shown it, ready to
// send with one press. Someone else signing in on that browser (a shared desk
// computer) never sees it. Nothing is stored on the server, so any server
// process can take the sign-in.
//
// Only ordinary forms are kept (not file uploads, which the browser cannot be
// asked to send again), and only when they fit in a cookie; otherwise the
// sign-in page says so plainly.

const (
	resumeCookie  = "etalase_lanjut"
	resumeMaxAge  = time.Hour
	resumeMaxSize = 3500 // bytes of cookie value: browsers keep at least 4096 per cookie
	resumeContext = "web.resume-form"
)

// resumable is a form kept across a sign-in.
type resumable struct {
	Path   string     `json:"path"`
	Values url.Values `json:"values"`
	At     time.Time  `json:"at"`
	UserID int64      `json:"user"` // whose session had just ended: only they get it back
}

// keepForm keeps the form of r for after the sign-in, and reports whether it
// could.
func (s *Server) keepForm(w http.ResponseWriter, r *http.Request) bool {
	who := reqFrom(r.Context()).expiredUser
	if who == 0 {
		return false // nobody's session just ended here: nothing to keep it for
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") || !parseForm(w, r) {
		return false
	}
	raw, err := json.Marshal(resumable{Path: r.URL.Path, Values: r.PostForm, At: time.Now(), UserID: who})
	if err != nil {
		return false
	}
	v := base64.RawURLEncoding.EncodeToString(s.app.Vault.Seal(raw, resumeContext))
	if len(v) > resumeMaxSize {
		return false
	}
	s.setCookie(w, resumeCookie, v, resumeMaxAge)
	return true
}

// keptForm returns the form this browser kept for user, if there is one
// still fresh.
func (s *Server) keptForm(r *http.Request, user int64) (resumable, bool) {
	c, err := r.Cookie(resumeCookie)
	if err != nil || c.Value == "" {
		return resumable{}, false
	}
	sealed, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return resumable{}, false
	}
	raw, err := s.app.Vault.Open(sealed, resumeContext)
	if err != nil {
		return resumable{}, false
	}
	var f resumable
	if json.Unmarshal(raw, &f) != nil || f.UserID != user || time.Since(f.At) > resumeMaxAge || localPath(f.Path) != f.Path {
		return resumable{}, false
	}
	return f, true
}

// resumeForm shows the kept form again, every value in it, with one button
// that sends it where it was going.
func (s *Server) resumeForm(w http.ResponseWriter, r *http.Request) {
	f, ok := s.keptForm(r, s.user(r).ID)
	s.clearCookie(w, resumeCookie)
	if !ok {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	type field struct{ Name, Value string }
	var fields []field
	for name, vs := range f.Values {
		for _, v := range vs {
			fields = append(fields, field{name, v})
		}
	}
	s.render(w, r, http.StatusOK, "shell/resume", page{Title: "resume.title", Here: "/", Data: map[string]any{"Path": f.Path, "Fields": fields, "At": f.At}})
}

// keepAlive answers a page that asks to keep its session: reaching here
// through the middleware is what counts as activity.
func (s *Server) keepAlive(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
