package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
)

// The intake part of /api/v1: the same services, rules, access checks and
// messages as the pages.

type apiApplication struct {
	ID          int64      `json:"id"`
	Number      string     `json:"number"`
	BusinessID  int64      `json:"business_id"`
	Business    string     `json:"business"`
	State       string     `json:"state"`
	StateLabel  string     `json:"state_label"`
	Step        int        `json:"step,omitempty"`
	DueAt       *time.Time `json:"due_at,omitempty"`
	Source      string     `json:"source"`
	CreatedAt   time.Time  `json:"created_at"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	Actions     []string   `json:"actions"`
}

func (s *Server) toAPIApplication(r *http.Request, a application.Application) apiApplication {
	acts := []string{}
	for _, x := range s.applications.Available(s.user(r), a) {
		acts = append(acts, string(x))
	}
	return apiApplication{ID: a.ID, Number: a.Number, BusinessID: a.BusinessID, Business: a.BusinessName, State: string(a.State),
		StateLabel: a.State.Label().In(apiLang(r)), Step: a.Step, DueAt: a.DueAt, Source: string(a.Source), CreatedAt: a.CreatedAt, SubmittedAt: a.SubmittedAt, Actions: acts}
}

var errAPILimit = apperr.InvalidField("api.limit", "limit", i18n.Text{
	ID: fmt.Sprintf("limit: bilangan bulat 1 sampai %d.", application.MaxPageSize),
	EN: fmt.Sprintf("limit: a whole number from 1 to %d.", application.MaxPageSize)})

// apiPage reads the paging parameters of a list: cursor (the next_cursor of
// the page before) and limit.
func apiPage(r *http.Request) (cursor string, limit int, err error) {
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > application.MaxPageSize {
			return "", 0, errAPILimit
		}
		limit = n
	}
	return q.Get("cursor"), limit, nil
}

// nextCursor is the next_cursor of a list: null on the last page.
func nextCursor(next string) *string {
	if next == "" {
		return nil
	}
	return &next
}

// apiApplications lists applications: all for staff, a page at a time, their
// own for an applicant.
func (s *Server) apiApplications(w http.ResponseWriter, r *http.Request) {
	u := s.user(r)
	cursor, limit, err := apiPage(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var apps []application.Application
	var next string
	switch {
	case u.Role == role.Pemohon:
		var b applicant.Business
		if b, err = s.applicants.ByOwner(r.Context(), u.ID); err == nil {
			apps, err = s.applications.ByBusiness(r.Context(), b.ID)
		} else if errors.Is(err, applicant.ErrNotFound) {
			err = nil
		}
	case policy.ListsApplications(u):
		var p application.Page[application.Application]
		p, err = s.applications.ListFor(r.Context(), u, application.Filter{State: sop.State(r.URL.Query().Get("state")), Search: r.URL.Query().Get("q"),
			Cursor: cursor, Limit: limit})
		apps, next = p.Items, p.Next
	default:
		s.denied(w, r, "application", "list")
		return
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]apiApplication, 0, len(apps))
	for _, a := range apps {
		out = append(out, s.toAPIApplication(r, a))
	}
	writeJSON(w, http.StatusOK, map[string]any{"applications": out, "next_cursor": nextCursor(next)})
}

func (s *Server) apiApplication(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, application.ErrNotFound)
		return
	}
	a, err := s.applications.GetFor(r.Context(), s.user(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	tl, err := s.applications.Timeline(r.Context(), a)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	docs, err := s.documents.Current(r.Context(), a.BusinessID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	l := apiLang(r)
	type step struct {
		Number     int        `json:"number"`
		Name       string     `json:"name"`
		Status     string     `json:"status"`
		StartedAt  *time.Time `json:"started_at,omitempty"`
		FinishedAt *time.Time `json:"finished_at,omitempty"`
		DueAt      *time.Time `json:"due_at,omitempty"`
		WorkDays   int        `json:"working_days"`
		Late       bool       `json:"late"`
	}
	type doc struct {
		ID     int64  `json:"id"`
		Kind   string `json:"kind"`
		Number string `json:"number,omitempty"`
		Status string `json:"status"`
		Reason string `json:"reason,omitempty"`
	}
	var steps []step
	for _, st := range tl.Steps {
		steps = append(steps, step{st.Step.Number, st.Step.Name.In(l), st.Status, st.StartedAt, st.FinishedAt, st.DueAt, st.WorkDays, st.Late})
	}
	ds := []doc{}
	for _, d := range docs {
		ds = append(ds, doc{d.ID, d.Kind, d.Number, d.Status, d.ReviewReason})
	}
	writeJSON(w, http.StatusOK, map[string]any{"application": s.toAPIApplication(r, a), "next": tl.Next.In(l), "steps": steps, "documents": ds})
}

// apiApplicationAction performs a procedure action: {"action": "submit", "reason": ""}.
func (s *Server) apiApplicationAction(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, application.ErrNotFound)
		return
	}
	var body struct {
		Action string `json:"action"`
		Reason string `json:"reason"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&body); err != nil || !sop.Action(body.Action).Valid() {
		s.apiError(w, r, apperr.InvalidField("api.action", "action", i18n.Text{
			ID: "Kirim JSON {\"action\": \"...\", \"reason\": \"...\"} dengan tindakan yang dikenal, misalnya submit.",
			EN: "Send JSON {\"action\": \"...\", \"reason\": \"...\"} with a known action, e.g. submit."}))
		return
	}
	if sop.Action(body.Action) == sop.Announce {
		s.apiError(w, r, errAnnouncePerRound)
		return
	}
	a, err := s.applications.Do(r.Context(), s.user(r), id, sop.Action(body.Action), body.Reason)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.toAPIApplication(r, a))
}

