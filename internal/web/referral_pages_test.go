package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/letter"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/workday"
)

func TestTheVerificationPageConfirmsALetterAndNothingElse(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		var l letter.Letter
		err := e.d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			var err error
			l, err = e.app.Letters.Issue(ctx, tx, letter.Letter{Number: "REK-HKI-2026-00007", Kind: letter.Recommendation, IssuedOn: "2026-11-30",
				Subject: "Surat Rekomendasi UKM Binaan untuk Brem Madiun Bu Dewi", Office: "Dinas Koperasi dan UKM Provinsi Jawa Timur",
				Fingerprint: letter.Fingerprint("REK-HKI-2026-00007", "Brem Madiun Bu Dewi"), Content: `{"owner":"Dewi Lestari","nib":"9120301234567"}`}, 0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		b := e.browser()
		ok := b.get(letter.VerifyURL("", l))
		if ok.Status != http.StatusOK || ok.text("#verified") == "" || !strings.Contains(ok.Body, "REK-HKI-2026-00007") || !strings.Contains(ok.Body, l.Fingerprint) {
			t.Fatalf("a genuine letter is not confirmed: %d", ok.Status)
		}
		// What the letter's record holds beyond what it states is never shown.
		if strings.Contains(ok.Body, "Dewi Lestari") || strings.Contains(ok.Body, "9120301234567") {
			t.Fatal("the verification page shows the letter's stored content")
		}
		for _, q := range []string{"/verify?n=REK-HKI-2026-00008", "/verify?n=REK-HKI-2026-00007&f=0000000000000000", "/verify?n=%27%20OR%201%3D1"} {
			a := b.get(q)
			if a.Status != http.StatusOK || a.text("#not-issued") == "" || a.text("#verified") != "" || strings.Contains(a.Body, "REK-HKI-2026-00007<") {
				t.Fatalf("%s: %d, not said to be not issued", q, a.Status)
			}
		}
	})
}

func TestAPIReferralsAndVerification(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := systemCtx()
		halal := e.user(account.NewUser{Email: "rina@halal.id", Role: role.Bidang, Division: role.Halal})
		hki := e.user(account.NewUser{Email: "agus@hki.id", Role: role.Bidang, Division: role.HKI})
		_, hs, _ := e.accounts.CreateToken(ctx, halal, "bidang")
		_, ks, _ := e.accounts.CreateToken(ctx, hki, "bidang")
		call := func(token, method, path, body string) *answer {
			b := e.browser()
			req := b.request(method, path, strings.NewReader(body), "Content-Type", "application/json")
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			return b.do(req)
		}
		if a := call(hs, "GET", "/api/v1/referrals?division=hki", ""); a.Status != http.StatusOK || !strings.Contains(a.Body, `"items": []`) {
			t.Fatalf("the halal officer's list: %d %s", a.Status, a.Body)
		}
		if a := call(ks, "POST", "/api/v1/referrals/999/records", `{"status":"contacted"}`); a.Status != http.StatusNotFound {
			t.Fatalf("an unknown referral: %d", a.Status)
		}
		if a := call("", "GET", "/api/v1/verify/REK-HKI-2026-00001", ""); a.Status != http.StatusOK || !strings.Contains(a.Body, `"issued": false`) {
			t.Fatalf("verify without a token: %d %s", a.Status, a.Body)
		}
		if a := call("", "GET", "/api/v1/referrals", ""); a.Status != http.StatusUnauthorized {
			t.Fatalf("referrals without a token: %d", a.Status)
		}
	})
}

// The division's answer clock on the pages: a referral made on Friday
// afternoon is not on the due list over the weekend or on Monday 1 June
// (a holiday); on Wednesday it is, late, linking to the referral, and the
// halal officer's queue says "terlambat".
func TestALateReferralIsOnTheDueListAndMarkedInTheDivisionsQueue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.clock.add(time.Date(2026, time.May, 29, 15, 30, 0, 0, workday.WIB).Sub(e.clock.now()))
		clerkU := e.user(account.NewUser{Email: "siti@galeri.id", Role: role.StafGaleri})
		rina := e.user(account.NewUser{Email: "rina@halal.id", Role: role.Bidang, Division: role.Halal})
		a := e.draft("sri@contoh.id", "Keripik Tempe Bu Sri")
		if err := d.InTx(context.Background(), func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE applications SET state = 'referred' WHERE id = ?", a.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		x, err := e.app.Referrals.Refer(systemCtx(), clerkU, a.ID, role.Halal, "Keripik belum bersertifikat halal.")
		if err != nil {
			t.Fatal(err)
		}
		link := fmt.Sprintf(`#due a[href="/referrals/%d"]`, x.ID)
		for _, hours := range []time.Duration{20, 44, 72} { // Saturday, Sunday, the holiday
			e.clock.add(hours*time.Hour - e.clock.now().Sub(time.Date(2026, time.May, 29, 15, 30, 0, 0, workday.WIB)))
			if n := e.signIn("siti@galeri.id", pw).get("/due").wantStatus(http.StatusOK).find(link).Length(); n != 0 {
				t.Fatalf("%s: the referral is on the due list", e.clock.now())
			}
		}
		e.clock.add(24*5*time.Hour - e.clock.now().Sub(time.Date(2026, time.May, 29, 15, 30, 0, 0, workday.WIB))) // Wednesday 3 June
		due := e.signIn("siti@galeri.id", pw).get("/due").wantStatus(http.StatusOK)
		row := due.find(link).Closest("tr")
		if row.Length() != 1 || !strings.Contains(row.Text(), "Terlambat") || !strings.Contains(row.Text(), a.Number) || !strings.Contains(row.Text(), "Halal") {
			t.Fatalf("the late referral's row: %q", row.Text())
		}
		q := e.signIn("rina@halal.id", pw).get("/referrals").wantStatus(http.StatusOK)
		if tr := q.find("tr.overdue"); tr.Length() != 1 || !strings.Contains(tr.Text(), "terlambat") {
			t.Fatalf("the halal queue: %q", q.text("table"))
		}
		// And in the API, the officer's referral says so.
		_, secret, _ := e.accounts.CreateToken(systemCtx(), rina, "bidang")
		req := e.browser().request("GET", fmt.Sprintf("/api/v1/referrals/%d", x.ID), nil, "Authorization", "Bearer "+secret)
		if api := e.browser().do(req); api.Status != http.StatusOK || !strings.Contains(api.Body, `"late": true`) || !strings.Contains(api.Body, `"events": [`) {
			t.Fatalf("the API's referral: %d %s", api.Status, api.Body)
		}
	})
}
