package web

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/i18n"
)

// The OpenAPI 3.1 description of /api/v1. Every API route is documented there; a
// test checks the two agree.
//
//go:embed openapi.json
var openAPIDoc []byte

// apiRoute is one documented API operation.
type apiRoute struct {
	method, path string // path as in the OpenAPI document
	handler      http.HandlerFunc
}

func (s *Server) apiRouteList() []apiRoute {
	return append([]apiRoute{
		{"GET", "/api/v1/me", s.apiAuth(s.apiMe)},
		{"GET", "/api/v1/applications", s.apiAuth(s.apiApplications)},
		{"GET", "/api/v1/applications/{id}", s.apiAuth(s.apiApplication)},
		{"POST", "/api/v1/applications/{id}/actions", s.apiAuth(s.apiApplicationAction)},
		{"POST", "/api/v1/applications/{id}/samples", s.apiAuth(s.apiSamples)},
		{"POST", "/api/v1/applications/{id}/reapplication", s.apiAuth(s.apiReapplication)},
		{"GET", "/api/v1/businesses/{id}", s.apiAuth(s.apiBusiness)},
		{"POST", "/api/v1/businesses/{id}/documents", s.apiAuth(s.apiDocumentUpload)},
		{"GET", "/api/v1/due", s.apiAuth(s.apiDue)},
		{"GET", "/api/v1/documents/{id}", s.apiAuth(s.apiDocument)},
		{"GET", "/api/v1/check/{kind}", s.apiAuth(s.apiCheck)},
		{"GET", "/api/v1/messages", s.apiAuth(s.apiMessages)},
		{"POST", "/api/v1/messages/{id}/retry", s.apiAuth(s.apiMessageRetry)},
		{"GET", "/api/v1/templates", s.apiAuth(s.apiTemplates)},
		{"PUT", "/api/v1/templates/{id}/{lang}", s.apiAuth(s.apiTemplateSave)},
		{"GET", "/api/v1/referrals", s.apiAuth(s.apiReferrals)},
		{"GET", "/api/v1/applications/{id}/referrals", s.apiAuth(s.apiApplicationReferrals)},
		{"POST", "/api/v1/applications/{id}/referrals", s.apiAuth(s.apiReferralCreate)},
		{"GET", "/api/v1/referrals/{id}", s.apiAuth(s.apiReferralGet)},
		{"POST", "/api/v1/referrals/{id}/records", s.apiAuth(s.apiReferralRecord)},
		{"GET", "/api/v1/verify/{number}", s.apiVerify},
	}, slices.Concat(s.stockAPIRoutes(), s.curationAPIRoutes())...)
}

func (s *Server) apiRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(openAPIDoc)
	})
	for _, rt := range s.apiRouteList() {
		mux.HandleFunc(rt.method+" "+rt.path, rt.handler)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) { s.apiError(w, r, errAPINotFound) })
}

var (
	errAPINotFound = apperr.New(apperr.NotFound, "not_found", "Alamat API ini tidak ada.", "No such API endpoint.")
	errForbidden   = apperr.New(apperr.Forbidden, "forbidden", "Anda tidak berhak mengakses ini.", "You may not access this.")
	errNoToken     = apperr.New(apperr.Unauthorized, "unauthorized",
		"Sertakan token API: header Authorization: Bearer <token>. Buat token di halaman Profil.",
		"Send an API token: header Authorization: Bearer <token>. Create one on your Profile page.")
)

func statusError(status int) *apperr.Error {
	switch status {
	case http.StatusNotFound:
		return errAPINotFound
	case http.StatusForbidden:
		return errForbidden
	case http.StatusBadRequest:
		return apperr.New(apperr.Invalid, "bad_request", "Permintaan tidak dapat dibaca.", "The request could not be read.")
	}
	return apperr.New(apperr.Internal, "internal", "Terjadi kesalahan pada sistem.", "Something went wrong on our side.")
}

// apiAuth admits requests carrying a valid personal API token.
func (s *Server) apiAuth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || secret == "" {
			s.apiError(w, r, errNoToken)
			return
		}
		u, err := s.accounts.TokenUser(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		st := reqFrom(r.Context())
		st.user = &u
		ctx := audit.WithActor(r.Context(), audit.Actor{UserID: u.ID, Label: u.Login() + " (API)", IP: st.ip})
		h(w, r.WithContext(ctx))
	}
}

// apiLang is the language of API messages: Accept-Language, Indonesian by default.
func apiLang(r *http.Request) i18n.Lang { return i18n.Parse(r.Header.Get("Accept-Language")) }

type apiErrorBody struct {
	Error apiErrorDetail `json:"error"`
}

type apiErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// apiError answers a JSON error with the same codes and words as the pages.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := apperr.As(err)
	if !ok || e.Kind == apperr.Internal {
		s.log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		e = statusError(http.StatusInternalServerError)
	}
	l := apiLang(r)
	body := apiErrorBody{Error: apiErrorDetail{Code: e.Code, Message: e.Text.In(l)}}
	for _, f := range e.Fields {
		if body.Error.Fields == nil {
			body.Error.Fields = map[string]string{}
		}
		body.Error.Fields[f.Name] = f.Text.In(l)
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", itoa(int(e.RetryAfter.Seconds())+1))
	}
	writeJSON(w, kindStatus(e.Kind), body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// apiUser is a user as the API shows it.
type apiUser struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Role     string `json:"role"`
	Division string `json:"division,omitempty"`
	Lang     string `json:"lang"`
}

func toAPIUser(u account.User) apiUser {
	return apiUser{ID: u.ID, Name: u.Name, Email: u.Email, Phone: u.Phone, Role: string(u.Role), Division: string(u.Division), Lang: string(u.Lang)}
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, toAPIUser(*reqFrom(r.Context()).user))
}
