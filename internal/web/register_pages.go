package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/importer"
	"github.com/etalase-id/etalase/internal/register"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// Excel registers for staff, and the import of the old Google Form.

func (s *Server) serveXLSX(w http.ResponseWriter, r *http.Request, name string, write func(*bytes.Buffer) error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		s.serverError(w, r, err)
		return
	}
	day := workday.DateOf(s.db.Clock(r.Context())).String()
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+"-"+day+".xlsx"))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) applicationsExport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.serveXLSX(w, r, "permohonan", func(b *bytes.Buffer) error {
		return register.Applications(r.Context(), b, s.registerSources(), application.Filter{State: sop.State(q.Get("state")), Search: q.Get("q"), Limit: 1000})
	})
}

func (s *Server) applicantsExport(w http.ResponseWriter, r *http.Request) {
	s.serveXLSX(w, r, "pemohon", func(b *bytes.Buffer) error { return register.Applicants(r.Context(), b, s.registerSources()) })
}

type importData struct {
	Report *importer.Report
	Done   bool
}

func (s *Server) registerSources() register.Sources {
	return register.Sources{DB: s.db, Applications: s.applications, Applicants: s.applicants}
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "intake/import", page{Title: "import.title", Form: newForm(r), Data: importData{}})
}

// importRun checks (dry run) or imports an uploaded export. The file is sent
// again for the real run: nothing is kept between the two requests, so any
// server process can answer either.
func (s *Server) importRun(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 21<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		s.importError(w, r, apperr.InvalidField("import.file", "file", textOf("Pilih berkas CSV atau XLSX (maksimal 20 MB).", "Choose a CSV or XLSX file (20 MB at most).")), nil)
		return
	}
	defer r.MultipartForm.RemoveAll()
	file, _, err := r.FormFile("file")
	if err != nil {
		s.importError(w, r, apperr.InvalidField("import.file", "file", textOf("Pilih berkas CSV atau XLSX hasil unduhan Google Form.", "Choose the CSV or XLSX downloaded from the Google Form.")), nil)
		return
	}
	defer file.Close()
	tbl, err := importer.Read(file)
	if err != nil {
		s.importError(w, r, err, nil)
		return
	}
	var skip []int
	for _, f := range strings.FieldsFunc(r.PostFormValue("skip"), func(c rune) bool { return c == ',' || c == ' ' || c == ';' }) {
		if n, err := strconv.Atoi(f); err == nil {
			skip = append(skip, n)
		}
	}
	im := s.app.Importer
	var rep importer.Report
	apply := r.PostFormValue("mode") == "apply"
	if apply {
		rep, err = im.Run(r.Context(), s.user(r), tbl, skip)
	} else {
		rep, err = im.DryRun(r.Context(), s.user(r), tbl)
	}
	if err != nil {
		s.importError(w, r, err, &rep)
		return
	}
	s.render(w, r, http.StatusOK, "intake/import", page{Title: "import.title", Form: newForm(r), Data: importData{Report: &rep, Done: apply}})
}

func (s *Server) importError(w http.ResponseWriter, r *http.Request, err error, rep *importer.Report) {
	s.formError(w, r, err, "intake/import", page{Title: "import.title", Here: "/desk/import", Data: importData{Report: rep}})
}
