package intake

import (
	"context"
	"strings"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/sop"
)

var (
	errReviewRole = apperr.New(apperr.Forbidden, "document.review_role", "Hanya staf galeri yang memeriksa dokumen.", "Only gallery staff check documents.")
	errNotInCheck = apperr.New(apperr.Conflict, "document.not_in_check",
		"Dokumen hanya diperiksa saat permohonan menunggu pemeriksaan dokumen.",
		"Documents are checked only while the application awaits the document check.")
	errDocNotFound = apperr.New(apperr.NotFound, "document.not_found", "Dokumen tidak ditemukan.", "Document not found.")
)

// ReviewDocument records the clerk's check of one document of an application in
// step 1: accepted, or returned with the reason the applicant will read.
func (s *Service) ReviewDocument(ctx context.Context, u account.User, appID, docID int64, accept bool, reason string) error {
	reason = strings.TrimSpace(reason)
	if !policy.ReviewsDocuments(u) {
		return errReviewRole
	}
	if !accept && reason == "" {
		return apperr.InvalidField("document.reason", "reason", i18n.Text{
			ID: "Tulis alasan dokumen dikembalikan, agar pemohon tahu apa yang harus diperbaiki.",
			EN: "Write why the document is returned, so the applicant knows what to fix."})
	}
	if len([]rune(reason)) > 1000 {
		return apperr.InvalidField("document.reason", "reason", i18n.Text{ID: "Alasan terlalu panjang (maksimal 1000 karakter).", EN: "The reason is too long (1000 characters at most)."})
	}
	if _, err := s.Applications.GetFor(ctx, u, appID); err != nil { // before the transaction: a refusal is audited
		return err
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		a, err := s.Applications.Get(ctx, appID)
		if err != nil {
			return err
		}
		if a.State != sop.Submitted {
			return errNotInCheck
		}
		d, err := s.Documents.Get(ctx, docID)
		if err != nil {
			return err
		}
		if d.BusinessID != a.BusinessID || d.Status == document.Replaced {
			return errDocNotFound
		}
		return s.Documents.SetReview(ctx, tx, u, d, accept, reason)
	})
}
