package referral_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/message"
	"github.com/etalase-id/etalase/internal/referral"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

func code(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return ""
}

func TestADivisionWorksItsReferralAndTheApplicantIsToldAtEachStep(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := apptest.New(t, d)
		mk := func(n account.NewUser) account.User {
			n.Password = "batik tulis madura"
			u, err := a.Accounts.Create(ctx, n)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		owner := mk(account.NewUser{Name: "Sri Wahyuni", Phone: "085233100202", Role: role.Pemohon})
		clerk := mk(account.NewUser{Name: "Siti", Email: "siti@galeri.id", Role: role.StafGaleri})
		halal := mk(account.NewUser{Name: "Rina", Email: "rina@halal.id", Role: role.Bidang, Division: role.Halal})
		hki := mk(account.NewUser{Name: "Dodi", Email: "dodi@hki.id", Role: role.Bidang, Division: role.HKI})
		biz, _, err := a.Applicants.Save(ctx, owner, owner.ID, applicant.BusinessInput{Name: "Keripik Tempe Sanan Bu Sri", OwnerName: "Sri Wahyuni",
			NIB: "9120301234567", Address: "Jl. Sanan No. 12", ProvinceCode: "35", RegencyCode: "3573", WhatsApp: "085233100202", Category: "Makanan", Size: "mikro", YearStarted: "2015"})
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := a.Applicants.SaveProduct(ctx, owner, biz.ID, 0, applicant.ProductInput{Name: "Keripik Tempe Original 250 g", Category: "Makanan",
			Composition: "Tempe, garam", NetContent: "250 g", Packaging: "Pouch", ShelfLifeDays: "180", Price: "Rp 25.000", CapacityPerMonth: "800", PIRT: "2063573010234-28"})
		if err != nil {
			t.Fatal(err)
		}
		app, err := a.Applications.CreateDraft(ctx, owner, biz.ID, []int64{p.ID}, application.Online)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Referrals.Refer(ctx, clerk, app.ID, role.Halal, "Belum bersertifikat halal"); code(err) != "referral.app_state" {
			t.Fatalf("a draft referred: %v", err)
		}
		// Curation (another capability) brings it here; the test puts it there.
		if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE applications SET state = 'feedback_sent' WHERE id = ?", app.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		// Not curated yet: the suggestion comes from the product's form.
		if s, _ := a.Referrals.Suggest(ctx, app.ID); len(s) != 1 || s[0].Division != role.Halal || s[0].Reason != "Keripik Tempe Original 250 g: sertifikat halal belum ada." {
			t.Fatalf("suggested %v: the product has a P-IRT and no halal certificate", s)
		}
		if _, err := a.Referrals.Refer(ctx, owner, app.ID, role.Halal, "x"); code(err) != "referral.who" {
			t.Fatalf("an applicant referred: %v", err)
		}
		x, err := a.Referrals.Refer(ctx, clerk, app.ID, role.Halal, "Belum bersertifikat halal")
		if err != nil || x.Status != referral.Referred || x.DueAt == nil {
			t.Fatalf("refer: %+v %v", x, err)
		}
		if _, err := a.Referrals.Refer(ctx, clerk, app.ID, role.Halal, "lagi"); code(err) != "referral.duplicate" {
			t.Fatalf("a second open referral to one division: %v", err)
		}
		// The engine's refer action now has its fact.
		var f sop.Facts
		if err := a.Referrals.FillFacts(ctx, app, &f); err != nil || f.Referrals != 1 {
			t.Fatalf("facts %d %v", f.Referrals, err)
		}
		// Another division neither sees nor records it.
		if _, err := a.Referrals.GetFor(ctx, hki, x.ID); code(err) != "referral.not_found" {
			t.Fatalf("the HKI officer saw a halal referral: %v", err)
		}
		if list, _, _ := a.Referrals.List(ctx, hki, referral.Filter{Division: role.Halal}); len(list) != 0 {
			t.Fatalf("the HKI queue lists %d halal referrals", len(list))
		}
		if _, err := a.Referrals.Update(ctx, halal, x.ID, referral.Record{Status: referral.Done}); code(err) != "referral.certificate" {
			t.Fatalf("done without a certificate: %v", err)
		}
		for _, rec := range []referral.Record{{Status: referral.Contacted}, {Status: referral.InProgress}, {Status: referral.Done, Certificate: "ID35110000123450126"}} {
			if _, err := a.Referrals.Update(ctx, halal, x.ID, rec); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := a.Referrals.Update(ctx, halal, x.ID, referral.Record{Status: referral.Declined, Note: "x"}); code(err) != "referral.closed" {
			t.Fatalf("a closed referral changed: %v", err)
		}
		got, _ := a.Referrals.Get(ctx, x.ID)
		evs, _ := a.Referrals.Events(ctx, x.ID)
		if got.Status != referral.Done || got.Certificate != "ID35110000123450126" || len(evs) != 4 {
			t.Fatalf("after the division's work: %+v, %d events", got, len(evs))
		}
		msgs, _ := a.Messages.ForApplication(ctx, app.ID)
		var made, outcomes int
		for _, m := range msgs {
			switch m.Template {
			case message.ReferralMade:
				made++
			case message.ReferralOutcome:
				outcomes++
				if strings.Contains(m.Body, "selesai") && !strings.Contains(m.Body, "ID35110000123450126") {
					t.Errorf("the done message lacks the certificate: %q", m.Body)
				}
			}
		}
		if made != 1 || outcomes != 3 {
			t.Fatalf("applicant told %d + %d times, want 1 + 3", made, outcomes)
		}
		// HKI: the recommendation letter, issued once, verifiable.
		if _, _, err := a.Referrals.Recommendation(ctx, clerk, x.ID, "Dinas"); code(err) != "referral.hki_only" {
			t.Fatalf("a letter for a halal referral: %v", err)
		}
		y, err := a.Referrals.Refer(ctx, clerk, app.ID, role.HKI, "Merek belum terdaftar di DJKI")
		if err != nil {
			t.Fatal(err)
		}
		l1, c, err := a.Referrals.Recommendation(ctx, hki, y.ID, "Dinas Koperasi dan UKM Provinsi Jawa Timur")
		if err != nil || !strings.HasPrefix(l1.Number, "REK-HKI-") || c.Business != "Keripik Tempe Sanan Bu Sri" {
			t.Fatalf("letter %+v %+v %v", l1, c, err)
		}
		l2, _, err := a.Referrals.Recommendation(ctx, owner, y.ID, "another name")
		if err != nil || l2.Number != l1.Number || l2.Fingerprint != l1.Fingerprint {
			t.Fatalf("the letter again: %+v %v", l2, err)
		}
		if found, ok, _ := a.Letters.Lookup(ctx, l1.Number); !ok || found.Fingerprint != l1.Fingerprint {
			t.Fatal("the letter is not in the register")
		}
		if _, ok, _ := a.Letters.Lookup(ctx, strings.Replace(l1.Number, "00001", "00002", 1)); ok {
			t.Fatal("a made-up number is found")
		}
		// The export: the staff's has both, the halal officer's only theirs.
		var buf bytes.Buffer
		if err := a.Referrals.Export(ctx, halal, &buf); err != nil {
			t.Fatal(err)
		}
		x2, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x2.GetRows("Rujukan")
		if len(rows) != 2 || rows[1][0] != app.Number || rows[1][5] != "ID35110000123450126" {
			t.Fatalf("export rows %v", rows)
		}
	})
}

