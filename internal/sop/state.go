package sop

import (
	"fmt"
	"slices"

	"github.com/etalase-id/etalase/internal/i18n"
)

// State is where an application stands in the procedure. The values are stored in
// the database: never rename one.
type State string

const (
	Draft             State = "draft"
	Submitted         State = "submitted"
	DocumentsReturned State = "documents_returned"
	AwaitingSample    State = "awaiting_sample"
	InCuration        State = "in_curation"
	Decided           State = "decided"
	Announced         State = "announced"
	FeedbackSent      State = "feedback_sent"
	AwaitingDisplay   State = "awaiting_display"
	OnDisplay         State = "on_display"
	Referred          State = "referred"
	Withdrawn         State = "withdrawn"
)

// states lists every state in the order of the procedure, terminal states last.
var states = []State{
	Draft, Submitted, DocumentsReturned, AwaitingSample, InCuration, Decided,
	Announced, FeedbackSent, AwaitingDisplay, OnDisplay, Referred, Withdrawn,
}

// States returns every state in the order of the procedure, terminal states last.
func States() []State { return slices.Clone(states) }

// Valid reports whether s is one of the known states.
func (s State) Valid() bool { return slices.Contains(states, s) }

// Terminal reports whether the application is closed in s: nothing more can happen
// to it. An applicant who wants to try again makes a new application.
func (s State) Terminal() bool { return s == OnDisplay || s == Referred || s == Withdrawn }

// UnderReview reports whether the Office is judging what the application was
// submitted with: from submission until it is closed, except while documents
// are back with the applicant. While it is under review, what it is judged on —
// the business's NIK and NIB, the products in it and their prices, the
// documents — is fixed: the applicant cannot change it, and gallery staff only
// with a reason written into the application's history.
func (s State) UnderReview() bool {
	switch s {
	case Submitted, AwaitingSample, InCuration, Decided, Announced, FeedbackSent, AwaitingDisplay:
		return true
	}
	return false
}

// ResultOut reports whether the curation result has been announced to the
// applicant in s: from announced on (feedback_sent, awaiting_display,
// on_display, referred). Before that — decided included — the decisions and
// their reasons are the Office's and must not be shown to the applicant. A
// withdrawn application does not say by its state whether it was announced;
// the caller asks its history.
func (s State) ResultOut() bool {
	switch s {
	case Announced, FeedbackSent, AwaitingDisplay, OnDisplay, Referred:
		return true
	}
	return false
}

// Party is whose move it is: the applicant or the Office.
type Party string

const (
	Nobody    Party = ""          // the application is closed
	Applicant Party = "applicant" // the applicant (pemohon) must act
	Office    Party = "office"    // the Office (gallery staff, curation expert) must act
)

// Label names the party for a status line.
func (p Party) Label() i18n.Text {
	switch p {
	case Applicant:
		return i18n.Text{ID: "Menunggu pemohon", EN: "Waiting on the applicant"}
	case Office:
		return i18n.Text{ID: "Menunggu Dinas", EN: "Waiting on the Office"}
	}
	return i18n.Text{ID: "Selesai", EN: "Closed"}
}

// WaitingOn says whose move it is in s: the applicant in draft, documents_returned
// and awaiting_sample; the Office in the other open states; Nobody once closed.
func (s State) WaitingOn() Party {
	switch s {
	case Draft, DocumentsReturned, AwaitingSample:
		return Applicant
	case Submitted, InCuration, Decided, Announced, FeedbackSent, AwaitingDisplay:
		return Office
	}
	return Nobody
}

