package intake

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// Document statuses.
const (
	DocPending  = "pending"  // waiting for the clerk's check
	DocAccepted = "accepted" // checked and in order
	DocReturned = "returned" // returned to the applicant with a reason
	DocReplaced = "replaced" // a newer upload of the same kind took its place
)

// DocumentKinds lists the kinds of document in the order the form offers them.
var DocumentKinds = []string{"ktp", "nib", "pirt", "halal", "bpom", "sni", "hki", "lainnya", "foto_produk"}

// KindLabel names a document kind for people.
func KindLabel(kind string) i18n.Text {
	switch kind {
	case "ktp":
		return i18n.Text{ID: "KTP pemilik", EN: "Owner's identity card (KTP)"}
	case "nib":
		return i18n.Text{ID: "NIB (Nomor Induk Berusaha)", EN: "Business number (NIB)"}
	case "pirt":
		return i18n.Text{ID: "Sertifikat P-IRT", EN: "Home-industry food permit (P-IRT)"}
	case "halal":
		return i18n.Text{ID: "Sertifikat halal", EN: "Halal certificate"}
	case "bpom":
		return i18n.Text{ID: "Izin edar BPOM (MD/ML)", EN: "BPOM registration (MD/ML)"}
	case "sni":
		return i18n.Text{ID: "Sertifikat SNI", EN: "SNI certificate"}
	case "hki":
		return i18n.Text{ID: "Sertifikat merek / HKI", EN: "Trademark / IP certificate"}
	case "foto_produk":
		return i18n.Text{ID: "Foto produk", EN: "Product photo"}
	}
	return i18n.Text{ID: "Dokumen lain", EN: "Other document"}
}

// Document is an uploaded document and its check.
type Document struct {
	ID           int64
	BusinessID   int64
	ProductID    int64
	Kind         string
	Number       string
	IssuedOn     string
	ExpiresOn    string
	SHA256       string
	Size         int64
	ContentType  string
	OriginalName string
	Status       string
	ReviewReason string
	ReviewedAt   *time.Time
	UploadedAt   time.Time
	OwnerID      int64
}

const docColumns = `d.id, d.business_id, COALESCE(d.product_id, 0), d.kind, d.number, d.issued_on, d.expires_on, d.sha256, d.size_bytes,
	d.content_type, d.original_name, d.status, d.review_reason, d.reviewed_at, d.uploaded_at, b.owner_id`

func scanDoc(row interface{ Scan(...any) error }) (Document, string, error) {
	var d Document
	var key string
	var reviewed nullTime
	err := row.Scan(&d.ID, &d.BusinessID, &d.ProductID, &d.Kind, &d.Number, &d.IssuedOn, &d.ExpiresOn, &d.SHA256, &d.Size,
		&d.ContentType, &d.OriginalName, &d.Status, &d.ReviewReason, &reviewed, &d.UploadedAt, &d.OwnerID, &key)
	if errors.Is(err, sql.ErrNoRows) {
		return d, "", errDocNotFound
	}
	d.ReviewedAt = reviewed.ptr()
	return d, key, err
}

var errDocNotFound = apperr.New(apperr.NotFound, "document.not_found", "Dokumen tidak ditemukan.", "Document not found.")

// CurrentDocuments lists a business's documents that have not been replaced.
func (s *Service) CurrentDocuments(ctx context.Context, businessID int64) ([]Document, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT "+docColumns+", d.storage_key FROM documents d JOIN businesses b ON b.id = d.business_id WHERE d.business_id = ? AND d.status <> 'replaced' ORDER BY d.kind, d.id", businessID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		d, _, err := scanDoc(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	// The form's order, not the alphabet's.
	slices.SortStableFunc(out, func(a, b Document) int {
		return slices.Index(DocumentKinds, a.Kind) - slices.Index(DocumentKinds, b.Kind)
	})
	return out, rows.Err()
}

