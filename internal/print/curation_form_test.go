package print

import (
	"bytes"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/workday"
)

func curationForm() CurationFormData {
	return CurationFormData{
		ApplicationNumber: "GAL-2026-00031", RoundName: "Kurasi Desember 2026", BusinessName: "Wingko Babat Bu Sumiati",
		Product: Product{Name: "Wingko Babat Durian isi 10", Category: "Makanan", NetContent: "400 g", Packaging: "Plastik bening",
			ShelfLifeDays: 7, Price: 38000, PIRT: "2063524010077-28"},
		Sample:        &Sample{Quantity: 3, ExpiryDate: time.Date(2026, 12, 22, 0, 0, 0, 0, workday.WIB), ProductionCode: "WB-2612-01", NetContent: "400 g", Condition: "Baik, tersegel"},
		RubricVersion: 1, PassMark: 55,
		Criteria: []CurationCriterion{
			{Name: "Rasa dan mutu pangan", Description: "Rasa, aroma, tekstur.", Weight: 20, Target: 3, Anchors: []string{"1 — Tidak layak", "2 — Kurang", "3 — Cukup: enak dan layak jual", "4 — Baik", "5 — Sangat baik"}},
			{Name: "Bahan kemasan", Weight: 12, Target: 3, Anchors: []string{"1 — Tanpa kemasan", "2 — Kurang", "3 — Cukup", "4 — Baik", "5 — Sangat baik"}},
		},
		PrintedAt: time.Date(2026, 12, 3, 3, 0, 0, 0, time.UTC),
		URL:       appURL,
	}
}

func TestBlankCurationFormShowsTheProductTheSampleAndTheScales(t *testing.T) {
	needTools(t, "pdftotext")
	f := curationForm()
	path := saveArtifact(t, "curation-form-blank.pdf", render(t, func(b *bytes.Buffer) error { return CurationForm(b, f) }))
	mustSee(t, pdfPages(t, path),
		"Formulir Kurasi Produk", "formulir kosong",
		"GAL-2026-00031", "Kurasi Desember 2026", "Wingko Babat Bu Sumiati", "Wingko Babat Durian isi 10",
		"400 g", "Plastik bening", "7 hari", "Rp 38.000", "2063524010077-28",
		"22-12-2026", "WB-2612-01", "Baik, tersegel",
		"Rasa dan mutu pangan (bobot 20, target 3)", "3 — Cukup: enak dan layak jual", "Bahan kemasan",
		"Staf Galeri", "Tenaga Ahli Kurasi",
	)
}

func TestCompletedCurationFormShowsScoresGradeAndReasons(t *testing.T) {
	needTools(t, "pdftotext")
	f := curationForm()
	f.Reviewers = []CurationReviewer{
		{Name: "Siti Nurhaliza", Role: "Staf Galeri", Scores: []string{"5", "2"}, Notes: []string{"", "Plastik tipis, mudah remuk."}},
		{Name: "Dr. Bambang Setiawan", Role: "Tenaga Ahli Kurasi", EnteredBy: "Siti Nurhaliza", Scores: []string{"2", "1"}, Note: "Aroma durian terlalu tajam."},
	}
	f.Result = &CurationResult{Score: "38", Means: []string{"3,5", "1,5"}, Grade: "D", Gate: "legalitas lengkap", Decision: "Tidak lolos",
		Reasons: "- Nilai akhir 38 dari 100, belum mencapai batas lolos 55.\n- Bahan kemasan: nilai 1,5 dari 5 (target 3).", DecidedBy: "Dr. Bambang Setiawan"}
	path := saveArtifact(t, "curation-form-completed.pdf", render(t, func(b *bytes.Buffer) error { return CurationForm(b, f) }))
	mustSee(t, pdfPages(t, path),
		"Siti Nurhaliza", "Dr. Bambang Setiawan", "3,5", "1,5", "Plastik tipis, mudah remuk.", "Aroma durian terlalu tajam.",
		"dimasukkan oleh Siti Nurhaliza dari formulir kertas",
		"38 dari 100", "Tingkat", "D", "Tidak lolos",
		"Nilai akhir 38 dari 100, belum mencapai batas lolos 55.", "Bahan kemasan: nilai 1,5 dari 5 (target 3).",
		"( Siti Nurhaliza )", "( Dr. Bambang Setiawan )",
	)
}
