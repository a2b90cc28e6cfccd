package document

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/settings"
	"github.com/etalase-id/etalase/internal/workday"
)

// Service keeps the documents of applicants' businesses: each one's row (kind,
// number, validity, its check by the clerk) and its file in the Store. The
// `documents` row is the only way to a file; every opening is audited.
type Service struct {
	DB           *db.DB
	Files        *Store
	Applications *application.Service // what an application under review is judged on cannot change freely
}

// Document statuses.
const (
	Pending  = "pending"  // waiting for the clerk's check
	Accepted = "accepted" // checked and in order
	Returned = "returned" // returned to the applicant with a reason
	Replaced = "replaced" // a newer upload of the same kind took its place
)

// Document is an uploaded document and its check.
type Document struct {
	ID           int64      `json:"id"`
	BusinessID   int64      `json:"business_id"`
	ProductID    int64      `json:"product_id,omitempty"`
	Kind         string     `json:"kind"`
	Number       string     `json:"number,omitempty"`
	IssuedOn     string     `json:"issued_on,omitempty"`
	ExpiresOn    string     `json:"expires_on,omitempty"`
	SHA256       string     `json:"sha256"`
	Size         int64      `json:"size_bytes"`
	ContentType  string     `json:"content_type"`
	OriginalName string     `json:"original_name,omitempty"`
	Status       string     `json:"status"`
	ReviewReason string     `json:"review_reason,omitempty"`
	ReviewedBy   string     `json:"reviewed_by,omitempty"`
	ReviewedAt   *time.Time `json:"reviewed_at,omitempty"`
	UploadedAt   time.Time  `json:"uploaded_at"`
	OwnerID      int64      `json:"-"`
	storageKey   string
}

// Identity reports whether the document is an identity paper (see Kind).
func (d Document) Identity() bool { return IsIdentity(d.Kind) }

const columns = `d.id, d.business_id, COALESCE(d.product_id, 0), d.kind, d.number, d.issued_on, d.expires_on, d.sha256, d.size_bytes,
	d.content_type, d.original_name, d.status, d.review_reason, COALESCE(r.name, ''), d.reviewed_at, d.uploaded_at, b.owner_id, d.storage_key`
const from = ` FROM documents d JOIN businesses b ON b.id = d.business_id LEFT JOIN users r ON r.id = d.reviewed_by`

func scanRow(row interface{ Scan(...any) error }) (Document, error) {
	var d Document
	var reviewed sql.NullTime
	err := row.Scan(&d.ID, &d.BusinessID, &d.ProductID, &d.Kind, &d.Number, &d.IssuedOn, &d.ExpiresOn, &d.SHA256, &d.Size,
		&d.ContentType, &d.OriginalName, &d.Status, &d.ReviewReason, &d.ReviewedBy, &reviewed, &d.UploadedAt, &d.OwnerID, &d.storageKey)
	if errors.Is(err, sql.ErrNoRows) {
		return d, errNotFound
	}
	if reviewed.Valid {
		t := reviewed.Time
		d.ReviewedAt = &t
	}
	return d, err
}

func (s *Service) query(ctx context.Context, tail string, args ...any) ([]Document, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT "+columns+from+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		d, err := scanRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Current lists a business's documents that have not been replaced, in the
// form's order.
func (s *Service) Current(ctx context.Context, businessID int64) ([]Document, error) {
	out, err := s.query(ctx, " WHERE d.business_id = ? AND d.status <> 'replaced' ORDER BY d.id", businessID)
	slices.SortStableFunc(out, func(a, b Document) int { return order(a.Kind) - order(b.Kind) })
	return out, err
}

// All lists every document of a business, replaced ones included, oldest first.
func (s *Service) All(ctx context.Context, businessID int64) ([]Document, error) {
	return s.query(ctx, " WHERE d.business_id = ? ORDER BY d.id", businessID)
}

// Get returns a document's record (not its file).
func (s *Service) Get(ctx context.Context, id int64) (Document, error) {
	return scanRow(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+columns+from+" WHERE d.id = ?", id))
}

