package intake_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/etalase-id/etalase/internal/apperr"
	"slices"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/sop"
)

// decided is an application of Sri's with her keripik and a second product,
// taken to state with the keripik not passed (with its reason) and the second
// one passed when bothPass is false. The procedure's earlier steps have their
// own tests; here the rows are written as they stand after them.
func (w *world) decided(state sop.State, bothPass bool) (application.Application, applicant.Product) {
	w.t.Helper()
	second, _, err := w.app.Applicants.SaveProduct(w.ctx, w.owner, w.biz.ID, 0, applicant.ProductInput{
		Name: "Keripik Tempe Pedas 250 g", Category: "Makanan", Composition: "Tempe, minyak kelapa sawit, cabai, garam",
		NetContent: "250 g", Packaging: "Standing pouch plastik", ShelfLifeDays: "180", Price: "Rp 27.000", CapacityPerMonth: "500",
		PIRT: "2063573010234-28",
	})
	if err != nil {
		w.t.Fatal(err)
	}
	a, err := w.app.Applications.CreateDraft(w.ctx, w.owner, w.biz.ID, []int64{w.product.ID, second.ID}, application.Online)
	if err != nil {
		w.t.Fatal(err)
	}
	first := "not_passed"
	if bothPass {
		first = "passed"
	}
	exec := func(q string, args ...any) {
		w.t.Helper()
		if err := w.d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, q, args...)
			return err
		}); err != nil {
			w.t.Fatal(err)
		}
	}
	now := w.d.Now().UTC()
	exec("INSERT INTO product_decisions (application_id, product_id, decision, reason, decided_at) VALUES (?, ?, ?, ?, ?)",
		a.ID, w.product.ID, first, "P-IRT sudah kedaluwarsa; kemasan mudah sobek.", now)
	exec("INSERT INTO product_decisions (application_id, product_id, decision, reason, decided_at) VALUES (?, ?, 'passed', '', ?)", a.ID, second.ID, now)
	exec("UPDATE applications SET state = ? WHERE id = ?", string(state), a.ID)
	a, err = w.app.Applications.Get(w.ctx, a.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return a, second
}

func (w *world) setDocument(id int64, status, expires string) {
	w.t.Helper()
	if err := w.d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE documents SET status = ?, expires_on = ? WHERE id = ?", status, expires, id)
		return err
	}); err != nil {
		w.t.Fatal(err)
	}
}

func TestReapplyCarriesTheBusinessTheProductsNotPassedAndTheDocumentsThatHold(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ktp, nib, pirt := w.upload(w.owner, "ktp", "3573054107850003"), w.upload(w.owner, "nib", "9120301234567"), w.upload(w.owner, "pirt", "P-IRT No. 2063573010234-28")
		halal := w.upload(w.owner, "halal", "ID35110000123450826")
		w.setDocument(ktp.ID, "accepted", "")
		w.setDocument(nib.ID, "accepted", "2030-01-01")
		w.setDocument(pirt.ID, "accepted", "2026-10-31") // expired before today (2 November 2026)
		w.setDocument(halal.ID, "returned", "")
		old, _ := w.decided(sop.Referred, false)

		nu, err := w.svc.Reapply(w.ctx, w.owner, old.ID)
		if err != nil {
			t.Fatal(err)
		}
		if nu.State != sop.Draft || nu.BusinessID != old.BusinessID || nu.ID == old.ID || nu.Source != application.Online {
			t.Fatalf("re-application %+v", nu)
		}
		if ids, _ := w.app.Applications.ProductIDs(w.ctx, nu.ID); !slices.Equal(ids, []int64{w.product.ID}) {
			t.Fatalf("products carried %v, want only the one not passed %d", ids, w.product.ID)
		}
		if docs, _ := w.svc.CarriedDocuments(w.ctx, nu.ID); !slices.Equal(docs, []int64{ktp.ID, nib.ID}) {
			t.Fatalf("documents carried %v, want the accepted, unexpired KTP %d and NIB %d", docs, ktp.ID, nib.ID)
		}
		links, err := w.svc.ReapplyLinks(w.ctx, nu.ID)
		if err != nil || links.Reapplies == nil || links.Reapplies.Number != old.Number || len(links.ReappliedBy) != 0 {
			t.Fatalf("new's links %+v %v", links, err)
		}
		links, err = w.svc.ReapplyLinks(w.ctx, old.ID)
		if err != nil || links.Reapplies != nil || len(links.ReappliedBy) != 1 || links.ReappliedBy[0].ID != nu.ID {
			t.Fatalf("old's links %+v %v", links, err)
		}
		if got, _ := audit.List(w.ctx, d, audit.Filter{Action: "application.reapply"}); len(got) != 1 || got[0].ObjectID != fmt.Sprint(nu.ID) {
			t.Fatalf("audit %+v", got)
		}
		// The draft is an ordinary one: the applicant may change its products.
		if err := w.app.Applications.SetProducts(w.ctx, w.owner, nu.ID, nil); err != nil {
			t.Fatal(err)
		}
		// And now it is the open application: a second re-application is refused.
		if _, err := w.svc.Reapply(w.ctx, w.owner, old.ID); code(err) != "reapply.other_open" {
			t.Fatalf("re-applying twice: %v", err)
		}
	})
}