// CanReadDocument is who may open a document's file: its owner; the gallery
// staff who verify documents; the curator for product papers (permits, photos),
// never for the KTP. Pimpinan, division officers and the admin see lists, not
// scans.
func CanReadDocument(u account.User, ownerID int64, kind string) bool {
	switch u.Role {
	case role.Pemohon:
		return u.ID == ownerID
	case role.StafGaleri:
		return true
	case role.Kurator:
		return kind != "ktp" && kind != "nib"
	}
	return false
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
}

// AddDocument stores an uploaded document. The file is checked by content and
// stored first; its row is written in a transaction that also marks the document
// it replaces; if that fails, the stored file is removed again.
func (s *Service) AddDocument(ctx context.Context, u account.User, up Upload) (Document, []idn.Problem, error) {
	b, err := s.Applicants.Get(ctx, up.BusinessID)
	if err != nil {
		return Document{}, nil, err
	}
	if !applicant.CanEdit(u, b.OwnerID) {
		return Document{}, nil, applicant.ErrNotFound
	}
	number, warnings, err := checkDocument(up, s.now())
	if err != nil {
		return Document{}, nil, err
	}
	if up.ProductID != 0 {
		if _, err := s.Applicants.Product(ctx, up.BusinessID, up.ProductID); err != nil {
			return Document{}, nil, err
		}
	}
	stored, err := s.Files.Put(up.File, up.FileName)
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
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var replaces any
		var old int64
		q := "SELECT id FROM documents WHERE business_id = ? AND kind = ? AND status <> 'replaced' AND COALESCE(product_id, 0) = ? AND kind <> 'lainnya' AND kind <> 'foto_produk' ORDER BY id DESC LIMIT 1"
		if err := tx.QueryRowContext(ctx, q, up.BusinessID, up.Kind, up.ProductID).Scan(&old); err == nil {
			replaces = old
			if _, err := tx.ExecContext(ctx, "UPDATE documents SET status = 'replaced' WHERE id = ?", old); err != nil {
				return err
			}
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
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
		var err error
		if d, err = s.Document(ctx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "document.upload", "document", fmt.Sprint(id), "Dokumen diunggah: "+KindLabel(up.Kind).ID,
			nil, map[string]any{"kind": up.Kind, "business_id": up.BusinessID, "sha256": stored.SHA256, "size": stored.Size, "replaces": replaces})
	})
	if err != nil {
		_ = s.Files.Remove(stored.Key)
		return Document{}, nil, err
	}
	return d, warnings, nil
}

func (s *Service) now() time.Time { return s.DB.Now() }

