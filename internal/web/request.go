package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/i18n"
)

// Reading requests: every handler reads forms, path ids and uploads through
// these, so a limit or a refusal is the same everywhere.

const maxFormBytes = 1 << 20

// parseForm reads a posted form of reasonable size.
func parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	return r.ParseForm() == nil
}

var errBadForm = apperr.New(apperr.Invalid, "bad_request", "Isian formulir tidak dapat dibaca. Muat ulang halaman lalu coba lagi.", "The form could not be read. Reload the page and try again.")

// postForm reads a posted form, answering a broken one with a 400 page; the
// handler returns when it reports false.
func (s *Server) postForm(w http.ResponseWriter, r *http.Request) bool {
	if !parseForm(w, r) {
		s.fail(w, r, errBadForm)
		return false
	}
	return true
}

// pathID reads a numeric path value (default "id"); anything else is simply
// not found.
func pathID(r *http.Request, name ...string) (int64, bool) {
	n := "id"
	if len(name) > 0 {
		n = name[0]
	}
	id, err := strconv.ParseInt(r.PathValue(n), 10, 64)
	return id, err == nil && id > 0
}

// formIDs reads the numeric values of a repeated form field (ticked boxes).
func formIDs(r *http.Request, field string) []int64 {
	var ids []int64
	for _, v := range r.PostForm[field] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

func itoa(n int) string { return strconv.Itoa(n) }

// user is the signed-in user of a request behind requireUser or apiAuth.
func (s *Server) user(r *http.Request) account.User { return *reqFrom(r.Context()).user }

// readUpload reads a document upload (multipart: kind, number, issued_on,
// expires_on, product_id, reason, file) for the business, as the page and the
// API both send it. The body may be as large as the store accepts for one file
// plus the other fields; the store checks the file itself exactly. The caller
// must call done when finished with the upload.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request, businessID int64) (up document.Upload, done func(), err error) {
	limit := s.app.Files.UploadLimit()
	r.Body = http.MaxBytesReader(w, r.Body, limit+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			photo, pdf := limit>>20, s.app.Files.MaxBytes>>20
			return up, func() {}, apperr.InvalidField("document.too_large", "file", i18n.Text{
				ID: fmt.Sprintf("Berkas terlalu besar: foto paling besar %d MB, PDF %d MB. Perkecil foto atau pindai dengan resolusi lebih rendah.", photo, pdf),
				EN: fmt.Sprintf("The file is too large: photos up to %d MB, PDFs up to %d MB. Use a smaller photo or a lower scan resolution.", photo, pdf)})
		}
		return up, func() {}, apperr.InvalidField("document.unreadable", "file", i18n.Text{
			ID: "Unggahan tidak dapat dibaca. Pilih berkasnya lagi lalu kirim ulang.",
			EN: "The upload could not be read. Choose the file again and send it again."})
	}
	up = document.Upload{BusinessID: businessID, Kind: r.PostFormValue("kind"), Number: r.PostFormValue("number"),
		IssuedOn: r.PostFormValue("issued_on"), ExpiresOn: r.PostFormValue("expires_on"), Reason: r.PostFormValue("reason")}
	if pid, err := strconv.ParseInt(r.PostFormValue("product_id"), 10, 64); err == nil {
		up.ProductID = pid
	}
	closers := []func(){func() { _ = r.MultipartForm.RemoveAll() }}
	if f, hdr, err := r.FormFile("file"); err == nil {
		up.File, up.FileName = f, hdr.Filename
		closers = append(closers, func() { f.Close() })
	}
	return up, func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}, nil
}

func textOf(id, en string) i18n.Text { return i18n.Text{ID: id, EN: en} }
