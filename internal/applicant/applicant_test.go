package applicant_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/role"
)

func setup(t *testing.T, d *db.DB) (*applicant.Service, account.User, account.User) {
	t.Helper()
	ctx := context.Background()
	d.Now = func() time.Time { return time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC) }
	app := apptest.New(t, d)
	a, err := app.Accounts.Create(ctx, account.NewUser{Name: "Sri", Email: "sri@keripik.id", Role: role.Pemohon, Password: "batik tulis madura"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := app.Accounts.Create(ctx, account.NewUser{Name: "Yanti", Email: "yanti@keripik.id", Role: role.Pemohon, Password: "batik tulis madura"})
	return app.Applicants, a, b
}

func field(err error, name string) string {
	if e, ok := apperr.As(err); ok {
		for _, f := range e.Fields {
			if f.Name == name {
				return f.Text.ID
			}
		}
	}
	return ""
}

func TestBadIdentifiersAreRefusedAtTheirFieldAndNothingIsSaved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, sri, _ := setup(t, d)
		ctx := context.Background()
		cases := []struct {
			name  string
			in    applicant.BusinessInput
			field string
			says  string
		}{
			{"NIK of 15 digits", applicant.BusinessInput{NIK: "357305410785000"}, "nik", "16"},
			{"NIK with letters", applicant.BusinessInput{NIK: "35730541078500O3"}, "nik", ""},
			{"NIK of unknown province 99", applicant.BusinessInput{NIK: "9973054107850003"}, "nik", "99"},
			{"NIK with day 00", applicant.BusinessInput{NIK: "3573050007850003"}, "nik", ""},
			{"NIB of 12 digits", applicant.BusinessInput{NIB: "912030123456"}, "nib", "13"},
			{"landline as WhatsApp", applicant.BusinessInput{WhatsApp: "031 8290 1234"}, "whatsapp", "WhatsApp"},
			{"regency of another province", applicant.BusinessInput{ProvinceCode: "35", RegencyCode: "3171"}, "regency_code", ""},
			{"year in the future", applicant.BusinessInput{YearStarted: "2030"}, "year_started", "2026"},
			{"unknown size", applicant.BusinessInput{Size: "raksasa"}, "size", ""},
		}
		for _, c := range cases {
			_, _, err := s.Save(ctx, sri, sri.ID, c.in)
			msg := field(err, c.field)
			if msg == "" || !strings.Contains(msg, c.says) {
				t.Errorf("%s: field %s says %q (err %v), want a message containing %q", c.name, c.field, msg, err, c.says)
			}
		}
		if _, err := s.ByOwner(ctx, sri.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("a refused form created a business: %v", err)
		}
	})
}

func TestTheSameNIKOnTwoBusinessesIsAWarningAndTheNIKIsStoredSealed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, sri, yanti := setup(t, d)
		ctx := context.Background()
		b, w, err := s.Save(ctx, sri, sri.ID, applicant.BusinessInput{Name: "Keripik Sanan", NIK: "3573054107850003"})
		if err != nil || len(w) != 0 || b.NIKMasked != "3573********0003" {
			t.Fatalf("first: %+v %v %v", b, w, err)
		}
		// Whoever types a NIK is not told that it is on file: the form would
		// tell anyone which NIKs the Office holds. The gallery staff are.
		yb, w, err := s.Save(ctx, yanti, yanti.ID, applicant.BusinessInput{Name: "Keripik Sanan 2", NIK: "3573 0541 0785 0003"})
		if err != nil || len(w) != 0 {
			t.Fatalf("the same NIK typed by another applicant: warnings %v, err %v; want saved without a word", w, err)
		}
		if n, err := s.NIKShared(ctx, yanti, yb.ID); err != nil || n != 0 {
			t.Fatalf("the applicant is told the NIK is shared: %d %v", n, err)
		}
		accounts := account.New(d)
		accounts.Hasher = apptest.Cheap
		clerk, err := accounts.Create(ctx, account.NewUser{Name: "Bu Clerk", Email: "clerk@galeri.id", Role: role.StafGaleri, Password: "batik tulis madura"})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := s.NIKShared(ctx, clerk, yb.ID); err != nil || n != 1 {
			t.Fatalf("the clerk sees the NIK on %d other businesses (%v), want 1", n, err)
		}
		_, w, err = s.Save(ctx, clerk, yanti.ID, applicant.BusinessInput{Name: "Keripik Sanan 2", NIK: "3573054107850003"})
		if err != nil || len(w) != 1 || w[0].Code != "nik.duplicate" {
			t.Fatalf("the clerk saving the same NIK: warnings %v, err %v", w, err)
		}
		var raw []byte
		if err := d.Q(ctx).QueryRowContext(ctx, "SELECT nik_sealed FROM businesses WHERE id = ?", b.ID).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), "3573054107850003") || len(raw) < 16 {
			t.Fatal("the NIK is stored in clear")
		}
		// Saving the form without a NIK keeps the one on file.
		if b, _, err = s.Save(ctx, sri, sri.ID, applicant.BusinessInput{Name: "Keripik Tempe Sanan"}); err != nil || b.NIKMasked != "3573********0003" {
			t.Fatalf("resave without NIK: %+v %v", b, err)
		}
		if nik, err := s.RevealNIK(ctx, sri, b.ID); err != nil || nik != "3573054107850003" {
			t.Fatalf("owner revealing the NIK: %q %v", nik, err)
		}
		if _, err := s.RevealNIK(ctx, yanti, b.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("another applicant revealing the NIK: %v", err)
		}
	})
}