// checkDocument validates the kind, number and dates of an upload.
func checkDocument(up Upload, now time.Time) (string, []idn.Problem, error) {
	var f apperr.Form
	var warnings []idn.Problem
	if !slices.Contains(DocumentKinds, up.Kind) {
		f.Addf("kind", "Pilih jenis dokumen.", "Choose the kind of document.")
	}
	number := strings.TrimSpace(up.Number)
	// The number must be of the document's kind; the KTP's is the NIK, kept here
	// only masked (the full NIK is sealed on the business).
	kinds := map[string]idn.Kind{"ktp": idn.KindNIK, "nib": idn.KindNIB, "pirt": idn.KindPIRT, "halal": idn.KindHalal, "bpom": idn.KindBPOM}
	if number == "" && (up.Kind == "nib" || up.Kind == "pirt") {
		f.Addf("number", "Isi nomor dokumen seperti tertulis di dokumennya.", "Enter the document's number as printed on it.")
	} else if k, ok := kinds[up.Kind]; ok && number != "" {
		c, err := idn.Check(k, number, now)
		if t, ok := problemText(err); ok {
			f.Add("number", t)
		} else if err != nil {
			return "", nil, err
		} else {
			number, warnings = c.Normal, append(warnings, c.Warnings...)
			if k == idn.KindNIK {
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

func problemText(err error) (i18n.Text, bool) {
	var p *idn.Problem
	if errors.As(err, &p) {
		return p.Text, true
	}
	return i18n.Text{}, false
}

// Document returns a document's record (not its file).
func (s *Service) Document(ctx context.Context, id int64) (Document, error) {
	d, _, err := scanDoc(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+docColumns+", d.storage_key FROM documents d JOIN businesses b ON b.id = d.business_id WHERE d.id = ?", id))
	return d, err
}

// OpenDocument opens a document's file for u, after checking u may read it. Every
// opening, and every refusal, is written to the audit trail.
func (s *Service) OpenDocument(ctx context.Context, u account.User, id int64) (Document, io.ReadSeekCloser, error) {
	d, key, err := scanDoc(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+docColumns+", d.storage_key FROM documents d JOIN businesses b ON b.id = d.business_id WHERE d.id = ?", id))
	if err != nil {
		return d, nil, err
	}
	if !CanReadDocument(u, d.OwnerID, d.Kind) {
		if err := audit.Write(ctx, s.DB, "access.denied", "document", fmt.Sprint(id), "Dokumen diminta tanpa hak: "+d.Kind); err != nil {
			return Document{}, nil, err
		}
		if u.Role == role.Pemohon {
			return Document{}, nil, errDocNotFound
		}
		return Document{}, nil, apperr.New(apperr.Forbidden, "document.forbidden", "Peran Anda tidak berhak membuka dokumen ini.", "Your role may not open this document.")
	}
	f, err := s.Files.Open(key)
	if err != nil {
		return d, nil, fmt.Errorf("open stored document %d: %w", id, err)
	}
	if err := audit.Write(ctx, s.DB, "document.view", "document", fmt.Sprint(id), "Dokumen dibuka: "+KindLabel(d.Kind).ID); err != nil {
		f.Close()
		return d, nil, err
	}
	return d, f, nil
}

// ReviewDocument records the clerk's check of one document of an application in
// step 1: accepted, or returned with the reason the applicant will read.
func (s *Service) ReviewDocument(ctx context.Context, u account.User, appID, docID int64, accept bool, reason string) error {
	reason = strings.TrimSpace(reason)
	if u.Role != role.StafGaleri {
		return apperr.New(apperr.Forbidden, "document.review_role", "Hanya staf galeri yang memeriksa dokumen.", "Only gallery staff check documents.")
	}
	if !accept && reason == "" {
		return apperr.InvalidField("document.reason", "reason", i18n.Text{
			ID: "Tulis alasan dokumen dikembalikan, agar pemohon tahu apa yang harus diperbaiki.",
			EN: "Write why the document is returned, so the applicant knows what to fix."})
	}
	if len([]rune(reason)) > 1000 {
		return apperr.InvalidField("document.reason", "reason", i18n.Text{ID: "Alasan terlalu panjang (maksimal 1000 karakter).", EN: "The reason is too long (1000 characters at most)."})
	}
	if _, err := s.GetFor(ctx, u, appID); err != nil { // before the transaction: see Do
		return err
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		a, err := s.Get(ctx, appID)
		if err != nil {
			return err
		}
		if a.State != sop.Submitted {
			return apperr.New(apperr.Conflict, "document.not_in_check",
				"Dokumen hanya diperiksa saat permohonan menunggu pemeriksaan dokumen.",
				"Documents are checked only while the application awaits the document check.")
		}
		d, err := s.Document(ctx, docID)
		if err != nil {
			return err
		}
		if d.BusinessID != a.BusinessID || d.Status == DocReplaced {
			return errDocNotFound
		}
		status := DocAccepted
		if !accept {
			status = DocReturned
		} else {
			reason = ""
		}
		if _, err := tx.ExecContext(ctx, "UPDATE documents SET status = ?, review_reason = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?",
			status, reason, u.ID, tx.Now, docID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "document.review", "document", fmt.Sprint(docID),
			fmt.Sprintf("%s %s: %s", a.Number, KindLabel(d.Kind).ID, status), map[string]any{"status": d.Status}, map[string]any{"status": status, "reason": reason})
	})
}
