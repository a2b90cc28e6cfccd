package intake

import (
	"context"
	"fmt"
	"strings"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/application"
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

// CheckDocuments is the clerk's document check of an application in step 1,
// in one step: every document given a reason is returned with it, every other
// one accepted. With at least one returned, the application goes back to the
// applicant (return_documents), the history naming each document and its
// reason; with none, every document is accepted (accept_documents) and the
// applicant is asked for samples. One transaction: the check and the move
// together, or nothing.
func (s *Service) CheckDocuments(ctx context.Context, u account.User, appID int64, reasons map[int64]string) (application.Application, error) {
	if !policy.ReviewsDocuments(u) {
		return application.Application{}, errReviewRole
	}
	for id, r := range reasons {
		if r = strings.TrimSpace(r); len([]rune(r)) > 1000 {
			return application.Application{}, apperr.InvalidField("document.reason", fmt.Sprintf("reason_%d", id), i18n.Text{ID: "Alasan terlalu panjang (maksimal 1000 karakter).", EN: "The reason is too long (1000 characters at most)."})
		}
	}
	if _, err := s.Applications.GetFor(ctx, u, appID); err != nil { // before the transaction: a refusal is audited
		return application.Application{}, err
	}
	var out application.Application
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		a, err := s.Applications.Get(ctx, appID)
		if err != nil {
			return err
		}
		if a.State != sop.Submitted {
			return errNotInCheck
		}
		docs, err := s.Documents.Current(ctx, a.BusinessID)
		if err != nil {
			return err
		}
		var returned, accepted []string
		for _, d := range docs {
			why := strings.TrimSpace(reasons[d.ID])
			if d.Status == document.Accepted && why == "" {
				continue // accepted in an earlier check and not questioned now
			}
			if err := s.Documents.SetReview(ctx, tx, u, d, why == "", why); err != nil {
				return err
			}
			if why != "" {
				returned = append(returned, document.Label(d.Kind).ID+": "+why)
			} else {
				accepted = append(accepted, document.Label(d.Kind).ID)
			}
		}
		// The history line names what the action did it to: "KTP pemilik, NIB"
		// after "Dokumen diterima", or each returned document with its reason.
		action, line := sop.AcceptDocuments, strings.Join(accepted, ", ")
		if len(returned) > 0 {
			action, line = sop.ReturnDocuments, strings.Join(returned, "; ")
		}
		out, err = s.Applications.Transition(ctx, tx, u, appID, action, line)
		return err
	})
	return out, err
}
