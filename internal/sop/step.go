package sop

import (
	"slices"

	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/role"
)

// Step is one row of the seed's table: its activity (Kegiatan), the quality
// standard (Mutu Baku: requirement, time, output) and who carries it out.
type Step struct {
	Number      int       // the seed's number: 1, 2, 3, 4, 5, 7, 8, 9 (there is no 6)
	Name        i18n.Text // the activity, in the seed's words (Kegiatan)
	Requirement i18n.Text // what the step needs (Kelengkapan)
	Days        int       // the time standard in working days; 0 when there is none
	HasStandard bool      // whether the seed sets a time standard ("—" means none)
	Responsible []role.Role
	Output      i18n.Text // what the step produces
	State       State     // the state in which the step is carried out (and its clock runs)
}

// Responsible: the seed's executor columns (Pelaksana) survive in the text only as
// the curation expert's "Ya" on step 7; the others are read from each step's wording.
var steps = []Step{
	{
		Number: 1,
		Name: i18n.Text{
			ID: "Mengajukan kemitraan antara pemohon (UKM) dengan Dinas Koperasi, Usaha Kecil Menengah Provinsi Jawa Timur",
			EN: "Apply for a partnership between the applicant (SME) and the East Java Cooperatives and SME Office",
		},
		Requirement: i18n.Text{
			ID: "KTP, NIB, PIRT, dan perizinan/sertifikasi lain jika ada",
			EN: "KTP, NIB, P-IRT, and other licences or certificates if any",
		},
		Days: 1, HasStandard: true,
		Responsible: []role.Role{role.Pemohon, role.StafGaleri},
		Output:      i18n.Text{ID: "Dokumen diterima dengan baik", EN: "Documents received in good order"},
		State:       Submitted,
	},
	{
		Number: 2,
		Name: i18n.Text{
			ID: "Mengisi form offline yang telah disediakan dan form online melalui laman url bit.ly/fasilitasipemasaran",
			EN: "Fill in the offline form provided and the online form (bit.ly/fasilitasipemasaran, now the Etalase application form)",
		},
		Requirement: i18n.Text{ID: "ATK", EN: "Stationery"},
		Responsible: []role.Role{role.Pemohon},
		Output:      i18n.Text{ID: "Form offline dan online yang telah terisi", EN: "Filled offline and online forms"},
		State:       Draft,
	},
	{
		Number: 3,
		Name: i18n.Text{
			ID: "Menyerahkan sampel produk dan spesifikasi produk",
			EN: "Hand over product samples and product specifications",
		},
		Requirement: i18n.Text{
			ID: "Sampel produk beserta spesifikasi produk (exp. date, dll.)",
			EN: "Product samples with their specifications (expiry date, etc.)",
		},
		Responsible: []role.Role{role.Pemohon, role.StafGaleri},
		Output: i18n.Text{
			ID: "Sampel produk beserta spesifikasi produk (exp. date, dll.) diterima oleh staff gallery",
			EN: "Product samples with their specifications received by gallery staff",
		},
		State: AwaitingSample,
	},
	{
		Number: 4,
		Name: i18n.Text{
			ID: "Melakukan seleksi internal oleh staff gallery dan tenaga ahli kurasi",
			EN: "Internal selection by gallery staff and the curation expert",
		},
		Requirement: i18n.Text{ID: "Form kurasi produk", EN: "Product curation form"},
		Days:        3, HasStandard: true,
		Responsible: []role.Role{role.StafGaleri, role.Kurator},
		Output:      i18n.Text{ID: "Form kurasi produk yang telah terisi", EN: "Filled product curation forms"},
		State:       InCuration,
	},
	{
		Number: 5,
		Name: i18n.Text{
			ID: "Pengumuman hasil seleksi produk melalui WhatsApp dan e-Mail",
			EN: "Announce the product selection result by WhatsApp and e-mail",
		},
		Requirement: i18n.Text{
			ID: "Hasil kurasi, dan list UKM lolos/tidak lolos",
			EN: "Curation results and the list of SMEs passed / not passed",
		},
		Days: 1, HasStandard: true,
		Responsible: []role.Role{role.StafGaleri},
		Output: i18n.Text{
			ID: "Informasi mengenai hasil kurasi dan list UKM lolos/tidak lolos tersampaikan kepada pemohon (UKM)",
			EN: "The curation result and the list of SMEs passed / not passed reach the applicant (SME)",
		},
		State: Decided,
	},
	{
		Number: 7,
		Name: i18n.Text{
			ID: "Menginformasikan kepada pemohon (UKM) mengenai kelengkapan berkas yang belum memenuhi persyaratan dan keterangan penyebab produknya tidak lolos seleksi",
			EN: "Tell the applicant (SME) which documents do not yet meet the requirements and why its products did not pass the selection",
		},
		Requirement: i18n.Text{
			ID: "Hasil kurasi dan keterangan penyebab tidak lolos seleksi",
			EN: "Curation results and the reasons for not passing",
		},
		Days: 1, HasStandard: true,
		Responsible: []role.Role{role.Kurator},
		Output: i18n.Text{
			ID: "Informasi mengenai hasil kurasi dan keterangan penyebab produk UKM tidak lolos seleksi",
			EN: "The applicant knows the curation result and why its products did not pass",
		},
		State: Announced,
	},
	{
		Number: 8,
		Name: i18n.Text{
			ID: "Rekomendasi fasilitasi UKM yang tidak lolos seleksi kepada bidang lain untuk dilakukan fasilitasi perizinan produk",
			EN: "Recommend SMEs that did not pass to other divisions for product-licensing facilitation",
		},
		Requirement: i18n.Text{ID: "List rekomendasi fasilitasi UKM", EN: "List of SMEs recommended for facilitation"},
		Days:        1, HasStandard: true,
		Responsible: []role.Role{role.StafGaleri},
		Output: i18n.Text{
			ID: "List rekomendasi fasilitasi UKM tersampaikan kepada bidang lain",
			EN: "The recommendation list reaches the other divisions",
		},
		State: FeedbackSent,
	},
	{
		Number: 9,
		Name: i18n.Text{
			ID: "Menginput data stock dan display produk UKM yang lolos seleksi",
			EN: "Enter stock data and display the products of SMEs that passed",
		},
		Requirement: i18n.Text{
			ID: "Data stock produk, tag harga, dan barcode",
			EN: "Product stock data, price tags and barcodes",
		},
		Days: 1, HasStandard: true,
		Responsible: []role.Role{role.StafGaleri},
		Output: i18n.Text{
			ID: "Data produk UKM terinput dan terdisplay di gallery",
			EN: "The SME's product data is entered and the products are displayed in the gallery",
		},
		State: AwaitingDisplay,
	},
}

// Steps returns the seed's steps in its order and numbering: 1, 2, 3, 4, 5, 7, 8, 9.
// The result is a copy; changing it changes nothing here.
func Steps() []Step {
	out := make([]Step, len(steps))
	for i, st := range steps {
		st.Responsible = slices.Clone(st.Responsible)
		out[i] = st
	}
	return out
}

// StepOf returns the SOP step carried out while an application is in s: step 2 in
// draft, step 1 in submitted, and so on. It reports false for documents_returned
// (the applicant corrects; a new step 1 starts on resubmission) and for the
// terminal states. A step without a time standard (2, 3) runs no clock: see Clock.
func StepOf(s State) (Step, bool) {
	for _, st := range steps {
		if st.State == s {
			st.Responsible = slices.Clone(st.Responsible)
			return st, true
		}
	}
	return Step{}, false
}

// Clock returns the time standard, in working days, of the clock that runs while an
// application is in s, and false when no clock runs (draft, documents_returned,
// awaiting_sample and the terminal states). The clock starts when the application
// enters s; the caller computes the due time on the Office's working-day calendar.
func (s State) Clock() (days int, ok bool) {
	st, found := StepOf(s)
	if !found || !st.HasStandard {
		return 0, false
	}
	return st.Days, true
}
