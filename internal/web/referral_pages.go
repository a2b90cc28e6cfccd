package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/letter"
	"github.com/etalase-id/etalase/internal/print"
	"github.com/etalase-id/etalase/internal/referral"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/workday"
)

type referralListData struct {
	Referrals []referralView
	Division  string
	Status    string
	Divisions []role.Division
	Statuses  []referral.Status
	Officer   bool          // a division officer: their own division only
	Own       role.Division // the officer's division
	NextURL   string
	FirstURL  string
}

type referralView struct {
	referral.Referral
	Late bool
}

func (s *Server) referralViews(ctx context.Context, list []referral.Referral) []referralView {
	now := s.db.Clock(ctx)
	out := make([]referralView, len(list))
	for i, x := range list {
		out[i] = referralView{Referral: x, Late: x.Late(now)}
	}
	return out
}

// referralList is the division's queue (a division officer sees only theirs)
// and, for staff, every referral, filtered by division and status.
func (s *Server) referralList(w http.ResponseWriter, r *http.Request) {
	u := s.user(r)
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("cursor"), 10, 64)
	f := referral.Filter{Division: role.Division(q.Get("division")), Status: referral.Status(q.Get("status")), Before: before}
	list, next, err := s.app.Referrals.List(r.Context(), u, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := referralListData{Referrals: s.referralViews(r.Context(), list), Division: string(f.Division), Status: string(f.Status),
		Divisions: role.Divisions, Statuses: referral.Statuses, Officer: u.Role == role.Bidang}
	if d.Officer {
		d.Division, d.Own = string(u.Division), u.Division
	}
	n := ""
	if next > 0 {
		n = strconv.FormatInt(next, 10)
	}
	d.NextURL, d.FirstURL = pageURLs(r, "/referrals", n)
	s.render(w, r, http.StatusOK, "referral/list", page{Title: "referral.list.title", Data: d})
}

type referralData struct {
	Referral  referralView
	Events    []referral.Event
	Names     map[int64]string
	CanRecord bool
	IsHKI     bool
	Next      []referral.Status // what the officer may record now
}

func (s *Server) referralShow(w http.ResponseWriter, r *http.Request) {
	s.renderReferral(w, r, http.StatusOK, newForm(nil))
}

