package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/role"
)

// request is what the middleware learns about a request, shared down the chain
// through the context: one pointer, so the inner handlers' findings (the route
// pattern) reach the outer logging.
type request struct {
	lang  i18n.Lang
	user  *account.User
	token string // session token, when signed in by cookie
	route string
	ip    string
	// expiredUser is whose session this browser's cookie named when it had
	// just run out: a form posted then is kept for that person alone.
	expiredUser int64
}

type requestKey struct{}

func reqFrom(ctx context.Context) *request {
	if r, ok := ctx.Value(requestKey{}).(*request); ok {
		return r
	}
	return &request{lang: i18n.ID}
}

const (
	sessionCookie = "etalase_sesi"
	langCookie    = "etalase_bahasa"
	flashCookie   = "etalase_pesan"
)

// statusWriter remembers the status code for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs and measures every request, and turns a panic into a 500 page.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		st := &request{lang: requestLang(r, s.cfg.DefaultLang), ip: s.clientIP(r)}
		r = r.WithContext(context.WithValue(r.Context(), requestKey{}, st))
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if sw.code == 0 {
					s.errorPage(sw, r, http.StatusInternalServerError)
				}
			}
			took := time.Since(start)
			code := sw.code
			if code == 0 {
				code = http.StatusOK
			}
			r.Pattern = st.route
			s.metrics.observe(r, code, took)
			var uid int64
			if st.user != nil {
				uid = st.user.ID
			}
			level := slog.LevelInfo
			if code >= 500 {
				level = slog.LevelError
			}
			s.log.Log(r.Context(), level, "http", "method", r.Method, "path", r.URL.Path, "route", st.route, "code", code, "ms", took.Milliseconds(), "user", uid, "ip", st.ip)
		}()
		next.ServeHTTP(sw, r)
	})
}

// securityHeaders sets the headers every answer carries. The policy allows only
// our own scripts and styles (no inline code), no framing, and forms only to us.
// With an https public address, HSTS tells browsers to use nothing else for a
// year (not for subdomains: the Office's other sites are not ours to decide).
func securityHeaders(hsts bool, next http.Handler) http.Handler {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
		"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// requestLang is the language of a page: the visitor's choice (cookie), else
// English if the browser asks for it first, else the default. It needs no
// database, so even the earliest refusals speak the user's language.
func requestLang(r *http.Request, def i18n.Lang) i18n.Lang {
	if c, err := r.Cookie(langCookie); err == nil {
		return i18n.Parse(c.Value)
	}
	if al := r.Header.Get("Accept-Language"); al != "" && !strings.HasPrefix(r.URL.Path, "/api/") &&
		strings.HasPrefix(strings.ToLower(al), "en") {
		return i18n.EN
	}
	return def
}

// identify finds the signed-in user of a request.
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := reqFrom(r.Context())
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			u, err := s.accounts.SessionUser(r.Context(), c.Value)
			switch {
			case err == nil:
				st.user, st.token = &u, c.Value
				if _, err := r.Cookie(langCookie); err != nil {
					st.lang = u.Lang // no choice on this browser: the account's
				}
			case errors.Is(err, account.ErrNoSession):
				s.clearCookie(w, sessionCookie)
				if e, ok := errors.AsType[*account.ExpiredError](err); ok {
					st.expiredUser = e.UserID
				}
			default:
				s.serverError(w, r, err)
				return
			}
		}
		ctx := r.Context()
		if st.user != nil {
			ctx = audit.WithActor(ctx, audit.Actor{UserID: st.user.ID, Label: st.user.Login(), IP: st.ip})
		} else {
			ctx = audit.WithActor(ctx, audit.Actor{Label: "anonim", IP: st.ip})
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// forcePasswordChange keeps a user with a one-time password on the change page.
func (s *Server) forcePasswordChange(next http.Handler) http.Handler {
	allowed := []string{"/password", "/logout", "/lang", "/healthz", "/readyz", "/metrics"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := reqFrom(r.Context())
		if st.user != nil && st.user.MustChangePassword && !slices.Contains(allowed, r.URL.Path) &&
			!strings.HasPrefix(r.URL.Path, "/static/") && !strings.HasPrefix(r.URL.Path, "/api/") {
			http.Redirect(w, r, "/password", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// routeRecorder notes the matched pattern after the mux has chosen a handler.
func routeRecorder(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		reqFrom(r.Context()).route = r.Pattern
	})
}

// requireUser sends a visitor who is not signed in to the sign-in page, and
// refuses a signed-in user whose role is not among roles (all roles if empty). A
// refusal is audited: someone tried a page that is not theirs.
func (s *Server) requireUser(roles ...role.Role) func(http.HandlerFunc) http.HandlerFunc {
	return func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			st := reqFrom(r.Context())
			if st.user == nil {
				target := "/login"
				if r.Method == http.MethodGet || r.Method == http.MethodHead {
					target += "?next=" + urlQueryEscape(r.URL.RequestURI())
				} else {
					// A form posted after the session ended: keep what was typed for
					// after the sign-in (resume.go), and come back to the page the
					// form was on, never to the POST's own address.
					expired := "lost"
					if s.keepForm(w, r) {
						expired = "kept"
					}
					target += "?expired=" + expired + "&next=" + urlQueryEscape(refererPath(r))
				}
				http.Redirect(w, r, target, http.StatusSeeOther)
				return
			}
			if len(roles) > 0 && !slices.Contains(roles, st.user.Role) {
				s.denied(w, r, "page", r.URL.Path)
				return
			}
			h(w, r)
		}
	}
}

// denied audits a refused access and answers 403.
func (s *Server) denied(w http.ResponseWriter, r *http.Request, objectType, objectID string) {
	s.auditDenied(r, objectType, objectID)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.apiError(w, r, errForbidden)
		return
	}
	s.errorPage(w, r, http.StatusForbidden)
}

// auditDenied writes a refused access to the audit trail.
func (s *Server) auditDenied(r *http.Request, objectType, objectID string) {
	if err := audit.Write(r.Context(), s.db, "access.denied", objectType, objectID, r.Method+" "+r.URL.Path); err != nil {
		s.log.Error("audit access.denied", "err", err)
	}
}

// clientIP is the address of the person asking. Behind a load balancer the
// connection comes from the balancer, so when it is a trusted proxy the address
// is taken from X-Forwarded-For: the rightmost hop that is not a trusted proxy
// (hops further left can be forged by the client). Sign-in throttling counts per
// address, so this matters.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if h == "" {
			continue
		}
		if !s.trusted(h) {
			return h
		}
		host = h
	}
	return host
}

func (s *Server) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

// refererPath is the path of the page a form was sent from, when it is on
// this site, else "/".
func refererPath(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || (u.Host != "" && u.Host != r.Host) {
		return "/"
	}
	return localPath(u.RequestURI())
}
