package demo

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/sop"
)

// sme is one demo applicant from East Java and how far their application got.
type sme struct {
	owner, email, phone string
	business            applicant.BusinessInput
	products            []applicant.ProductInput
	pirt                string
	// stage: how far the application goes, as the last action taken.
	stage string
	// startDay: days after the demo's start when the applicant begins.
	startDay int
}

var smes = []sme{
	{
		// Her products passed curation and are displayed with stock (stock.go).
		owner: "Lilik Suryani", email: "lilik.sambal@demo.etalase.id", phone: "085645778899", stage: "samples", startDay: -60,
		business: applicant.BusinessInput{Name: "Sambal Bawang Bu Lilik", NIK: "3571046208800005", NIB: "9120503456789",
			Address: "Jl. Dhoho No. 41, Kota Kediri", ProvinceCode: "35", RegencyCode: "3571", Category: "Makanan", Size: "mikro", YearStarted: "2016"},
		pirt: "P-IRT No. 2063571010555-27",
		products: []applicant.ProductInput{
			{Name: "Sambal Bawang Pedas 150 g", Category: "Makanan", Description: "Sambal bawang khas Kediri, pedas gurih, tanpa pengawet.",
				Composition: "Cabai rawit, bawang putih, minyak kelapa, garam, gula", NetContent: "150 g", Packaging: "Botol kaca",
				ShelfLifeDays: "120", Price: "22.000", CapacityPerMonth: "600", PIRT: "2063571010555-27", Halal: "ID35110000777770724"},
			{Name: "Abon Lele Original 100 g", Category: "Makanan", Description: "Abon ikan lele budidaya Kediri, renyah dan gurih.",
				Composition: "Ikan lele, bawang merah, bawang putih, gula, garam, minyak", NetContent: "100 g", Packaging: "Standing pouch",
				ShelfLifeDays: "180", Price: "30.000", CapacityPerMonth: "300", PIRT: "2063571010555-27"},
			{Name: "Kerupuk Bawang Renyah 200 g", Category: "Makanan", Description: "Kerupuk bawang goreng, siap santap.",
				Composition: "Tepung tapioka, bawang putih, garam, minyak", NetContent: "200 g", Packaging: "Plastik tebal",
				ShelfLifeDays: "90", Price: "12.000", CapacityPerMonth: "900", PIRT: "2063571010555-27"},
		},
	},
	{
		owner: "Sri Wahyuni", email: "sri.keripik@demo.etalase.id", phone: "085233100202", stage: "samples", startDay: 0,
		business: applicant.BusinessInput{Name: "Keripik Tempe Sanan Bu Sri", NIK: "3573054107850003", NIB: "9120301234567",
			Address: "Jl. Sanan No. 12, Purwantoro, Blimbing", ProvinceCode: "35", RegencyCode: "3573", Category: "Makanan", Size: "mikro", YearStarted: "2015",
			Links: "instagram.com/keripiktempesanan.busri"},
		pirt: "P-IRT No. 2063573010234-28",
		products: []applicant.ProductInput{
			{Name: "Keripik Tempe Original 250 g", Category: "Makanan", Composition: "Tempe kedelai, minyak kelapa sawit, tepung beras, bawang putih, ketumbar, garam",
				NetContent: "250 g", Packaging: "Standing pouch plastik dengan zip", ShelfLifeDays: "180", Price: "25.000", CapacityPerMonth: "800", PIRT: "2063573010234-28",
				Halal: "ID35110000123450724"},
			{Name: "Keripik Tempe Pedas Daun Jeruk 200 g", Category: "Makanan", Composition: "Tempe kedelai, minyak kelapa sawit, cabai, daun jeruk, garam",
				NetContent: "200 g", Packaging: "Standing pouch plastik dengan zip", ShelfLifeDays: "150", Price: "23.000", CapacityPerMonth: "500", PIRT: "2063573010234-28"},
		},
	},
	{
		owner: "Dewi Lestari", email: "dewi.brem@demo.etalase.id", phone: "081330441122", stage: "samples", startDay: 5,
		business: applicant.BusinessInput{Name: "Brem Caruban Dewi", NIK: "3519045402920002", NIB: "8120105678901",
			Address: "Ds. Kaliabu RT 02 RW 01, Mejayan", ProvinceCode: "35", RegencyCode: "3519", Category: "Makanan", Size: "mikro", YearStarted: "2018"},
		pirt: "P-IRT No. 3103519020045-29",
		products: []applicant.ProductInput{
			{Name: "Brem Padat Madiun isi 10", Category: "Makanan", Composition: "Beras ketan, ragi tape, gula", NetContent: "150 g", Packaging: "Kotak karton",
				ShelfLifeDays: "90", Price: "15.000", CapacityPerMonth: "1200", PIRT: "3103519020045-29"},
		},
	},
	{
		owner: "Siti Aminah", email: "aminah.bandeng@demo.etalase.id", phone: "082140556677", stage: "accepted", startDay: 7,
		business: applicant.BusinessInput{Name: "Bandeng Asap Tambak Sidoarjo Bu Aminah", NIK: "3515074505700004", NIB: "9120402345678",
			Address: "Jl. Raya Tambak Cemandi No. 5, Sedati", ProvinceCode: "35", RegencyCode: "3515", Category: "Makanan", Size: "kecil", YearStarted: "2009"},
		pirt: "P-IRT No. 5023515030112-27",
		products: []applicant.ProductInput{
			{Name: "Bandeng Asap Utuh 500 g", Category: "Makanan", Composition: "Ikan bandeng, garam, asap kayu", NetContent: "500 g", Packaging: "Plastik vakum",
				ShelfLifeDays: "30", Price: "65.000", CapacityPerMonth: "300", PIRT: "5023515030112-27"},
		},
	},
	{
		owner: "Endah Puspitasari", email: "endah.pecel@demo.etalase.id", phone: "085755123987", stage: "returned", startDay: 9,
		business: applicant.BusinessInput{Name: "Sambal Pecel Madiun Mbak Endah", NIK: "3577026308900001", NIB: "9120509876543",
			Address: "Jl. Pahlawan No. 48, Kartoharjo", ProvinceCode: "35", RegencyCode: "3577", Category: "Makanan", Size: "mikro", YearStarted: "2020"},
		pirt: "P-IRT No. 2103577010078-30",
		products: []applicant.ProductInput{
			{Name: "Sambal Pecel Pedas 250 g", Category: "Makanan", Composition: "Kacang tanah, cabai, gula merah, daun jeruk, kencur, garam", NetContent: "250 g",
				Packaging: "Plastik klip dalam kotak kertas", ShelfLifeDays: "120", Price: "18.000", CapacityPerMonth: "1000", PIRT: "2103577010078-30"},
		},
	},
	{
		owner: "Moh. Kholil", email: "", phone: "081937700303", stage: "submitted", startDay: 13,
		business: applicant.BusinessInput{Name: "Batik Tulis Tanjung Bumi Kholil", NIK: "3526011203790002", NIB: "8120203456789",
			Address: "Ds. Telaga Biru, Tanjung Bumi", ProvinceCode: "35", RegencyCode: "3526", Category: "Batik dan tenun", Size: "mikro", YearStarted: "2004"},
		products: []applicant.ProductInput{
			{Name: "Kain Batik Tulis Gentongan 2 m", Category: "Batik dan tenun", Composition: "Katun primisima, pewarna alam", NetContent: "200 x 115 cm",
				Packaging: "Kotak karton dengan kertas minyak", ShelfLifeDays: "3650", Price: "850.000", CapacityPerMonth: "12", BPOM: ""},
		},
	},
	// Curated in the finished round (curation.go): one product passes and one
	// does not, the reviewers disagreeing on its taste.
	{
		owner: "Sumiati", email: "sumiati.wingko@demo.etalase.id", phone: "081331220404", stage: "samples", startDay: 0,
		business: applicant.BusinessInput{Name: "Wingko Babat Bu Sumiati", NIK: "3524054804750003", NIB: "9120701234561",
			Address: "Jl. Raya Babat No. 77, Babat", ProvinceCode: "35", RegencyCode: "3524", Category: "Makanan", Size: "mikro", YearStarted: "2001"},
		pirt: "P-IRT No. 2063524010077-28",
		products: []applicant.ProductInput{
			{Name: "Wingko Babat Original isi 10", Category: "Makanan", Composition: "Tepung ketan, kelapa parut, gula pasir, garam", NetContent: "400 g",
				Packaging: "Kotak karton berlapis plastik", ShelfLifeDays: "14", Price: "30.000", CapacityPerMonth: "600", PIRT: "2063524010077-28"},
			{Name: "Wingko Babat Durian isi 10", Category: "Makanan", Composition: "Tepung ketan, kelapa parut, gula pasir, durian", NetContent: "400 g",
				Packaging: "Plastik bening", ShelfLifeDays: "7", Price: "38.000", CapacityPerMonth: "200", PIRT: "2063524010077-28"},
		},
	},
	// Failed at the legality gate in the finished round: its BPOM MD number was
	// never handed in.
	{
		owner: "Darmo", email: "darmo.kerupuk@demo.etalase.id", phone: "081332330505", stage: "samples", startDay: 1,
		business: applicant.BusinessInput{Name: "Kerupuk Udang Sidoarjo Pak Darmo", NIK: "3515071106680001", NIB: "9120801234562",
			Address: "Jl. Kupang Jaya No. 3, Sedati", ProvinceCode: "35", RegencyCode: "3515", Category: "Makanan", Size: "kecil", YearStarted: "1998"},
		products: []applicant.ProductInput{
			{Name: "Kerupuk Udang Super 250 g", Category: "Makanan", Composition: "Udang, tepung tapioka, bawang putih, garam", NetContent: "250 g",
				Packaging: "Plastik tebal dengan label", ShelfLifeDays: "180", Price: "28.000", CapacityPerMonth: "2000", BPOM: "MD 224115001234"},
		},
	},
	{
		owner: "Ahmad Fauzi", email: "fauzi.kopi@demo.etalase.id", phone: "087755667788", stage: "draft", startDay: 14,
		business: applicant.BusinessInput{Name: "Kopi Arabika Ijen Raung Fauzi", NIB: "9120601122334",
			Address: "Ds. Sukosari Lor, Sukosari", ProvinceCode: "35", RegencyCode: "3511", Category: "Minuman", Size: "mikro"},
		products: []applicant.ProductInput{
			{Name: "Kopi Arabika Ijen Bubuk 200 g", Category: "Minuman", NetContent: "200 g", Price: "55.000"},
		},
	},
}

