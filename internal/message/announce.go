package message

import (
	"context"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/sop"
)

// MarkAnnounced is curation's guard on a round (curation.Service.MarkAnnounced):
// in tx it freezes the round's decisions and returns the IDs of the
// applications to announce, or refuses — changing nothing — a round already
// announced or with a decision missing.
type MarkAnnounced func(ctx context.Context, tx *db.Tx, roundID int64) ([]int64, error)

// PublishResults is the announcement of a curation round (SOP step 5) as one
// action: in one transaction, curation's guard marks the round announced and
// names its applications, and each of them moves to announced — whose hook
// (this service's OnTransition) enqueues each applicant's own result, passed
// or not passed with the reasons, on each channel, once per application. A
// second publish, or one with a decision missing, is refused by the guard and
// sends nothing: the transaction rolls back whole.
func (s *Service) PublishResults(ctx context.Context, u account.User, roundID int64, mark MarkAnnounced) ([]int64, error) {
	var ids []int64
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var err error
		if ids, err = mark(ctx, tx, roundID); err != nil {
			return err
		}
		// The results are gathered and written together at the end, still in
		// this transaction: the 2,000 results of a thousand applicants are a
		// dozen statements, not 4,000, while SQLite's writer is held.
		_, err = s.InBatch(ctx, tx, func(ctx context.Context) error {
			for _, id := range ids {
				if _, err := s.Applications.Transition(ctx, tx, u, id, sop.Announce, ""); err != nil {
					return err
				}
			}
			return nil
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}