// Label is a short name of the state for lists and badges.
func (s State) Label() i18n.Text {
	switch s {
	case Draft:
		return i18n.Text{ID: "Draf", EN: "Draft"}
	case Submitted:
		return i18n.Text{ID: "Diajukan", EN: "Submitted"}
	case DocumentsReturned:
		return i18n.Text{ID: "Dokumen dikembalikan", EN: "Documents returned"}
	case AwaitingSample:
		return i18n.Text{ID: "Menunggu sampel", EN: "Awaiting samples"}
	case InCuration:
		return i18n.Text{ID: "Dalam kurasi", EN: "In curation"}
	case Decided:
		return i18n.Text{ID: "Hasil kurasi ditetapkan", EN: "Curation decided"}
	case Announced:
		return i18n.Text{ID: "Hasil diumumkan", EN: "Result announced"}
	case FeedbackSent:
		return i18n.Text{ID: "Alasan disampaikan", EN: "Reasons sent"}
	case AwaitingDisplay:
		return i18n.Text{ID: "Menunggu dipajang", EN: "Awaiting display"}
	case OnDisplay:
		return i18n.Text{ID: "Dipajang di galeri", EN: "On display"}
	case Referred:
		return i18n.Text{ID: "Direkomendasikan ke bidang lain", EN: "Referred to other divisions"}
	case Withdrawn:
		return i18n.Text{ID: "Ditarik", EN: "Withdrawn"}
	}
	return i18n.Text{ID: string(s), EN: string(s)}
}

// NextForApplicant says, in plain words for the applicant's timeline, what happens
// next. Where a time standard runs, the text ends with the limit in working days
// ("(paling lambat 1 hari kerja)."); the caller may append the due date.
func (s State) NextForApplicant() i18n.Text {
	days := func() (string, string) {
		d, _ := s.Clock()
		return withinDays(d)
	}
	switch s {
	case Draft:
		return i18n.Text{
			ID: "Lengkapi formulir dan unggah dokumen Anda (KTP, NIB, P-IRT, dan izin lain jika ada), lalu ajukan permohonan.",
			EN: "Complete the form, upload your documents (KTP, NIB, P-IRT and other licences if any), then submit the application.",
		}
	case Submitted:
		id, en := days()
		return i18n.Text{
			ID: "Petugas galeri memeriksa dokumen Anda " + id + ".",
			EN: "Gallery staff are checking your documents " + en + ".",
		}
	case DocumentsReturned:
		return i18n.Text{
			ID: "Perbaiki dokumen yang dikembalikan sesuai catatan petugas, lalu ajukan kembali permohonan Anda.",
			EN: "Correct the returned documents as the staff noted, then submit your application again.",
		}
	case AwaitingSample:
		return i18n.Text{
			ID: "Dokumen Anda diterima. Serahkan sampel produk beserta spesifikasinya (misalnya tanggal kedaluwarsa) ke galeri.",
			EN: "Your documents were accepted. Bring your product samples and their specifications (such as the expiry date) to the gallery.",
		}
	case InCuration:
		id, en := days()
		return i18n.Text{
			ID: "Petugas galeri dan tenaga ahli kurasi menilai produk Anda " + id + ".",
			EN: "Gallery staff and the curation expert are assessing your products " + en + ".",
		}
	case Decided:
		id, en := days()
		return i18n.Text{
			ID: "Hasil kurasi sudah ditetapkan dan akan diumumkan kepada Anda lewat WhatsApp dan e-mail " + id + ".",
			EN: "The curation result is decided and will be announced to you by WhatsApp and e-mail " + en + ".",
		}
	case Announced:
		id, en := days()
		return i18n.Text{
			ID: "Tenaga ahli kurasi akan menyampaikan alasan produk yang belum lolos dan dokumen yang perlu dilengkapi " + id + ".",
			EN: "The curation expert will tell you why some products did not pass and which documents to complete " + en + ".",
		}
	case FeedbackSent:
		id, en := days()
		return i18n.Text{
			ID: "Petugas galeri menindaklanjuti: usaha Anda dapat direkomendasikan ke bidang lain (halal, standardisasi, HKI, perizinan) untuk pendampingan " + id + ".",
			EN: "Gallery staff follow up: your business may be referred to other divisions (halal, standardisation, intellectual property, licensing) for support " + en + ".",
		}
	case AwaitingDisplay:
		id, en := days()
		return i18n.Text{
			ID: "Produk Anda yang lolos sedang dicatat stoknya, diberi label harga dan barcode, lalu dipajang di galeri " + id + ".",
			EN: "Your products that passed are being stocked, given price tags and barcodes, and put on display in the gallery " + en + ".",
		}
	case OnDisplay:
		return i18n.Text{
			ID: "Produk Anda yang lolos sudah dipajang di galeri. Stok dan penjualannya dapat Anda lihat di sini.",
			EN: "Your products that passed are on display in the gallery. You can follow their stock and sales here.",
		}
	case Referred:
		return i18n.Text{
			ID: "Usaha Anda telah direkomendasikan ke bidang lain untuk pendampingan. Setelah persyaratan terpenuhi, Anda dapat mengajukan permohonan baru.",
			EN: "Your business was referred to other divisions for support. Once the requirements are met, you can make a new application.",
		}
	case Withdrawn:
		return i18n.Text{
			ID: "Permohonan ini telah ditarik. Anda dapat mengajukan permohonan baru kapan saja.",
			EN: "This application was withdrawn. You can make a new application at any time.",
		}
	}
	return i18n.Text{}
}

