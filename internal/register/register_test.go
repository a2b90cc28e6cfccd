package register_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/calendar"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/register"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/vault"
	"github.com/etalase-id/etalase/internal/workday"
)

func TestRegistersShowWhatStaffCheckAndNeverTheFullNIK(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 2, 9, 0, 0, 0, workday.WIB) // Monday
		d.Now = func() time.Time { return now }
		accts := account.New(d)
		accts.Hasher = account.Hasher{MemoryKiB: 64, Time: 1, Threads: 1}
		owner, _ := accts.Create(ctx, account.NewUser{Name: "Sri", Email: "sri@keripik.id", Role: role.Pemohon, Password: "batik tulis madura"})
		clerk, _ := accts.Create(ctx, account.NewUser{Name: "Siti", Email: "siti@galeri.id", Role: role.StafGaleri, Password: "batik tulis madura"})
		v, _ := vault.Load(t.TempDir(), "")
		files, _ := document.NewStore(t.TempDir(), 0)
		cal := calendar.Store{DB: d}
		_ = cal.EnsureDefaults(ctx)
		apps := &applicant.Service{DB: d, Vault: v, Now: d.Now}
		svc := &intake.Service{DB: d, Applicants: apps, Files: files, Calendar: cal}
		biz, _, err := apps.Save(ctx, owner.ID, applicant.BusinessInput{Name: "Keripik Tempe Sanan Bu Sri", OwnerName: "Sri Wahyuni", NIK: "3573054107850003",
			NIB: "9120301234567", Address: "Jl. Sanan 12", ProvinceCode: "35", RegencyCode: "3573", WhatsApp: "085233100202", Category: "Makanan", Size: "mikro"})
		if err != nil {
			t.Fatal(err)
		}
		prod, _, _ := apps.SaveProduct(ctx, biz.ID, 0, applicant.ProductInput{Name: "Keripik 250 g", Category: "Makanan", Composition: "Tempe",
			NetContent: "250 g", Packaging: "Pouch", ShelfLifeDays: "180", Price: "25000", PIRT: "2063573010234-28"})
		for kind, number := range map[string]string{"ktp": "3573054107850003", "nib": "9120301234567", "pirt": "2063573010234-28"} {
			var img bytes.Buffer
			_ = png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 4)))
			if _, _, err := svc.AddDocument(ctx, owner, intake.Upload{BusinessID: biz.ID, Kind: kind, Number: number, File: &img, FileName: "x.png"}); err != nil {
				t.Fatal(err)
			}
		}
		a, _ := svc.CreateDraft(ctx, owner, biz.ID, []int64{prod.ID}, intake.Online)
		if _, err := svc.Do(ctx, owner, a.ID, sop.Submit, ""); err != nil {
			t.Fatal(err)
		}
		now = now.Add(48 * time.Hour) // the clerk gets to it on Wednesday: 2 working days
		docs, _ := svc.CurrentDocuments(ctx, biz.ID)
		for _, doc := range docs {
			_ = svc.ReviewDocument(ctx, clerk, a.ID, doc.ID, true, "")
		}
		if _, err := svc.Do(ctx, clerk, a.ID, sop.AcceptDocuments, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RecordSamples(ctx, clerk, a.ID, []intake.SampleInput{{ProductID: prod.ID, Quantity: "3", ExpiryDate: "2027-05-01"}}); err != nil {
			t.Fatal(err)
		}

		var buf bytes.Buffer
		if err := register.Applications(ctx, &buf, svc, intake.Filter{}); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("Permohonan")
		if len(rows) != 2 {
			t.Fatalf("%d rows, want header and one application", len(rows))
		}
		row := map[string]string{}
		for i, h := range rows[0] {
			if i < len(rows[1]) {
				row[h] = rows[1][i]
			}
		}
		if row["Nomor"] != a.Number || row["Status"] != "Dalam kurasi" || row["Kabupaten/kota"] != "Kota Malang, Jawa Timur" ||
			row["Langkah 1 (hari kerja, standar 1)"] != "2" || row["Langkah 1 terlambat"] != "ya" || row["Diajukan"] != "02-11-2026 09:00" {
			t.Fatalf("application row %v", row)
		}
		buf.Reset()
		if err := register.Applicants(ctx, &buf, svc); err != nil {
			t.Fatal(err)
		}
		f, _ = excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		rows, _ = f.GetRows("Pemohon")
		for _, r := range rows {
			for _, c := range r {
				if strings.Contains(c, "3573054107850003") {
					t.Fatal("the full NIK is in the register")
				}
			}
		}
		if len(rows) != 2 || rows[1][2] != "3573********0003" || rows[1][9] != "Usaha Mikro" || !strings.Contains(rows[1][0], "Keripik") {
			t.Fatalf("applicant rows %v", rows)
		}
	})
}