// The division's answer clock: one working day on the Office's calendar. A
// referral made on Friday 29 May 2026 in the afternoon is due at the end of
// Tuesday 2 June (Monday 1 June is Hari Lahir Pancasila), so it is on the due
// list neither over the weekend nor on the holiday; on Tuesday it is due
// today, on Wednesday late, until the division records its first answer.
func TestAReferralTheDivisionHasNotAnsweredIsOnTheDueList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, time.May, 29, 15, 30, 0, 0, workday.WIB)
		d.Now = func() time.Time { return now }
		a := apptest.New(t, d)
		mk := func(n account.NewUser) account.User {
			n.Password = "batik tulis madura"
			u, err := a.Accounts.Create(ctx, n)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		owner := mk(account.NewUser{Name: "Sri Wahyuni", Phone: "085233100202", Role: role.Pemohon})
		clerk := mk(account.NewUser{Name: "Siti", Email: "siti@galeri.id", Role: role.StafGaleri})
		halal := mk(account.NewUser{Name: "Rina", Email: "rina@halal.id", Role: role.Bidang, Division: role.Halal})
		biz, _, err := a.Applicants.Save(ctx, owner, owner.ID, applicant.BusinessInput{Name: "Keripik Tempe Sanan Bu Sri", OwnerName: "Sri Wahyuni",
			NIB: "9120301234567", Address: "Jl. Sanan No. 12", ProvinceCode: "35", RegencyCode: "3573", WhatsApp: "085233100202", Category: "Makanan", Size: "mikro", YearStarted: "2015"})
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := a.Applicants.SaveProduct(ctx, owner, biz.ID, 0, applicant.ProductInput{Name: "Keripik Tempe Original 250 g", Category: "Makanan",
			Composition: "Tempe, garam", NetContent: "250 g", Packaging: "Pouch", ShelfLifeDays: "180", Price: "Rp 25.000", CapacityPerMonth: "800", PIRT: "2063573010234-28"})
		if err != nil {
			t.Fatal(err)
		}
		app, err := a.Applications.CreateDraft(ctx, owner, biz.ID, []int64{p.ID}, application.Online)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE applications SET state = 'referred' WHERE id = ?", app.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		x, err := a.Referrals.Refer(ctx, clerk, app.ID, role.Halal, "Belum bersertifikat halal")
		if err != nil {
			t.Fatal(err)
		}
		// One made before due times were stored in UTC: its due time in WIB.
		old, err := a.Referrals.Refer(ctx, clerk, app.ID, role.HKI, "Merek belum terdaftar")
		if err != nil {
			t.Fatal(err)
		}
		if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE referrals SET due_at = ? WHERE id = ?", old.DueAt.In(workday.WIB), old.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		onList := func(at time.Time) (workday.Status, bool) {
			now = at
			pg, err := a.Applications.DueList(ctx, application.DueFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var st workday.Status
			for _, it := range pg.Items {
				if it.Clock != nil && it.Clock.ID == old.ID {
					st = it.Status
				}
			}
			for _, it := range pg.Items {
				if it.Clock != nil && it.Clock.Kind == "referral" && it.Clock.ID == x.ID {
					if st != it.Status {
						t.Fatalf("at %s the referral stored in WIB is %q, the one in UTC %q", at, st, it.Status)
					}
					if it.Number != app.Number || it.Step.Number != 8 || !strings.Contains(it.Clock.What.ID, "Halal") {
						t.Fatalf("the referral's row: %+v %+v", it, *it.Clock)
					}
					return it.Status, true
				}
			}
			return "", false
		}
		day := func(m time.Month, dd, h int) time.Time { return time.Date(2026, m, dd, h, 0, 0, 0, workday.WIB) }
		for _, at := range []time.Time{day(time.May, 30, 10), day(time.May, 31, 20), day(time.June, 1, 16)} {
			if st, ok := onList(at); ok {
				t.Fatalf("on %s the referral is on the due list (%s): the weekend and the holiday do not count", at, st)
			}
			if got, _ := a.Referrals.Get(ctx, x.ID); got.Late(now) {
				t.Fatalf("late on %s", at)
			}
		}
		if st, ok := onList(day(time.June, 2, 9)); !ok || st != workday.DueToday {
			t.Fatalf("on Tuesday: %q %v, want due today", st, ok)
		}
		if st, ok := onList(day(time.June, 3, 9)); !ok || st != workday.Late {
			t.Fatalf("on Wednesday: %q %v, want late", st, ok)
		}
		if got, _ := a.Referrals.Get(ctx, x.ID); !got.Late(now) {
			t.Fatal("the division's queue does not call it late on Wednesday")
		}
		// The division answers: the clock stops.
		if _, err := a.Referrals.Update(ctx, halal, x.ID, referral.Record{Status: referral.Contacted}); err != nil {
			t.Fatal(err)
		}
		if st, ok := onList(day(time.June, 3, 10)); ok {
			t.Fatalf("answered, still on the due list (%s)", st)
		}
	})
}
