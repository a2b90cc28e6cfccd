package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/letter"
	"github.com/etalase-id/etalase/internal/role"
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