// withinDays words a time limit: "(paling lambat 3 hari kerja)", "(within 3 working days)".
func withinDays(d int) (id, en string) {
	unit := "working days"
	if d == 1 {
		unit = "working day"
	}
	return fmt.Sprintf("(paling lambat %d hari kerja)", d), fmt.Sprintf("(within %d %s)", d, unit)
}

// rank orders the open states along the procedure, to tell an action that is
// already past from one that is not yet possible. documents_returned sits before
// submitted: the application goes back to the applicant.
var rank = map[State]int{
	Draft:             0,
	DocumentsReturned: 1,
	Submitted:         2,
	AwaitingSample:    3,
	InCuration:        4,
	Decided:           5,
	Announced:         6,
	FeedbackSent:      7,
	AwaitingDisplay:   8,
}

// NextForStaff says, for the Office's people, what the application waits for
// in s and what they do next — about "the applicant's documents", where
// NextForApplicant says "your documents".
func (s State) NextForStaff() i18n.Text {
	days := func() (string, string) {
		d, _ := s.Clock()
		return withinDays(d)
	}
	switch s {
	case Draft:
		return i18n.Text{ID: "Pemohon sedang melengkapi formulir dan dokumen.", EN: "The applicant is completing the form and the documents."}
	case Submitted:
		id, en := days()
		return i18n.Text{
			ID: "Periksa dokumen pemohon " + id + ": terima semuanya, atau kembalikan yang perlu diperbaiki dengan alasannya.",
			EN: "Check the applicant's documents " + en + ": accept them all, or return those to be corrected with the reason."}
	case DocumentsReturned:
		return i18n.Text{ID: "Menunggu pemohon memperbaiki dokumen yang dikembalikan dan mengajukan kembali.", EN: "Waiting for the applicant to correct the returned documents and submit again."}
	case AwaitingSample:
		return i18n.Text{ID: "Menunggu pemohon menyerahkan sampel produk. Catat sampel saat diterima; tanda terima dicetak setelahnya.", EN: "Waiting for the applicant to hand over the product samples. Record them when they arrive; the receipt is printed after."}
	case InCuration:
		id, en := days()
		return i18n.Text{ID: "Petugas galeri dan tenaga ahli kurasi menilai produk pemohon " + id + ".", EN: "Gallery staff and the curation expert assess the applicant's products " + en + "."}
	case Decided:
		id, en := days()
		return i18n.Text{ID: "Umumkan hasil kurasi kepada pemohon lewat WhatsApp dan e-mail " + id + ".", EN: "Announce the curation result to the applicant by WhatsApp and e-mail " + en + "."}
	case Announced:
		id, en := days()
		return i18n.Text{ID: "Tenaga ahli kurasi menyampaikan kepada pemohon alasan produk yang belum lolos dan dokumen yang perlu dilengkapi " + id + ".", EN: "The curation expert tells the applicant why products did not pass and which documents to complete " + en + "."}
	case FeedbackSent:
		id, en := days()
		return i18n.Text{ID: "Rekomendasikan usaha ini ke bidang lain untuk pendampingan perizinan " + id + ".", EN: "Refer this business to other divisions for licensing support " + en + "."}
	case AwaitingDisplay:
		id, en := days()
		return i18n.Text{ID: "Catat stok, label harga dan barcode produk yang lolos, lalu pajang di galeri " + id + ".", EN: "Enter the stock, price tags and barcodes of the products that passed, and put them on display " + en + "."}
	}
	return s.NextForApplicant()
}
