package curation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/workday"
)

// An applicant who submits while an open call takes registrations may name
// the round the application is for. The wish is kept beside the application;
// staff see it when they fill the round, and the applicant on their page.

var errRoundNotOpen = apperr.InvalidField("curation.round_not_open", "round", i18n.Text{
	ID: "Pendaftaran putaran ini sudah tutup atau belum dibuka. Pilih putaran lain, atau kosongkan agar petugas memilihkan.",
	EN: "This round is not taking registrations now. Choose another, or leave it empty for the staff to choose."})

// Registering lists the open calls taking registrations today (WIB): the
// rounds an applicant may name when submitting, soonest curation first.
func (s *Service) Registering(ctx context.Context) ([]Round, error) {
	today := workday.DateOf(s.DB.Clock(ctx)).String()
	return s.rounds(ctx, "SELECT "+roundCols+` FROM curation_rounds r WHERE r.open_call = TRUE AND r.announced_at IS NULL
		AND r.registration_opens <= ? AND (r.registration_closes = '' OR r.registration_closes >= ?) ORDER BY r.curation_on, r.id`, today, today)
}

// CheckRegistering refuses, at the form's "round" field, a round that does
// not take registrations today; 0 (no wish) passes.
func (s *Service) CheckRegistering(ctx context.Context, roundID int64) error {
	if roundID == 0 {
		return nil
	}
	open, err := s.Registering(ctx)
	if err != nil {
		return err
	}
	for _, r := range open {
		if r.ID == roundID {
			return nil
		}
	}
	return errRoundNotOpen
}

// RequestRound records that application appID is for round roundID, or
// clears the wish when roundID is 0. Its owner (or the clerk filling the form
// for them) may, while no round holds the application yet.
func (s *Service) RequestRound(ctx context.Context, u account.User, appID, roundID int64) error {
	a, err := s.Applications.GetFor(ctx, u, appID)
	if err != nil {
		return err
	}
	if !policy.EditsBusiness(u, a.OwnerID) {
		return errRole
	}
	if err := s.CheckRegistering(ctx, roundID); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var in int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM curation_round_applications WHERE application_id = ?", appID).Scan(&in); err != nil {
			return err
		}
		if in > 0 {
			return errInRound
		}
		if roundID == 0 {
			_, err := tx.ExecContext(ctx, "DELETE FROM curation_round_requests WHERE application_id = ?", appID)
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO curation_round_requests (application_id, round_id, requested_by, requested_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (application_id) DO UPDATE SET round_id = excluded.round_id, requested_by = excluded.requested_by, requested_at = excluded.requested_at`,
			appID, roundID, u.ID, tx.Now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "round.request", "application", fmt.Sprint(appID),
			fmt.Sprintf("Permohonan %s diajukan untuk putaran %d", a.Number, roundID), nil, nil)
	})
}

// RequestedRound is the round application appID was submitted for, while no
// round holds it yet (then the round it is in is what counts: RoundOf).
func (s *Service) RequestedRound(ctx context.Context, appID int64) (Round, bool, error) {
	r, err := scanRound(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+roundCols+` FROM curation_rounds r
		JOIN curation_round_requests q ON q.round_id = r.id WHERE q.application_id = ?
		AND NOT EXISTS (SELECT 1 FROM curation_round_applications x WHERE x.application_id = q.application_id)`, appID))
	if errors.Is(err, errRoundNotFound) || errors.Is(err, sql.ErrNoRows) {
		return Round{}, false, nil
	}
	return r, err == nil, err
}

// Requested is the set of applications that asked for round roundID.
func (s *Service) Requested(ctx context.Context, roundID int64) (map[int64]bool, error) {
	return s.idSet(ctx, "SELECT application_id FROM curation_round_requests WHERE round_id = ?", roundID)
}