func TestProductPricesAndPermitsAreNormalised(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, sri, _ := setup(t, d)
		ctx := context.Background()
		b, _, _ := s.Save(ctx, sri, sri.ID, applicant.BusinessInput{Name: "Keripik Sanan"})
		p, _, err := s.SaveProduct(ctx, sri, b.ID, 0, applicant.ProductInput{Name: "Keripik 250 g", Price: "Rp 25.000", PIRT: "pirt 2063573010234 28", ShelfLifeDays: "180"})
		if err != nil || p.Price != 25000 || p.PIRT != "P-IRT No. 2063573010234-28" || p.ShelfLifeDays != 180 {
			t.Fatalf("%+v %v", p, err)
		}
		_, _, err = s.SaveProduct(ctx, sri, b.ID, 0, applicant.ProductInput{Name: "", Price: "dua puluh ribu", ShelfLifeDays: "0", Halal: "KH-2023-01"})
		for _, f := range []string{"name", "price", "shelf_life_days", "halal"} {
			if field(err, f) == "" {
				t.Errorf("field %s has no message (err %v)", f, err)
			}
		}
	})
}

// A yoghurt maker says on the form that it is a milk product: it is kept, and
// she is told at once that it needs BPOM MD, not P-IRT; an unknown type is
// refused at the field; a batik cloth keeps no food type.
func TestTheFoodTypeIsKeptAndSaysWhenBPOMIsNeeded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, sri, _ := setup(t, d)
		ctx := context.Background()
		b, _, _ := s.Save(ctx, sri, sri.ID, applicant.BusinessInput{Name: "Yoghurt Batu Bu Sri"})
		p, warnings, err := s.SaveProduct(ctx, sri, b.ID, 0, applicant.ProductInput{Name: "Yoghurt Stroberi 250 ml", Category: "Minuman", FoodType: "susu",
			PIRT: "2063579010234-28", ShelfLifeDays: "14"})
		if err != nil || p.FoodType != "susu" {
			t.Fatalf("%+v %v", p, err)
		}
		if len(warnings) == 0 || !strings.Contains(warnings[len(warnings)-1].Text.ID, "BPOM MD") {
			t.Fatalf("no warning that a milk product needs BPOM MD: %v", warnings)
		}
		if again, _ := s.Product(ctx, b.ID, p.ID); again.FoodType != "susu" {
			t.Fatalf("stored food type %q", again.FoodType)
		}
		if _, _, err := s.SaveProduct(ctx, sri, b.ID, 0, applicant.ProductInput{Name: "Susu Sapi 1 l", Category: "Minuman", FoodType: "susu_murni"}); field(err, "food_type") == "" {
			t.Fatalf("an unknown food type: %v", err)
		}
		batik, _, err := s.SaveProduct(ctx, sri, b.ID, 0, applicant.ProductInput{Name: "Batik Tulis Malangan", Category: "Batik dan tenun", FoodType: "susu"})
		if err != nil || batik.FoodType != "" {
			t.Fatalf("a batik cloth with a food type: %+v %v", batik, err)
		}
	})
}