// Upload is a document as sent from the form.
type Upload struct {
	BusinessID int64
	ProductID  int64
	Kind       string
	Number     string
	IssuedOn   string
	ExpiresOn  string
	File       io.Reader
	FileName   string
	// Reason is why gallery staff change the documents of an application under
	// review (written into its history); ignored otherwise.
	Reason string
}

var errForbidden = apperr.New(apperr.Forbidden, "document.forbidden", "Peran Anda tidak berhak membuka dokumen ini.", "Your role may not open this document.")

// owner returns whose the business is.
func (s *Service) owner(ctx context.Context, businessID int64) (int64, error) {
	var id int64
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT owner_id FROM businesses WHERE id = ?", businessID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errNotFound
	}
	return id, err
}

// Add stores an uploaded document for u: its owner, or gallery staff. The
// file is checked by content and stored first; its row is written in a
// transaction that also marks the document it replaces; if that fails, the
// stored file is removed again. While the business's application is under
// review the applicant cannot upload, and staff must give a reason.
func (s *Service) Add(ctx context.Context, u account.User, up Upload) (Document, []idn.Problem, error) {
	ownerID, err := s.owner(ctx, up.BusinessID)
	if errors.Is(err, errNotFound) && policy.HidesExistence(u) {
		// Audited like a business that is not theirs, so the two cost alike.
		return Document{}, nil, s.Applications.Deny(ctx, u, "business", up.BusinessID, errNotFound, errNotFound)
	}
	if err != nil {
		return Document{}, nil, err
	}
	if !policy.EditsBusiness(u, ownerID) {
		return Document{}, nil, s.Applications.Deny(ctx, u, "business", up.BusinessID, errNotFound, errForbidden)
	}
	kind, _ := KindOf(up.Kind)
	fromForm := ""
	if strings.TrimSpace(up.Number) == "" {
		// A number typed once on the form is not asked again: the KTP's is the
		// business's NIK (kept masked), the NIB's is the business's NIB.
		if fromForm, err = s.numberFromForm(ctx, up.BusinessID, kind); err != nil {
			return Document{}, nil, err
		}
	}
	number, warnings, err := check(up, kind, s.DB.Clock(ctx))
	if fromForm != "" {
		number = fromForm // checked when it was saved on the form
	}
	if err != nil {
		return Document{}, nil, err
	}
	if up.ProductID != 0 {
		var ok int
		err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT 1 FROM products WHERE id = ? AND business_id = ?", up.ProductID, up.BusinessID).Scan(&ok)
		if errors.Is(err, sql.ErrNoRows) {
			return Document{}, nil, apperr.InvalidField("document.product", "product_id", i18n.Text{ID: "Pilih produk dari daftar.", EN: "Choose a product from the list."})
		}
		if err != nil {
			return Document{}, nil, err
		}
	}
	// Refuse early what the transaction would refuse, before the file is stored.
	if err := s.Applications.MayAmend(ctx, u, up.BusinessID); err != nil {
		return Document{}, nil, err
	}
	maxFiles, maxBytes, err := s.quota(ctx)
	if err != nil {
		return Document{}, nil, err
	}
	files, bytes, err := s.usage(ctx, up.BusinessID)
	if err != nil {
		return Document{}, nil, err
	}
	if files >= maxFiles {
		return Document{}, nil, errQuota(maxFiles, maxBytes)
	}
	stored, err := s.Files.PutContext(ctx, up.File, up.FileName) // a client that left stops waiting for a decoding slot
	if err == nil && bytes+stored.Size > maxBytes {
		_ = s.Files.Remove(stored.Key)
		return Document{}, nil, errQuota(maxFiles, maxBytes)
	}
	if err != nil {
		// The store's refusals are about the file: say so next to the file field.
		if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid && len(e.Fields) == 0 {
			e2 := *e
			e2.Fields = []apperr.Field{{Name: "file", Text: e.Text}}
			err = &e2
		}
		return Document{}, nil, err
	}
	var d Document
	twin := false
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		// The same file of the same kind again a moment later is a second tap or
		// a retried request: it is the same upload.
		if tx.Engine() == db.Postgres {
			if _, err := tx.ExecContext(ctx, "SELECT id FROM businesses WHERE id = ? FOR UPDATE", up.BusinessID); err != nil {
				return err
			}
		}
		var same int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM documents WHERE business_id = ? AND kind = ? AND sha256 = ? AND status = 'pending' AND uploaded_at > ? ORDER BY id DESC LIMIT 1",
			up.BusinessID, up.Kind, stored.SHA256, tx.Now.Add(-2*time.Minute)).Scan(&same)
		if err == nil {
			twin = true
			d, err = s.Get(ctx, same)
			return err
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := s.Applications.Amend(ctx, tx, u, application.Change{BusinessID: up.BusinessID, What: i18n.Text{ID: "dokumen " + kind.Label.ID, EN: "document " + kind.Label.EN}, Reason: up.Reason}); err != nil {
			return err
		}
		var replaces any
		if kind.Single {
			var old int64
			err := tx.QueryRowContext(ctx, "SELECT id FROM documents WHERE business_id = ? AND kind = ? AND status <> 'replaced' AND COALESCE(product_id, 0) = ? ORDER BY id DESC LIMIT 1",
				up.BusinessID, up.Kind, up.ProductID).Scan(&old)
			switch {
			case err == nil:
				replaces = old
				if _, err := tx.ExecContext(ctx, "UPDATE documents SET status = 'replaced' WHERE id = ?", old); err != nil {
					return err
				}
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
		}
		var product any
		if up.ProductID != 0 {
			product = up.ProductID
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO documents (business_id, product_id, kind, number, issued_on, expires_on, storage_key, sha256, size_bytes,
			content_type, original_name, status, uploaded_by, uploaded_at, replaces_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING id`,
			up.BusinessID, product, up.Kind, number, strings.TrimSpace(up.IssuedOn), strings.TrimSpace(up.ExpiresOn), stored.Key, stored.SHA256, stored.Size,
			stored.ContentType, stored.OriginalName, u.ID, tx.Now, replaces).Scan(&id); err != nil {
			return err
		}
		if d, err = s.Get(ctx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "document.upload", "document", fmt.Sprint(id), "Dokumen diunggah: "+kind.Label.ID,
			nil, map[string]any{"kind": up.Kind, "business_id": up.BusinessID, "sha256": stored.SHA256, "size": stored.Size, "replaces": replaces})
	})
	if err != nil || twin {
		_ = s.Files.Remove(stored.Key)
	}
	if err != nil {
		return Document{}, nil, err
	}
	return d, warnings, nil
}

// numberFromForm is the number of a document of kind that the business's form
// already holds: the NIK (masked) for the KTP, the NIB for the NIB.
func (s *Service) numberFromForm(ctx context.Context, businessID int64, kind Kind) (string, error) {
	var column string
	switch kind.Code {
	case "ktp":
		column = "nik_masked"
	case "nib":
		column = "nib"
	default:
		return "", nil
	}
	var v string
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+column+" FROM businesses WHERE id = ?", businessID).Scan(&v)
	if kind.Code == "nib" && err == nil && v == "" {
		return "", apperr.InvalidField("document.nib_first", "number", i18n.Text{
			ID: "Isi NIB di data usaha dulu, atau tulis nomornya di sini.",
			EN: "Enter the NIB in the business details first, or write the number here."})
	}
	return v, err
}

// check validates the kind, number and dates of an upload.
func check(up Upload, kind Kind, now time.Time) (string, []idn.Problem, error) {
	var f apperr.Form
	var warnings []idn.Problem
	if kind.Code == "" {
		f.Addf("kind", "Pilih jenis dokumen.", "Choose the kind of document.")
	}
	number := strings.TrimSpace(up.Number)
	switch {
	case number == "" && kind.NumberRequired && kind.Code != "nib":
		f.Addf("number", "Isi nomor dokumen seperti tertulis di dokumennya.", "Enter the document's number as printed on it.")
	case number != "" && kind.Number != "":
		c, err := idn.Check(kind.Number, number, now)
		var p *idn.Problem
		switch {
		case errors.As(err, &p):
			f.Add("number", p.Text)
		case err != nil:
			return "", nil, err
		default:
			number, warnings = c.Normal, append(warnings, c.Warnings...)
			// The KTP's number is the NIK, kept here only masked: the full NIK is
			// sealed once, on the business.
			if kind.Number == idn.KindNIK {
				n, _, _ := idn.ParseNIK(c.Normal)
				number = n.Masked()
			}
		}
	}
	if len([]rune(number)) > 100 {
		f.Addf("number", "Nomor terlalu panjang.", "The number is too long.")
	}
	for _, d := range []struct{ field, v string }{{"issued_on", up.IssuedOn}, {"expires_on", up.ExpiresOn}} {
		if v := strings.TrimSpace(d.v); v != "" {
			if _, err := workday.ParseDate(v); err != nil {
				f.Addf(d.field, "Tanggal tidak valid; pilih dari kalender.", "Not a valid date; pick one from the calendar.")
			}
		}
	}
	if exp, err := workday.ParseDate(strings.TrimSpace(up.ExpiresOn)); err == nil && exp.Before(workday.DateOf(now)) {
		warnings = append(warnings, idn.Problem{Code: "document.expired", Text: i18n.Text{
			ID: "Dokumen ini sudah melewati masa berlakunya. Petugas mungkin memintanya diperbarui.",
			EN: "This document has expired. Staff may ask for a renewed one."}})
	}
	if up.File == nil {
		f.Addf("file", "Pilih berkas untuk diunggah.", "Choose a file to upload.")
	}
	return number, warnings, f.Err()
}

// Open opens a document's file for u, after checking u may read it (policy).
// Every opening, and every refusal, is written to the audit trail.
func (s *Service) Open(ctx context.Context, u account.User, id int64) (Document, io.ReadSeekCloser, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return d, nil, err
	}
	if !policy.ReadsDocument(u, d.OwnerID, d.Identity()) {
		return Document{}, nil, s.Applications.Deny(ctx, u, "document", id, errNotFound, errForbidden)
	}
	if ok, err := s.Applications.SeesBusiness(ctx, u, d.BusinessID); err != nil {
		return Document{}, nil, err
	} else if !ok {
		return Document{}, nil, s.Applications.Deny(ctx, u, "document", id, errNotFound, errNotFound)
	}
	f, err := s.Files.Open(d.storageKey)
	if err != nil {
		return d, nil, fmt.Errorf("open stored document %d: %w", id, err)
	}
	if err := audit.Write(ctx, s.DB, "document.view", "document", fmt.Sprint(id), "Dokumen dibuka: "+Label(d.Kind).ID); err != nil {
		f.Close()
		return d, nil, err
	}
	return d, f, nil
}

// OpenStored opens the file of a document the caller has already been allowed
// to read (the applicant's own data export), without a further audit record.
func (s *Service) OpenStored(d Document) (io.ReadSeekCloser, error) {
	return s.Files.Open(d.storageKey)
}

// SetReview records the clerk's check of one document inside the caller's
// transaction: accepted, or returned with the reason the applicant will read.
// The caller (intake) decides when a check may happen.
func (s *Service) SetReview(ctx context.Context, tx *db.Tx, u account.User, d Document, accept bool, reason string) error {
	status := Accepted
	if !accept {
		status = Returned
	} else {
		reason = ""
	}
	if _, err := tx.ExecContext(ctx, "UPDATE documents SET status = ?, review_reason = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?",
		status, reason, u.ID, tx.Now, d.ID); err != nil {
		return err
	}
	return audit.Record(ctx, tx, "document.review", "document", fmt.Sprint(d.ID),
		fmt.Sprintf("%s: %s", Label(d.Kind).ID, status), map[string]any{"status": d.Status}, map[string]any{"status": status, "reason": reason})
}

// ReturnToCheck sends every returned document of a business back to the
// clerk's check (on resubmission), inside the caller's transaction.
func (s *Service) ReturnToCheck(ctx context.Context, tx *db.Tx, businessID int64) error {
	_, err := tx.ExecContext(ctx, "UPDATE documents SET status = 'pending' WHERE business_id = ? AND status = 'returned'", businessID)
	return err
}

// Referenced reports which of keys a document row names, for Store.Sweep.
func (s *Service) Referenced(ctx context.Context, keys []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(keys) == 0 {
		return out, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(keys)), ", ")
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT storage_key FROM documents WHERE storage_key IN ("+marks+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}

var errNotDeletable = apperr.New(apperr.Conflict, "document.not_deletable",
	"Dokumen yang sudah diterima petugas atau sedang diperiksa tidak dapat dihapus. Unggah dokumen pengganti bila perlu.",
	"A document the staff accepted, or one under review, cannot be removed. Upload a replacement if needed.")

// Delete removes, as u, a document of the business that nobody has accepted
// (its row and its file), while no application under review holds it: an
// upload of the wrong file, or a second copy. The audit trail keeps that it
// was there.
func (s *Service) Delete(ctx context.Context, u account.User, businessID, id int64) error {
	d, err := s.Get(ctx, id)
	if err != nil || d.BusinessID != businessID {
		return errNotFound
	}
	if !policy.EditsBusiness(u, d.OwnerID) {
		return s.Applications.Deny(ctx, u, "document", id, errNotFound, errForbidden)
	}
	if d.Status == Accepted || d.Status == Replaced {
		return errNotDeletable
	}
	if _, review, err := s.Applications.UnderReview(ctx, businessID); err != nil {
		return err
	} else if review {
		return errNotDeletable
	}
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		// Only a replaced document is named as replaced by another, and this one
		// is current; clearing such links anyway keeps the delete from failing
		// on a row an older release left behind.
		if _, err := tx.ExecContext(ctx, "UPDATE documents SET replaces_id = NULL WHERE replaces_id = ?", id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM documents WHERE id = ?", id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "document.delete", "document", fmt.Sprint(id), "Dokumen dihapus: "+Label(d.Kind).ID,
			map[string]any{"kind": d.Kind, "sha256": d.SHA256, "status": d.Status}, nil)
	})
	if err != nil {
		return err
	}
	// The file goes after the row: a crash between leaves a file no row names,
	// which the store's sweep removes.
	return s.Files.Remove(d.storageKey)
}

// quota is how many files and bytes one business may keep (the admin's
// settings).
func (s *Service) quota(ctx context.Context) (files int, bytes int64, err error) {
	st := settings.Store{DB: s.DB}
	f, err := st.Get(ctx, settings.DocumentMaxFiles)
	if err != nil {
		return 0, 0, err
	}
	m, err := st.Get(ctx, settings.DocumentMaxMB)
	if err != nil {
		return 0, 0, err
	}
	files, _ = strconv.Atoi(f)
	mb, _ := strconv.ParseInt(m, 10, 64)
	if files <= 0 {
		files, _ = strconv.Atoi(settings.Defaults[settings.DocumentMaxFiles])
	}
	if mb <= 0 {
		mb, _ = strconv.ParseInt(settings.Defaults[settings.DocumentMaxMB], 10, 64)
	}
	return files, mb << 20, nil
}

// usage is what the business keeps now, replaced documents included: they
// are stored too.
func (s *Service) usage(ctx context.Context, businessID int64) (files int, bytes int64, err error) {
	err = s.DB.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(SUM(size_bytes), 0) FROM documents WHERE business_id = ?", businessID).Scan(&files, &bytes)
	return files, bytes, err
}

func errQuota(files int, bytes int64) error {
	t := i18n.Text{
		ID: fmt.Sprintf("Usaha ini sudah menyimpan sebanyak yang diizinkan (%d berkas atau %d MB). Hapus dokumen yang tidak diperlukan lagi, atau hubungi petugas galeri.", files, bytes>>20),
		EN: fmt.Sprintf("This business already keeps as much as allowed (%d files or %d MB). Remove documents no longer needed, or contact the gallery staff.", files, bytes>>20),
	}
	return &apperr.Error{Kind: apperr.Conflict, Code: "document.quota", Text: t, Fields: []apperr.Field{{Name: "file", Text: t}}}
}
