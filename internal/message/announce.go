package message

import (
	"context"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/sop"
)

// MarkAnnounced is curation's guard on a round (curation.MarkAnnounced):
// it freezes the round's decisions and refuses a round already announced or
// with a decision missing, in tx.
type MarkAnnounced func(ctx context.Context, tx *db.Tx, roundID int64) error

// PublishResults is the announcement of a curation round (SOP step 5) as one
// action: in one transaction, curation's guard marks the round announced, and
// every decided application of it moves to announced — whose hook (this
// service's OnTransition) enqueues each applicant's own result, passed or not
// passed with the reasons, on each channel, once per application. A second
// publish, or one with a decision missing, is refused by the guard and sends
// nothing.
//
// NOT FINISHED (issue 10, item 6): curation rounds are built on another
// branch; until curation registers its decisions fact source the engine
// refuses the announce action, so this is not reachable from a page yet.
// The public announcement page (passed SMEs: business, regency, product,
// grade) and the announcement letter PDF are not built.
func (s *Service) PublishResults(ctx context.Context, u account.User, roundID int64, appIDs []int64, mark MarkAnnounced) error {
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if err := mark(ctx, tx, roundID); err != nil {
			return err
		}
		for _, id := range appIDs {
			if _, err := s.Applications.Transition(ctx, tx, u, id, sop.Announce, ""); err != nil {
				return err
			}
		}
		return nil
	})
}