// play takes the SME's application as far as its stage, through the same
// services the pages use.
func (m sme) play(ctx context.Context, s *app.App, c *clock, u, clerk account.User) error {
	c.at(m.startDay, 9, 15)
	b := m.business
	b.OwnerName, b.WhatsApp, b.Email = m.owner, m.phone, m.email
	biz, _, err := s.Applicants.Save(ctx, u, u.ID, b)
	if err != nil {
		return err
	}
	var ids []int64
	for _, p := range m.products {
		prod, _, err := s.Applicants.SaveProduct(ctx, u, biz.ID, 0, p)
		if err != nil {
			return err
		}
		ids = append(ids, prod.ID)
	}
	app, err := s.Applications.CreateDraft(ctx, u, biz.ID, ids, application.Online)
	if err != nil || m.stage == "draft" {
		return err
	}
	upload := func(kind, number string) error {
		_, _, err := s.Documents.Add(ctx, u, document.Upload{BusinessID: biz.ID, Kind: kind, Number: number, File: scan(kind), FileName: kind + ".png"})
		return err
	}
	if err := upload("ktp", b.NIK); err != nil {
		return err
	}
	if err := upload("nib", b.NIB); err != nil {
		return err
	}
	if m.pirt != "" {
		if err := upload("pirt", m.pirt); err != nil {
			return err
		}
	}
	c.at(m.startDay, 10, 40)
	if app, err = s.Applications.Do(ctx, u, app.ID, sop.Submit, ""); err != nil || m.stage == "submitted" {
		return err
	}
	docs, err := s.Documents.Current(ctx, biz.ID)
	if err != nil {
		return err
	}
	c.at(m.startDay+1, 13, 5)
	if m.stage == "returned" {
		for _, d := range docs {
			accept := d.Kind != "nib"
			if err := s.Intake.ReviewDocument(ctx, clerk, app.ID, d.ID, accept, "Foto NIB buram dan nomornya tidak terbaca. Mohon unggah hasil cetak dari OSS atau foto yang lebih jelas."); err != nil {
				return err
			}
		}
		_, err = s.Applications.Do(ctx, clerk, app.ID, sop.ReturnDocuments, "")
		return err
	}
	for _, d := range docs {
		if err := s.Intake.ReviewDocument(ctx, clerk, app.ID, d.ID, true, ""); err != nil {
			return err
		}
	}
	if app, err = s.Applications.Do(ctx, clerk, app.ID, sop.AcceptDocuments, ""); err != nil || m.stage == "accepted" {
		return err
	}
	c.at(m.startDay+3, 10, 0)
	var samples []intake.SampleInput
	expiry := c.t.AddDate(0, 4, 0).Format("2006-01-02")
	for i, id := range ids {
		samples = append(samples, intake.SampleInput{ProductID: id, Quantity: "3", ExpiryDate: expiry, ProductionCode: "PRD-" + c.t.Format("0601") + "-0" + string(rune('1'+i)),
			NetContent: m.products[i].NetContent, Condition: "Baik, kemasan tersegel"})
	}
	_, err = s.Intake.RecordSamples(ctx, clerk, app.ID, samples)
	return err
}

// scan is a stand-in for a scanned document: a small image with a frame and bars,
// so the document pages have something to open.
func scan(kind string) *bytes.Reader {
	img := image.NewRGBA(image.Rect(0, 0, 320, 200))
	bg := color.RGBA{235, 240, 245, 255}
	if kind == "ktp" {
		bg = color.RGBA{200, 225, 245, 255}
	}
	for y := 0; y < 200; y++ {
		for x := 0; x < 320; x++ {
			c := bg
			if x < 4 || x > 315 || y < 4 || y > 195 || (y%24 < 3 && x > 20 && x < 20+(y*7)%260) {
				c = color.RGBA{40, 60, 90, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return bytes.NewReader(b.Bytes())
}