func (s *Server) renderReferral(w http.ResponseWriter, r *http.Request, status int, f *form) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	u := s.user(r)
	x, err := s.app.Referrals.GetFor(r.Context(), u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	evs, err := s.app.Referrals.Events(r.Context(), id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ids := []int64{x.ReferredBy}
	for _, e := range evs {
		ids = append(ids, e.ByUser)
	}
	names, err := s.accounts.Names(r.Context(), ids)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := referralData{Referral: s.referralViews(r.Context(), []referral.Referral{x})[0], Events: evs, Names: names,
		CanRecord: u.Role == role.Bidang && u.Division == x.Division && x.Status.Open(), IsHKI: x.Division == role.HKI,
		Next: []referral.Status{referral.Contacted, referral.InProgress, referral.Done, referral.Declined}}
	s.render(w, r, status, "referral/show", page{Title: "referral.title", Form: f, Data: d, Here: fmt.Sprintf("/referrals/%d", id)})
}

func (s *Server) referralRecord(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok || !s.postForm(w, r) {
		if !ok {
			s.errorPage(w, r, http.StatusNotFound)
		}
		return
	}
	_, err := s.app.Referrals.Update(r.Context(), s.user(r), id, referral.Record{Status: referral.Status(r.PostForm.Get("status")),
		Certificate: r.PostForm.Get("certificate"), Note: r.PostForm.Get("note")})
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid {
			f := newForm(r)
			f.setError(err, reqFrom(r.Context()).lang)
			s.renderReferral(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "flash.saved")
	http.Redirect(w, r, fmt.Sprintf("/referrals/%d", id), http.StatusSeeOther)
}

// referralCreate refers the application's SME to a division, from the
// application's page.
func (s *Server) referralCreate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok || !s.postForm(w, r) {
		if !ok {
			s.errorPage(w, r, http.StatusNotFound)
		}
		return
	}
	_, err := s.app.Referrals.Refer(r.Context(), s.user(r), id, role.Division(r.PostForm.Get("division")), r.PostForm.Get("reason"))
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid {
			a, err2 := s.applications.GetFor(r.Context(), s.user(r), id)
			if err2 != nil {
				s.fail(w, r, err2)
				return
			}
			f := newForm(r)
			f.setError(err, reqFrom(r.Context()).lang)
			s.renderApplication(w, r, http.StatusUnprocessableEntity, a, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "referral.flash.made")
	http.Redirect(w, r, fmt.Sprintf("/applications/%d#rujukan", id), http.StatusSeeOther)
}

func (s *Server) referralExport(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := s.app.Referrals.Export(r.Context(), s.user(r), &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "rujukan-"+workday.DateOf(s.db.Clock(r.Context())).String()+".xlsx"))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(buf.Bytes())
}

// referralLetterPDF is the HKI recommendation letter, issued the first time
// it is asked for and the same letter every time after.
func (s *Server) referralLetterPDF(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	office := s.office(r)
	name := office.Name
	if name == "" {
		name = print.DefaultOfficeName
	}
	l, c, err := s.app.Referrals.Recommendation(r.Context(), s.user(r), id, name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	issued, _ := workday.ParseDate(c.IssuedOn)
	var buf bytes.Buffer
	err = print.RecommendationLetter(&buf, print.RecommendationData{Office: office, Number: c.Number, IssuedAt: issued.StartWIB().Add(9 * time.Hour),
		BusinessName: c.Business, OwnerName: c.Owner, NIB: c.NIB, Address: c.Address, Products: c.Products, Reason: c.Reason,
		VerifyURL: letter.VerifyURL(s.absURL(r, ""), l), Fingerprint: l.Fingerprint})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	servePDF(w, "surat-rekomendasi-"+strings.ToLower(c.Number)+".pdf", buf.Bytes())
}

type verifyData struct {
	Asked  bool
	Number string
	Letter *letter.Letter
}

// verify is the public page a letter's QR code leads to: it confirms a
// letter the Office issued, or says plainly that it did not, for a made-up
// or altered number, with no hint about other letters.
func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := verifyData{Number: strings.TrimSpace(q.Get("n"))}
	if d.Number != "" {
		d.Asked = true
		l, found, err := s.app.Letters.Lookup(r.Context(), d.Number)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		// A fingerprint in the link that is not the letter's: an altered QR.
		if fp := q.Get("f"); found && (fp == "" || strings.HasPrefix(l.Fingerprint, strings.ToLower(fp))) {
			d.Letter = &l
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "referral/verify", page{Title: "letter.verify.title", Data: d})
}

// receiptLetter registers the sample receipt in the letters, so its QR code
// can be verified, and returns the verification address.
func (s *Server) receiptLetter(r *http.Request, appID int64, d print.SampleReceiptData) (string, error) {
	content := []string{d.ReceiptNumber, d.ApplicationNumber, d.BusinessName, d.OwnerName, d.ReceivedAt.UTC().Format(time.RFC3339), d.ReceivedBy}
	for _, x := range d.Samples {
		content = append(content, fmt.Sprintf("%s|%d|%s", x.ProductName, x.Quantity, x.ProductionCode))
	}
	office := d.Office.Name
	if office == "" {
		office = print.DefaultOfficeName
	}
	var l letter.Letter
	err := s.db.InTx(r.Context(), func(ctx context.Context, tx *db.Tx) error {
		var err error
		l, err = s.app.Letters.Issue(ctx, tx, letter.Letter{Number: d.ReceiptNumber, Kind: letter.SampleReceipt, IssuedOn: workday.DateOf(d.ReceivedAt).String(),
			Subject: "Tanda Terima Sampel Produk " + d.ApplicationNumber, Office: office, Fingerprint: letter.Fingerprint(content...)}, appID)
		if err == letter.ErrChanged {
			err = nil // printed before with other details: the first issue stands
		}
		return err
	})
	if err != nil {
		return "", err
	}
	return letter.VerifyURL(s.absURL(r, ""), l), nil
}
