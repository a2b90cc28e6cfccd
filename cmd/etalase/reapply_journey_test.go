package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/browsertest"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/demo"
)

// TestJourneyAnApplicantWhoDidNotPassSeesTheReasonsAndReapplies is step 7 in
// a browser on a 360-px phone: Pak Darmo, whose kerupuk failed at the legality
// gate in the finished round, sees on his home page and on his application's
// page why it did not pass and which permit is missing, taps "Ajukan kembali",
// and lands on a new draft that says which application it re-applies and
// which documents it carried over; the old page links to the new.
//
// The demo leaves Darmo's application decided and not yet announced (the
// announcement is its own piece of work), so the journey first closes it as
// the procedure would after the announcement and the referral: its state is
// written directly, and the pages are what is tested.
//
// Screenshots: test-artifacts/TestJourneyAnApplicantWhoDidNotPassSeesTheReasonsAndReapplies/.
func TestJourneyAnApplicantWhoDidNotPassSeesTheReasonsAndReapplies(t *testing.T) {
	browsertest.Require(t)
	data := t.TempDir()
	addr, _, _ := startServe(t, "--data", data, "--demo")
	base := "http://" + addr
	ids := demoIDs(t, data)
	old := ids.app("darmo.kerupuk")

	b := browsertest.New(t, browsertest.Phone(), browsertest.BaseURL(base), browsertest.Timeout(2*time.Minute))
	b.Navigate("/login")
	journeySignIn(b, "darmo.kerupuk@demo.etalase.id", demo.Password)
	// Decided, not announced: nothing of the reasons shows.
	b.Navigate(old)
	if b.Exists("#alasan") || strings.Contains(b.Text("main"), "BPOM MD 224115001234") {
		t.Error("the reasons show before the announcement")
	}
	b.Screenshot("before-announcement")

	closeAsReferred(t, data, ids.apps["darmo.kerupuk"])
	b.Navigate("/")
	journeyText(t, b, "#not-passed", "BPOM")
	b.Screenshot("home-reasons")
	b.ClickAndWait("#not-passed a.button")
	journeyText(t, b, "#alasan", "Kerupuk Udang Super 250 g")
	journeyText(t, b, "#alasan", "BPOM")
	b.Screenshot("reasons")
	for _, vi := range b.Axe() {
		t.Errorf("reasons page: %s", vi)
	}
	b.ClickAndWait("#reapply-form button[type=submit]")
	if b.Path() == old {
		t.Fatalf("still on %s after re-applying: %s", old, b.Text("main"))
	}
	journeyText(t, b, "#reapplies", "GAL-")
	journeyText(t, b, "#app-state", "Draf")
	journeyText(t, b, "#dibawa", "KTP")
	b.Screenshot("reapplied")
	for _, vi := range b.Axe() {
		t.Errorf("re-application page: %s", vi)
	}
	nu := b.Path()
	b.Navigate(old)
	if !b.Exists(`#reapplied-by a[href="` + nu + `"]`) {
		t.Errorf("the old application does not link to the new one %s", nu)
	}
	if b.Exists("#reapply-form") {
		t.Error("the old application still offers re-application while the new draft is open")
	}
	b.Screenshot("old-links-new")
}

// closeAsReferred writes application id as the procedure leaves it once the
// result is announced and the SME referred to another division.
func closeAsReferred(t *testing.T, dataDir string, id int64) {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, "", dataDir, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE applications SET state = 'referred', step = NULL, due_at = NULL WHERE id = ?", id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