// apiDue is the staff's due/late list.
func (s *Server) apiDue(w http.ResponseWriter, r *http.Request) {
	if !policy.ListsApplications(s.user(r)) {
		s.denied(w, r, "due", "list")
		return
	}
	cursor, limit, err := apiPage(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	p, err := s.applications.DueListFor(r.Context(), s.user(r), application.DueFilter{Cursor: cursor, Limit: limit})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	type clock struct {
		Kind string `json:"kind"`
		ID   int64  `json:"id"`
		What string `json:"what"`
	}
	type item struct {
		apiApplication
		Status string `json:"status"`
		Clock  *clock `json:"clock,omitempty"` // a capability's clock (a referral), not the running step's
	}
	out := []item{}
	for _, it := range p.Items {
		x := item{apiApplication: s.toAPIApplication(r, it.Application), Status: string(it.Status)}
		if c := it.Clock; c != nil {
			x.Clock = &clock{Kind: c.Kind, ID: c.ID, What: c.What.In(apiLang(r))}
		}
		out = append(out, x)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "next_cursor": nextCursor(p.Next)})
}

// apiDocument serves a document's file with the same checks and audit as the page.
func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) {
	s.documentDownload(w, r)
}

// apiCheck validates one Indonesian identifier: GET /api/v1/check/nik?value=...
func (s *Server) apiCheck(w http.ResponseWriter, r *http.Request) {
	kind, value := idn.Kind(r.PathValue("kind")), r.URL.Query().Get("value")
	l := apiLang(r)
	c, err := idn.Check(kind, value, s.db.Clock(r.Context()))
	if errors.Is(err, idn.ErrUnknownKind) {
		s.apiError(w, r, errAPINotFound)
		return
	}
	normal, warnings := c.Normal, c.Warnings
	if kind == idn.KindNIK && err == nil {
		n, _, _ := idn.ParseNIK(normal)
		normal = n.Masked() // a NIK never comes back whole
	}
	type problem struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	out := struct {
		Valid    bool      `json:"valid"`
		Value    string    `json:"value,omitempty"`
		Error    *problem  `json:"error,omitempty"`
		Warnings []problem `json:"warnings"`
	}{Valid: err == nil, Warnings: []problem{}}
	if err != nil {
		var p *idn.Problem
		if !errors.As(err, &p) {
			s.apiError(w, r, err)
			return
		}
		out.Error = &problem{p.Code, p.Text.In(l)}
	} else {
		out.Value = normal
	}
	for _, w := range warnings {
		out.Warnings = append(out.Warnings, problem{w.Code, w.Text.In(l)})
	}
	writeJSON(w, http.StatusOK, out)
}