func TestReapplyRefusals(t *testing.T) {
	t.Run("another application open", func(t *testing.T) {
		dbtest.Each(t, func(t *testing.T, d *db.DB) {
			w := newWorld(t, d)
			old, _ := w.decided(sop.Referred, false)
			open := w.draft()
			_, err := w.svc.Reapply(w.ctx, w.owner, old.ID)
			if code(err) != "reapply.other_open" {
				t.Fatalf("re-apply with %s open: %v", open.Number, err)
			}
			if e, _ := apperr.As(err); !strings.Contains(e.Text.ID, open.Number) {
				t.Fatalf("the refusal should name %s: %q", open.Number, e.Text.ID)
			}
			if n := count(t, w, "SELECT COUNT(*) FROM applications WHERE reapplies_id = ?", old.ID); n != 0 {
				t.Fatalf("%d re-applications made", n)
			}
		})
	})
	t.Run("the old one still open", func(t *testing.T) {
		dbtest.Each(t, func(t *testing.T, d *db.DB) {
			w := newWorld(t, d)
			old, _ := w.decided(sop.FeedbackSent, false)
			if _, err := w.svc.Reapply(w.ctx, w.owner, old.ID); code(err) != "reapply.still_open" {
				t.Fatalf("re-apply while %s is open: %v", old.State, err)
			}
		})
	})
	t.Run("nothing not passed", func(t *testing.T) {
		dbtest.Each(t, func(t *testing.T, d *db.DB) {
			w := newWorld(t, d)
			old, _ := w.decided(sop.OnDisplay, true)
			if _, err := w.svc.Reapply(w.ctx, w.owner, old.ID); code(err) != "reapply.nothing_not_passed" {
				t.Fatalf("re-apply with everything passed: %v", err)
			}
		})
	})
	t.Run("before the announcement", func(t *testing.T) {
		dbtest.Each(t, func(t *testing.T, d *db.DB) {
			w := newWorld(t, d)
			old, _ := w.decided(sop.Decided, false)
			if _, err := w.svc.Reapply(w.ctx, w.owner, old.ID); code(err) != "reapply.not_announced" {
				t.Fatalf("re-apply while decided: %v", err)
			}
		})
	})
	t.Run("not the owner", func(t *testing.T) {
		dbtest.Each(t, func(t *testing.T, d *db.DB) {
			w := newWorld(t, d)
			old, _ := w.decided(sop.Referred, false)
			before := len(mustList(t, w, "access.denied"))
			if _, err := w.svc.Reapply(w.ctx, w.other, old.ID); !errors.Is(err, application.ErrNotFound) {
				t.Fatalf("another applicant re-applying: %v", err)
			}
			if _, err := w.svc.Reapply(w.ctx, w.clerk, old.ID); code(err) != "reapply.forbidden" {
				t.Fatalf("staff re-applying for the applicant: %v", err)
			}
			if got := len(mustList(t, w, "access.denied")); got != before+2 {
				t.Fatalf("refusals audited: %d, want %d", got-before, 2)
			}
			if n := count(t, w, "SELECT COUNT(*) FROM applications WHERE reapplies_id = ?", old.ID); n != 0 {
				t.Fatalf("%d re-applications made", n)
			}
		})
	})
}

func count(t *testing.T, w *world, q string, args ...any) int {
	t.Helper()
	var n int
	if err := w.d.Q(w.ctx).QueryRowContext(w.ctx, q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustList(t *testing.T, w *world, action string) []audit.Entry {
	t.Helper()
	got, err := audit.List(w.ctx, w.d, audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return got
}
