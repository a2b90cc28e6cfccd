package web

import (
	"fmt"
	"io"
	"net/http"

	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/register"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// Excel registers for staff (the import of the old Google Form is in
// import_pages.go).

// downloadWriter sets a download's headers just before its first byte: until
// then an error can still become an error page.
type downloadWriter struct {
	w       http.ResponseWriter
	header  func(http.Header)
	started bool
}

func (d *downloadWriter) Write(p []byte) (int, error) {
	if !d.started {
		d.started = true
		d.header(d.w.Header())
		d.w.WriteHeader(http.StatusOK)
	}
	return d.w.Write(p)
}

// serveDownload streams what write writes to the response as an attachment
// named name-YYYY-MM-DD.ext. The registers read every row before they write
// their first byte, so a failure to read is an error page; a failure after
// (the client went away, say) can only break the download off.
func (s *Server) serveDownload(w http.ResponseWriter, r *http.Request, name, ext, contentType string, write func(io.Writer) error) {
	day := workday.DateOf(s.db.Clock(r.Context())).String()
	dw := &downloadWriter{w: w, header: func(h http.Header) {
		h.Set("Content-Type", contentType)
		h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+"-"+day+"."+ext))
		h.Set("Cache-Control", "private, no-store")
	}}
	err := write(dw)
	switch {
	case err == nil:
	case !dw.started:
		s.serverError(w, r, err)
	case r.Context().Err() == nil:
		s.log.Error("download broken off", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler) // the client must not take half a file for a whole one
	}
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Server) applicationsFilter(r *http.Request) application.Filter {
	q := r.URL.Query()
	return application.Filter{State: sop.State(q.Get("state")), Search: q.Get("q"), View: s.applications.ScopeFor(s.user(r))}
}

func (s *Server) applicationsExport(w http.ResponseWriter, r *http.Request) {
	s.serveDownload(w, r, "permohonan", "xlsx", xlsxType, func(out io.Writer) error {
		return register.Applications(r.Context(), out, s.registerSources(), s.applicationsFilter(r))
	})
}

// applicationsExportCSV is the same register as CSV, for other programs.
func (s *Server) applicationsExportCSV(w http.ResponseWriter, r *http.Request) {
	s.serveDownload(w, r, "permohonan", "csv", "text/csv; charset=utf-8", func(out io.Writer) error {
		return register.ApplicationsCSV(r.Context(), out, s.registerSources(), s.applicationsFilter(r))
	})
}

func (s *Server) applicantsExport(w http.ResponseWriter, r *http.Request) {
	s.serveDownload(w, r, "pemohon", "xlsx", xlsxType, func(out io.Writer) error {
		return register.Applicants(r.Context(), out, s.registerSources())
	})
}

func (s *Server) registerSources() register.Sources {
	return register.Sources{DB: s.db, Applications: s.applications, Applicants: s.applicants}
}
