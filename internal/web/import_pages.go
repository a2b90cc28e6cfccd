package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/importer"
)

// The import of the old Google Form: the check (a dry run) of an uploaded file,
// kept in the database so the real run needs no second upload and any server
// process can start it; the real run in the background with its progress; its
// undo; the column templates.

type importData struct {
	Report   *importer.Report
	Token    string // the stored file, kept between the check and the real run
	FileName string
	Batches  []importer.Batch // the latest runs
}

// batchData is a run's page.
type batchData struct {
	Batch   importer.Batch
	Numbers []string // the applications it created
	CanUndo bool
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request) {
	s.renderImport(w, r, http.StatusOK, newForm(r), importData{})
}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, status int, f *form, d importData) {
	var err error
	if d.Batches, err = s.app.Importer.Batches(r.Context(), s.user(r), 10); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "intake/import", page{Title: "import.title", Here: "/desk/import", Form: f, Data: d})
}

var (
	errImportForm = apperr.InvalidField("import.file", "file", textOf("Pilih berkas CSV atau XLSX (maksimal 20 MB).", "Choose a CSV or XLSX file (20 MB at most)."))
	errImportFile = apperr.InvalidField("import.file", "file", textOf("Pilih berkas CSV atau XLSX hasil unduhan Google Form.", "Choose the CSV or XLSX downloaded from the Google Form."))
)

// importRun checks (mode=check) or imports (mode=apply) a file: one just
// uploaded, which is stored first, or the one stored at its check (token).
// The real run starts in the background and the answer is its page.
func (s *Server) importRun(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, importer.MaxBytes+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		s.importError(w, r, errImportForm, importData{})
		return
	}
	defer r.MultipartForm.RemoveAll()
	ctx, u, im := r.Context(), s.user(r), s.app.Importer
	d := importData{Token: r.PostFormValue("token")}
	if file, hdr, err := r.FormFile("file"); err == nil {
		data, err := io.ReadAll(io.LimitReader(file, importer.MaxBytes+1))
		file.Close()
		if err != nil {
			s.importError(w, r, errImportForm, importData{})
			return
		}
		// Read before storing: a file that is not a form export is refused
		// at once, and not kept.
		if _, err := importer.Read(bytes.NewReader(data)); err != nil {
			s.importError(w, r, err, importData{})
			return
		}
		if d.Token, err = im.StoreFile(ctx, u, hdr.Filename, data); err != nil {
			s.fail(w, r, err)
			return
		}
	} else if d.Token == "" {
		s.importError(w, r, errImportFile, importData{})
		return
	}
	f, err := im.File(ctx, u, d.Token)
	if err != nil {
		s.importError(w, r, err, importData{})
		return
	}
	d.FileName = f.Name
	skip := importer.ParseSkip(r.PostFormValue("skip"))
	if r.PostFormValue("mode") == "apply" {
		id, rep, err := im.Start(ctx, u, d.Token, skip)
		if err != nil {
			if len(rep.Problems) > 0 || rep.Rows > 0 {
				d.Report = &rep
			}
			s.importError(w, r, err, d)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/desk/import/batches/%d", id), http.StatusSeeOther)
		return
	}
	rep, err := im.Check(ctx, u, d.Token, skip)
	d.Report = &rep
	if err != nil {
		s.importError(w, r, err, d)
		return
	}
	s.renderImport(w, r, http.StatusOK, s.importForm2(r), d)
}

// importForm2 is the form as submitted, with the file's field cleared: the
// stored file stands for it.
func (s *Server) importForm2(r *http.Request) *form {
	f := newForm(r)
	f.values.Del("file")
	return f
}

func (s *Server) importError(w http.ResponseWriter, r *http.Request, err error, d importData) {
	if !isFormProblem(err) {
		s.fail(w, r, err)
		return
	}
	f := s.importForm2(r)
	f.setError(err, reqFrom(r.Context()).lang)
	s.renderImport(w, r, statusOf(err), f, d)
}

func (s *Server) importBatch(w http.ResponseWriter, r *http.Request) (importer.Batch, bool) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return importer.Batch{}, false
	}
	b, err := s.app.Importer.BatchOf(r.Context(), s.user(r), id)
	if err != nil {
		s.fail(w, r, err)
		return b, false
	}
	return b, true
}

// importBatchShow is a run's page; htmx asks for its progress part every
// second while it runs.
func (s *Server) importBatchShow(w http.ResponseWriter, r *http.Request) {
	b, ok := s.importBatch(w, r)
	if !ok {
		return
	}
	d := batchData{Batch: b, CanUndo: b.Undoable()}
	if b.State == importer.Done || b.State == importer.Interrupted {
		var err error
		if d.Numbers, err = s.app.Importer.Numbers(r.Context(), b.ID); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	p := page{Title: "import.batch.title", Form: newForm(nil), Data: d}
	if r.Header.Get("HX-Request") == "true" {
		p.Fragment = "progress"
	}
	s.render(w, r, http.StatusOK, "intake/import_batch", p)
}

func (s *Server) importBatchUndo(w http.ResponseWriter, r *http.Request) {
	b, ok := s.importBatch(w, r)
	if !ok || !s.postForm(w, r) {
		return
	}
	back := fmt.Sprintf("/desk/import/batches/%d", b.ID)
	if r.PostForm.Get("confirm") != "yes" {
		s.formError(w, r, apperr.InvalidField("import.undo_confirm", "confirm", textOf(
			"Centang dulu bahwa Anda yakin: semua yang dibuat impor ini akan dihapus.",
			"Tick first that you are sure: everything this import created will be removed.")),
			"intake/import_batch", page{Title: "import.batch.title", Here: back, Data: batchData{Batch: b, CanUndo: b.Undoable()}})
		return
	}
	if err := s.app.Importer.Undo(r.Context(), s.user(r), b.ID); err != nil {
		s.formError(w, r, err, "intake/import_batch", page{Title: "import.batch.title", Here: back, Data: batchData{Batch: b, CanUndo: b.Undoable()}})
		return
	}
	s.flash(w, "flash.import_undone")
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// importTemplate is an empty form export with every column the import knows.
func (s *Server) importTemplate(ext string) http.HandlerFunc {
	write, ct := importer.TemplateCSV, "text/csv; charset=utf-8"
	if ext == "xlsx" {
		write, ct = importer.TemplateXLSX, xlsxType
	}
	return func(w http.ResponseWriter, r *http.Request) {
		s.serveTemplate(w, r, ext, ct, write)
	}
}

func (s *Server) serveTemplate(w http.ResponseWriter, r *http.Request, ext, ct string, write func(io.Writer) error) {
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="templat-impor-etalase.`+ext+`"`)
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}
