package main

import (
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/browsertest"
	"github.com/etalase-id/etalase/internal/demo"
)

// TestJourneyAnApplicantWhoDidNotPassSeesTheReasonsAndReapplies is step 7 in
// a browser on a 360-px phone: Pak Darmo, whose kerupuk failed at the legality
// gate in the finished round, sees on his home page and on his application's
// page why it did not pass and which permit is missing, taps "Ajukan kembali",
// and lands on a new draft that says which application it re-applies and
// which documents it carried over; the old page links to the new.
//
// In the demo Darmo's result was announced, the expert's feedback sent and his
// business referred for the BPOM permit, which closed the application: he may
// re-apply. (That the reasons stay hidden until the announcement is
// internal/web's reapply test.)
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
