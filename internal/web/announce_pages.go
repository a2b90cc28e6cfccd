package web

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/letter"
	"github.com/etalase-id/etalase/internal/print"
	"github.com/etalase-id/etalase/internal/workday"

	"github.com/etalase-id/etalase/internal/curation"
)

// The public announcement of a curation round (SOP step 5): the SMEs that
// passed — business name, regency, product, grade — and nothing personal. A
// round not announced is not found.

// errAnnouncePerRound refuses the announce action on one application: results
// are published for a whole round at once, from the round's page, so the
// round's guard (every decision made, once) cannot be gone around.
var errAnnouncePerRound = apperr.New(apperr.Conflict, "announce.per_round",
	"Hasil diumumkan per putaran kurasi sekaligus, dari halaman putarannya, bukan per permohonan.",
	"Results are announced for a whole curation round at once, from the round's page, not per application.")

// announcementData is what the public announcement page shows.
type announcementData struct {
	Round  curation.Round
	Passed []curation.AnnouncedProduct
}

func (s *Server) announcementRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /pengumuman/{id}", s.announcement)
	mux.HandleFunc("GET /pengumuman/{id}/surat.pdf", s.announcementLetterPDF)
}

// publicAnnouncement loads the announced round of the request's path, and its
// passed products with the staff-only reasons cleared.
func (s *Server) publicAnnouncement(r *http.Request) (announcementData, bool, error) {
	id, ok := pathID(r)
	if !ok {
		return announcementData{}, false, nil
	}
	ctx := r.Context()
	rd, err := s.app.Curation.Round(ctx, id)
	if err != nil || !rd.Announced() {
		return announcementData{}, false, nil
	}
	list, err := s.app.Curation.Announcement(ctx, id)
	if err != nil {
		return announcementData{}, false, err
	}
	d := announcementData{Round: rd}
	for _, x := range list {
		if x.Passed {
			x.Reason, x.Number = "", ""
			d.Passed = append(d.Passed, x)
		}
	}
	return d, true, nil
}

func (s *Server) announcement(w http.ResponseWriter, r *http.Request) {
	d, ok, err := s.publicAnnouncement(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	s.render(w, r, http.StatusOK, "curation/announcement", page{Title: "announce.public.title", Data: d})
}

// announcementLetterPDF prints a round's announcement letter as it was issued
// at the announcement, with its QR code to the verification page. Public, like
// the announcement it states.
func (s *Server) announcementLetterPDF(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	l, c, found, err := s.app.AnnouncementLetter(r.Context(), id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !found {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	issued, _ := workday.ParseDate(c.IssuedOn)
	d := print.AnnouncementData{Office: s.office(r), Number: c.Number, IssuedAt: issued.StartWIB().Add(9 * time.Hour), Round: c.Round,
		Applicants: c.Applicants, NotPassed: c.NotPassed, VerifyURL: letter.VerifyURL(s.absURL(r, ""), l), Fingerprint: l.Fingerprint}
	d.Office.Name = c.Office
	for _, p := range c.Passed {
		d.Passed = append(d.Passed, print.AnnouncedSME{Business: p.Business, Regency: p.Regency, Product: p.Product, Grade: p.Grade})
	}
	var buf bytes.Buffer
	if err := print.AnnouncementLetter(&buf, d); err != nil {
		s.serverError(w, r, err)
		return
	}
	servePDF(w, "pengumuman-"+strings.ToLower(c.Number)+".pdf", buf.Bytes())
}
