package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/letter"
	"github.com/etalase-id/etalase/internal/message"
	"github.com/etalase-id/etalase/internal/referral"
	"github.com/etalase-id/etalase/internal/role"
)

// The messages, templates, referrals and verification part of /api/v1.

type apiList[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func cursorOf(next int64) string {
	if next == 0 {
		return ""
	}
	return strconv.FormatInt(next, 10)
}

func (s *Server) apiMessages(w http.ResponseWriter, r *http.Request) {
	u := s.user(r)
	if u.Role != role.StafGaleri && u.Role != role.Admin {
		s.denied(w, r, "message", "list")
		return
	}
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("cursor"), 10, 64)
	limit, _ := strconv.Atoi(q.Get("limit"))
	ms, next, err := s.app.Messages.List(r.Context(), message.Filter{Status: message.Status(q.Get("status")), Channel: message.Channel(q.Get("channel")),
		Event: q.Get("event"), Before: before, Limit: limit})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if ms == nil {
		ms = []message.Message{}
	}
	writeJSON(w, http.StatusOK, apiList[message.Message]{Items: ms, NextCursor: cursorOf(next)})
}

func (s *Server) apiMessageRetry(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, errAPINotFound)
		return
	}
	if err := s.app.Messages.Retry(r.Context(), s.user(r), id); err != nil {
		s.apiError(w, r, err)
		return
	}
	m, err := s.app.Messages.Get(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

type apiTemplate struct {
	ID      string               `json:"id"`
	Vars    []string             `json:"vars"`
	Subject map[i18n.Lang]string `json:"subject"`
	Body    map[i18n.Lang]string `json:"body"`
	Edited  bool                 `json:"edited"`
}

func (s *Server) apiTemplates(w http.ResponseWriter, r *http.Request) {
	if s.user(r).Role != role.Admin {
		s.denied(w, r, "message_template", "list")
		return
	}
	ts, err := s.app.Messages.Templates(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]apiTemplate, len(ts))
	for i, t := range ts {
		out[i] = apiTemplate{ID: t.ID, Vars: t.Vars, Subject: t.Subject, Body: t.Body, Edited: t.Edited}
	}
	writeJSON(w, http.StatusOK, apiList[apiTemplate]{Items: out})
}

func (s *Server) apiTemplateSave(w http.ResponseWriter, r *http.Request) {
	u := s.user(r)
	if u.Role != role.Admin {
		s.denied(w, r, "message_template", r.PathValue("id"))
		return
	}
	var in struct {
		Subject string `json:"subject"`
		Body    string `json:"body"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&in); err != nil {
		s.apiError(w, r, statusError(http.StatusBadRequest))
		return
	}
	if err := s.app.Messages.SaveTemplate(r.Context(), u.ID, r.PathValue("id"), i18n.Lang(r.PathValue("lang")), in.Subject, in.Body); err != nil {
		s.apiError(w, r, err)
		return
	}
	t, err := s.app.Messages.Template(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiTemplate{ID: t.ID, Vars: t.Vars, Subject: t.Subject, Body: t.Body, Edited: t.Edited})
}

func (s *Server) apiReferrals(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("cursor"), 10, 64)
	limit, _ := strconv.Atoi(q.Get("limit"))
	list, next, err := s.app.Referrals.List(r.Context(), s.user(r), referral.Filter{Division: role.Division(q.Get("division")), Status: referral.Status(q.Get("status")), Before: before, Limit: limit})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiList[apiReferral]{Items: s.apiReferralList(r, list), NextCursor: cursorOf(next)})
}

// apiReferral is a referral with whether the division's first answer is
// late (its one working day has passed while it is still referred).
type apiReferral struct {
	referral.Referral
	Late bool `json:"late"`
}

func (s *Server) apiReferralList(r *http.Request, list []referral.Referral) []apiReferral {
	now := s.db.Clock(r.Context())
	out := make([]apiReferral, 0, len(list))
	for _, x := range list {
		out = append(out, apiReferral{x, x.Late(now)})
	}
	return out
}

// apiReferralGet is one referral with its history, for whoever sees its division.
func (s *Server) apiReferralGet(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, errAPINotFound)
		return
	}
	x, err := s.app.Referrals.GetFor(r.Context(), s.user(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	evs, err := s.app.Referrals.Events(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if evs == nil {
		evs = []referral.Event{}
	}
	writeJSON(w, http.StatusOK, struct {
		apiReferral
		Events []referral.Event `json:"events"`
	}{s.apiReferralList(r, []referral.Referral{x})[0], evs})
}

// apiApplicationReferrals is the application's referrals, and for those who
// refer, the divisions and reasons the legality gate's findings suggest: what
// the page's form is pre-filled with.
func (s *Server) apiApplicationReferrals(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, errAPINotFound)
		return
	}
	u := s.user(r)
	a, err := s.applications.GetFor(r.Context(), u, id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	list, err := s.app.Referrals.ForApplication(r.Context(), a.ID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if u.Role == role.Bidang {
		list = slices.DeleteFunc(list, func(x referral.Referral) bool { return !referral.Sees(u, x.Division) })
	}
	out := struct {
		Items       []apiReferral         `json:"items"`
		Suggestions []referral.Suggestion `json:"suggestions"`
	}{Items: s.apiReferralList(r, list), Suggestions: []referral.Suggestion{}}
	if referral.Refers(u) {
		sug, err := s.app.Referrals.Suggest(r.Context(), a.ID)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		out.Suggestions = append(out.Suggestions, sug...)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiReferralCreate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, errAPINotFound)
		return
	}
	var in struct {
		Division string `json:"division"`
		Reason   string `json:"reason"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&in); err != nil {
		s.apiError(w, r, statusError(http.StatusBadRequest))
		return
	}
	x, err := s.app.Referrals.Refer(r.Context(), s.user(r), id, role.Division(in.Division), in.Reason)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, s.apiReferralList(r, []referral.Referral{x})[0])
}

func (s *Server) apiReferralRecord(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, errAPINotFound)
		return
	}
	var in struct {
		Status      string `json:"status"`
		Certificate string `json:"certificate_number"`
		Note        string `json:"note"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&in); err != nil {
		s.apiError(w, r, statusError(http.StatusBadRequest))
		return
	}
	x, err := s.app.Referrals.Update(r.Context(), s.user(r), id, referral.Record{Status: referral.Status(in.Status), Certificate: in.Certificate, Note: in.Note})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.apiReferralList(r, []referral.Referral{x})[0])
}

// apiVerify is the verification lookup, public like the page: a letter the
// Office issued, or {"issued": false}.
func (s *Server) apiVerify(w http.ResponseWriter, r *http.Request) {
	l, found, err := s.app.Letters.Lookup(r.Context(), r.PathValue("number"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if fp := r.URL.Query().Get("f"); found && fp != "" && (len(fp) > len(l.Fingerprint) || l.Fingerprint[:len(fp)] != fp) {
		found = false
	}
	out := struct {
		Issued bool           `json:"issued"`
		Letter *letter.Letter `json:"letter,omitempty"`
	}{Issued: found}
	if found {
		out.Letter = &l
	}
	writeJSON(w, http.StatusOK, out)
}
