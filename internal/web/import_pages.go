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
	Batches []importer.Batch // the latest checks and runs
}

// batchData is a check's or a run's page.
type batchData struct {
	Batch   importer.Batch
	Numbers []string // the applications a run created
	CanUndo bool
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request) {
	s.renderImport(w, r, http.StatusOK, newForm(r))
}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, status int, f *form) {
	var d importData
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

// importRun keeps an uploaded file and starts its check in the background;
// with mode=apply the check goes on into the real run when it finds no
// problem. The answer is the check's page.
func (s *Server) importRun(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, importer.MaxBytes+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		s.importError(w, r, errImportForm)
		return
	}
	defer r.MultipartForm.RemoveAll()
	ctx, u, im := r.Context(), s.user(r), s.app.Importer
	file, hdr, err := r.FormFile("file")
	if err != nil {
		s.importError(w, r, errImportFile)
		return
	}
	data, err := io.ReadAll(io.LimitReader(file, importer.MaxBytes+1))
	file.Close()
	if err != nil {
		s.importError(w, r, errImportForm)
		return
	}
	// Read before storing: a file that is not a form export is refused at
	// once, and not kept.
	if _, err := importer.Read(bytes.NewReader(data)); err != nil {
		s.importError(w, r, err)
		return
	}
	key, err := im.StoreFile(ctx, u, hdr.Filename, data)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := im.StartCheck(ctx, u, key, importer.ParseSkip(r.PostFormValue("skip")), r.PostFormValue("mode") == "apply")
	if err != nil {
		s.importError(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/desk/import/batches/%d", id), http.StatusSeeOther)
}

func (s *Server) importError(w http.ResponseWriter, r *http.Request, err error) {
	if !isFormProblem(err) {
		s.fail(w, r, err)
		return
	}
	f := newForm(r)
	f.setError(err, reqFrom(r.Context()).lang)
	s.renderImport(w, r, statusOf(err), f)
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

func batchPath(id int64) string { return fmt.Sprintf("/desk/import/batches/%d", id) }

// importBatchShow is a check's or a run's page; htmx asks for its progress
// part every second while it runs, and is sent on to the run a passed check
// went on into.
func (s *Server) importBatchShow(w http.ResponseWriter, r *http.Request) {
	b, ok := s.importBatch(w, r)
	if !ok {
		return
	}
	d, err := s.batchData(r, b)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := page{Title: "import.batch.title", Form: newForm(nil), Data: d}
	if r.Header.Get("HX-Request") == "true" {
		if b.Next != 0 {
			w.Header().Set("HX-Redirect", batchPath(b.Next))
		}
		p.Fragment = "progress"
	}
	s.render(w, r, http.StatusOK, "intake/import_batch", p)
}

func (s *Server) batchData(r *http.Request, b importer.Batch) (batchData, error) {
	d := batchData{Batch: b, CanUndo: b.Undoable()}
	if b.Kind == importer.Import && (b.State == importer.Done || b.State == importer.Interrupted) {
		var err error
		if d.Numbers, err = s.app.Importer.Numbers(r.Context(), b.ID); err != nil {
			return d, err
		}
	}
	return d, nil
}

// importBatchNext goes on from a finished check: the real run (mode=apply)
// when it passed with the same rows skipped, else a check of the same file
// again with the rows now given (going on into the run if mode=apply).
func (s *Server) importBatchNext(w http.ResponseWriter, r *http.Request) {
	b, ok := s.importBatch(w, r)
	if !ok || !s.postForm(w, r) {
		return
	}
	ctx, u, im := r.Context(), s.user(r), s.app.Importer
	skip := importer.ParseSkip(r.PostForm.Get("skip"))
	apply := r.PostForm.Get("mode") == "apply"
	var id int64
	var err error
	if apply && b.Passed() && importer.SkipText(skip) == b.Skip {
		id, err = im.StartImport(ctx, u, b.ID)
	} else {
		id, err = im.Recheck(ctx, u, b.ID, skip, apply)
	}
	if err != nil {
		d, derr := s.batchData(r, b)
		if derr != nil {
			s.serverError(w, r, derr)
			return
		}
		s.formError(w, r, err, "intake/import_batch", page{Title: "import.batch.title", Here: batchPath(b.ID), Data: d})
		return
	}
	http.Redirect(w, r, batchPath(id), http.StatusSeeOther)
}

func (s *Server) importBatchUndo(w http.ResponseWriter, r *http.Request) {
	b, ok := s.importBatch(w, r)
	if !ok || !s.postForm(w, r) {
		return
	}
	back := batchPath(b.ID)
	d, err := s.batchData(r, b)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if r.PostForm.Get("confirm") != "yes" {
		s.formError(w, r, apperr.InvalidField("import.undo_confirm", "confirm", textOf(
			"Centang dulu bahwa Anda yakin: semua yang dibuat impor ini akan dihapus.",
			"Tick first that you are sure: everything this import created will be removed.")),
			"intake/import_batch", page{Title: "import.batch.title", Here: back, Data: d})
		return
	}
	if err := s.app.Importer.Undo(r.Context(), s.user(r), b.ID); err != nil {
		s.formError(w, r, err, "intake/import_batch", page{Title: "import.batch.title", Here: back, Data: d})
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
