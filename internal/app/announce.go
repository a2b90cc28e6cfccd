package app

import (
	"context"
	"fmt"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/policy"
)

var errAnnounceRole = apperr.New(apperr.Forbidden, "announce.role",
	"Hanya staf galeri yang mengelola putaran kurasi yang dapat mengumumkan hasilnya.",
	"Only the gallery staff who run curation rounds may announce their results.")

// AnnounceRound publishes the results of curation round roundID (SOP step 5)
// as one action, once: curation's guard freezes the round and names its
// applications, each applicant's own result is enqueued by WhatsApp and
// e-mail, and the announcement is audited — all in one transaction. It
// returns the IDs of the applications announced.
func (a *App) AnnounceRound(ctx context.Context, u account.User, roundID int64) ([]int64, error) {
	if !policy.CuratesRounds(u) {
		return nil, errAnnounceRole
	}
	return a.Messages.PublishResults(ctx, u, roundID, func(ctx context.Context, tx *db.Tx, roundID int64) ([]int64, error) {
		ids, err := a.Curation.MarkAnnounced(ctx, tx, roundID)
		if err != nil {
			return nil, err
		}
		r, err := a.Curation.Round(ctx, roundID)
		if err != nil {
			return nil, err
		}
		if err := audit.Record(ctx, tx, "round.announce", "round", fmt.Sprint(roundID),
			fmt.Sprintf("Hasil putaran %s diumumkan kepada %d pemohon", r.Name, len(ids)), nil, nil); err != nil {
			return nil, err
		}
		return ids, nil
	})
}
