package application

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/sop"
)

// History actions that are not procedure actions: the application was created,
// or something it is judged on was changed by the Office while under review.
const (
	EventCreate = "create"
	EventAmend  = "amend"
)

// Event is one row of an application's history.
type Event struct {
	At        time.Time  `json:"at"`
	ActorID   int64      `json:"actor_id,omitempty"`
	ActorName string     `json:"actor,omitempty"`
	Action    string     `json:"action"`
	From      sop.State  `json:"from,omitempty"`
	To        sop.State  `json:"to"`
	Reason    string     `json:"reason,omitempty"`
	Step      int        `json:"step,omitempty"`
	DueAt     *time.Time `json:"due_at,omitempty"`
}

// Label names the event for a history line.
func (e Event) Label() i18n.Text {
	switch e.Action {
	case EventCreate:
		return i18n.Text{ID: "Permohonan dibuat", EN: "Application created"}
	case EventAmend:
		return i18n.Text{ID: "Data diubah oleh petugas", EN: "Data changed by staff"}
	}
	return sop.Action(e.Action).Label()
}

// Events returns an application's history, oldest first.
func (s *Service) Events(ctx context.Context, appID int64) ([]Event, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT e.at, COALESCE(e.actor_id, 0), COALESCE(u.name, ''), e.action, e.from_state, e.to_state, e.reason, COALESCE(e.step, 0), e.due_at
		FROM application_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.application_id = ? ORDER BY e.id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var from, to string
		var due sql.NullTime
		if err := rows.Scan(&e.At, &e.ActorID, &e.ActorName, &e.Action, &from, &to, &e.Reason, &e.Step, &due); err != nil {
			return nil, err
		}
		e.From, e.To = sop.State(from), sop.State(to)
		if due.Valid {
			t := due.Time
			e.DueAt = &t
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Change is a change to something an application may be judged on.
type Change struct {
	BusinessID int64
	ProductID  int64     // 0 when the change is to the business or its documents
	What       i18n.Text // what changes, as the history names it: "NIB", "produk Keripik Tempe 250 g"
	Reason     string    // why, required from staff while under review
}

// ErrUnderReview refuses an applicant's change to what their application is
// being judged on.
func errUnderReview(a Application) error {
	return apperr.New(apperr.Conflict, "application.under_review",
		fmt.Sprintf("Permohonan %s sedang diperiksa Dinas, jadi data yang dinilai (NIK, NIB, produk dan harganya, dokumen) tidak dapat diubah sekarang. Bila ada yang harus dibetulkan, hubungi petugas galeri.", a.Number),
		fmt.Sprintf("Application %s is being reviewed by the Office, so what it is judged on (NIK, NIB, the products and their prices, the documents) cannot be changed now. If something must be corrected, contact the gallery staff.", a.Number))
}

var errAmendReason = apperr.InvalidField("application.amend_reason", "reason", i18n.Text{
	ID: "Permohonan usaha ini sedang diperiksa. Tulis alasan perubahan; alasan itu dicatat di riwayat permohonan.",
	EN: "This business's application is under review. Write why it is changed; the reason goes into the application's history.",
})

// Amend is asked, inside the change's transaction, by every change to what an
// application under review is judged on: the business's NIK and NIB, the
// products in it (and their prices), its documents. With no application under
// review (or a product not in it) it allows the change. Otherwise an
// applicant is refused, and gallery staff must give a reason, which is written
// into the application's history with what changed.
func (s *Service) Amend(ctx context.Context, tx *db.Tx, u account.User, c Change) error {
	a, ok, err := s.Open(ctx, c.BusinessID)
	if err != nil || !ok || !a.State.UnderReview() {
		return err
	}
	if c.ProductID != 0 {
		var in int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM application_products WHERE application_id = ? AND product_id = ?", a.ID, c.ProductID).Scan(&in)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	if !policy.AmendsUnderReview(u) {
		return errUnderReview(a)
	}
	reason := strings.TrimSpace(c.Reason)
	if reason == "" {
		return errAmendReason
	}
	if len([]rune(reason)) > 1000 {
		return apperr.InvalidField("application.amend_reason", "reason", i18n.Text{ID: "Alasan terlalu panjang (maksimal 1000 karakter).", EN: "The reason is too long (1000 characters at most)."})
	}
	line := c.What.ID + ": " + reason
	if _, err := tx.ExecContext(ctx, `INSERT INTO application_events (application_id, at, actor_id, action, from_state, to_state, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, tx.Now, u.ID, EventAmend, string(a.State), string(a.State), line); err != nil {
		return err
	}
	return audit.Record(ctx, tx, "application.amend", "application", fmt.Sprint(a.ID), a.Number+": "+line, nil, map[string]any{"what": c.What.ID, "reason": reason})
}

// UnderReview returns the business's application under review, if any: for
// forms that must say a change needs a reason.
func (s *Service) UnderReview(ctx context.Context, businessID int64) (Application, bool, error) {
	a, ok, err := s.Open(ctx, businessID)
	if err != nil || !ok || !a.State.UnderReview() {
		return Application{}, false, err
	}
	return a, true, nil
}

// MayAmend refuses early, before any costly work (storing a file), what Amend
// would refuse u for a change to the business: an applicant's change while
// their application is under review.
func (s *Service) MayAmend(ctx context.Context, u account.User, businessID int64) error {
	a, review, err := s.UnderReview(ctx, businessID)
	if err != nil || !review || policy.AmendsUnderReview(u) {
		return err
	}
	return errUnderReview(a)
}