// apiBusiness shows a business profile (masked NIK) with its products to those
// who may see it.
func (s *Server) apiBusiness(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, applicant.ErrNotFound)
		return
	}
	u := s.user(r)
	b, err := s.applicants.GetFor(r.Context(), u, id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if !policy.SeesContact(u, b.OwnerID) {
		b = b.ContactMasked()
	}
	products, err := s.applicants.Products(r.Context(), b.ID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	type product struct {
		ID            int64  `json:"id"`
		Name          string `json:"name"`
		Category      string `json:"category"`
		FoodType      string `json:"food_type,omitempty"`
		NetContent    string `json:"net_content"`
		Packaging     string `json:"packaging"`
		ShelfLifeDays int    `json:"shelf_life_days,omitempty"`
		Price         int64  `json:"price,omitempty"`
		PIRT          string `json:"pirt,omitempty"`
		Halal         string `json:"halal,omitempty"`
		BPOM          string `json:"bpom,omitempty"`
	}
	ps := []product{}
	for _, p := range products {
		ps = append(ps, product{p.ID, p.Name, p.Category, p.FoodType, p.NetContent, p.Packaging, p.ShelfLifeDays, p.Price, p.PIRT, p.Halal, p.BPOM})
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": b.ID, "name": b.Name, "owner_name": b.OwnerName, "nik": b.NIKMasked, "nib": b.NIB, "address": b.Address,
		"province_code": b.ProvinceCode, "regency_code": b.RegencyCode, "region": b.RegionName(), "whatsapp": b.WhatsApp, "email": b.Email,
		"category": b.Category, "size": b.Size, "year_started": b.YearStarted, "products": ps,
	})
}

// apiDocumentUpload takes a multipart upload (fields kind, number, issued_on,
// expires_on, product_id, file) with the same checks as the form.
func (s *Server) apiDocumentUpload(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, applicant.ErrNotFound)
		return
	}
	up, done, err := s.readUpload(w, r, id)
	defer done()
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	d, warnings, err := s.documents.Add(r.Context(), s.user(r), up)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	l := apiLang(r)
	ws := []map[string]string{}
	for _, x := range warnings {
		ws = append(ws, map[string]string{"code": x.Code, "message": x.Text.In(l)})
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": d.ID, "kind": d.Kind, "number": d.Number, "status": d.Status,
		"sha256": d.SHA256, "size": d.Size, "content_type": d.ContentType, "warnings": ws})
}

// apiSamples records an application's samples: {"samples": [{"product_id": 1,
// "quantity": 3, "expiry_date": "2027-04-30", ...}]}.
func (s *Server) apiSamples(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, application.ErrNotFound)
		return
	}
	var body struct {
		Samples []struct {
			ProductID      int64  `json:"product_id"`
			Quantity       int    `json:"quantity"`
			ExpiryDate     string `json:"expiry_date"`
			ProductionCode string `json:"production_code"`
			NetContent     string `json:"net_content"`
			Condition      string `json:"condition"`
			Notes          string `json:"notes"`
		} `json:"samples"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 256<<10)).Decode(&body); err != nil {
		s.apiError(w, r, apperr.InvalidField("api.samples", "samples", i18n.Text{ID: "Kirim JSON {\"samples\": [...]}.", EN: "Send JSON {\"samples\": [...]}."}))
		return
	}
	var in []intake.SampleInput
	for _, x := range body.Samples {
		in = append(in, intake.SampleInput{ProductID: x.ProductID, Quantity: strconv.Itoa(x.Quantity), ExpiryDate: x.ExpiryDate,
			ProductionCode: x.ProductionCode, NetContent: x.NetContent, Condition: x.Condition, Notes: x.Notes})
	}
	rc, err := s.intake.RecordSamples(r.Context(), s.user(r), id, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"receipt": rc.Number, "received_at": rc.CreatedAt})
}
