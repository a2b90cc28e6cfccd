package sop

import (
	"fmt"
	"slices"
	"strings"

	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/role"
)

// Facts is what the caller knows about the actor and the application when an action
// is attempted. The caller counts from its own records; Decide only reads them. A
// field that an action does not look at may be left zero.
type Facts struct {
	ActorRole    role.Role
	ActorIsOwner bool // the actor is the applicant who owns the application

	// The application form and its documents (submit, return, accept).
	FormIncomplete         []Missing // what the form still lacks, field by field
	MissingDocuments       []Missing // required documents not uploaded
	DocumentsUnchecked     int       // documents staff have not yet accepted or returned
	DocumentsReturned      int       // documents staff marked returned in this check
	ReturnedWithoutReason  int       // of those, how many have no reason written
	DocumentsStillReturned int       // documents still in returned status when the applicant resubmits

	// Products, samples and curation decisions.
	Products              int // products in the application
	ProductsWithoutSample int // products whose sample is not recorded
	ProductsUndecided     int // products with no pass / not-pass decision
	ProductsPassed        int
	ProductsFailed        int
	FailedWithoutReason   int // products that did not pass and have no reason written
	PassedNotStocked      int // passed products without stock, price tag and barcode entered

	Referrals int    // referrals to other divisions recorded for this application (step 8)
	Reason    string // why: required to withdraw and to skip the referral; recorded in the history
}

// Refusal codes. They are stable: the web layer and the API may switch on them.
const (
	CodeUnknownState     = "sop.unknown_state"
	CodeUnknownAction    = "sop.unknown_action"
	CodeWrongState       = "sop.wrong_state"       // the action is not possible from this state
	CodeRole             = "sop.role"              // this role may not take this action here
	CodeNotOwner         = "sop.not_owner"         // an applicant acting on someone else's application
	CodeInvalidFacts     = "sop.invalid_facts"     // the caller passed a negative count: a bug
	CodeFormIncomplete   = "sop.form_incomplete"   // submit: form not complete
	CodeDocumentsMissing = "sop.documents_missing" // submit: required documents not uploaded
	CodeStillReturned    = "sop.documents_still_returned"
	CodeNothingReturned  = "sop.nothing_returned" // return_documents: no document marked returned
	CodeReturnReason     = "sop.return_reason"    // return_documents: a returned document has no reason
	CodeUnchecked        = "sop.documents_unchecked"
	CodeNotAccepted      = "sop.documents_not_accepted" // accept_documents: some document is marked returned
	CodeNoProducts       = "sop.no_products"
	CodeSamplesMissing   = "sop.samples_missing"
	CodeUndecided        = "sop.products_undecided"
	CodeNoDecisions      = "sop.no_decisions"
	CodeFailReason       = "sop.fail_reason" // a product that did not pass has no reason
	CodeNoReferral       = "sop.no_referral"
	CodeReferralRequired = "sop.referral_required" // skip_referral when nothing passed
	CodeReasonRequired   = "sop.reason_required"
	CodeNothingPassed    = "sop.nothing_passed"
	CodeNotStocked       = "sop.not_stocked"
)

// Missing is one thing an action needs that is not there: a field of the form
// or a document, named as the person reads it. Field is a stable path the
// pages can link to ("business.nib", "product.12.packaging", "document.pirt");
// the procedure only passes it on.
type Missing struct {
	Field string
	Name  i18n.Text
}

// Refusal says why an action may not be taken. It is the only error Decide returns.
type Refusal struct {
	Code    string    // one of the Code constants
	Text    i18n.Text // what to tell the person, in both languages
	Missing []Missing // what is missing, when the refusal is about named things
}

// Error returns the code, the English text and what is missing, for logs.
func (r *Refusal) Error() string {
	if len(r.Missing) > 0 {
		fields := make([]string, len(r.Missing))
		for i, m := range r.Missing {
			fields[i] = m.Field
		}
		return r.Code + ": " + r.Text.EN + " [" + strings.Join(fields, ", ") + "]"
	}
	return r.Code + ": " + r.Text.EN
}

func refuse(code, id, en string) *Refusal {
	return &Refusal{Code: code, Text: i18n.Text{ID: id, EN: en}}
}

// Decide returns the state an application in state from moves to when the actor
// described by f takes action a, or a *Refusal saying why not. It changes nothing;
// on refusal the returned state is "".
func Decide(from State, a Action, f Facts) (State, error) {
	if r := permitted(from, a, f.ActorRole, f.ActorIsOwner); r != nil {
		return "", r
	}
	if r := checkFacts(f); r != nil {
		return "", r
	}
	if r := guard(from, a, f); r != nil {
		return "", r
	}
	return target(a, f), nil
}

// Permitted checks everything about an action that does not depend on the
// application's data: the state and action are known, the actor's role takes
// procedure actions, the action is possible from this state, this role may take
// it, and an applicant owns the application. It is what Decide checks before
// the guards, for callers that must refuse early (before they gather facts or
// write the data an action needs); nil means the guards come next.
func Permitted(from State, a Action, actor role.Role, isOwner bool) error {
	if r := permitted(from, a, actor, isOwner); r != nil {
		return r
	}
	return nil
}

func permitted(from State, a Action, actor role.Role, isOwner bool) *Refusal {
	if !from.Valid() {
		return refuse(CodeUnknownState,
			fmt.Sprintf("Status permohonan %q tidak dikenal.", string(from)),
			fmt.Sprintf("Unknown application state %q.", string(from)))
	}
	if !a.Valid() {
		return refuse(CodeUnknownAction,
			fmt.Sprintf("Tindakan %q tidak dikenal.", string(a)),
			fmt.Sprintf("Unknown action %q.", string(a)))
	}
	if r := checkActor(actor); r != nil {
		return r
	}
	e, ok := lookup(from, a)
	if !ok {
		return wrongState(from, a)
	}
	if !slices.Contains(e.roles, actor) {
		return wrongRole(from, a, e.roles, actor)
	}
	if actor == role.Pemohon && !isOwner {
		return refuse(CodeNotOwner,
			"Hanya pemohon pemilik permohonan ini yang dapat melakukannya.",
			"Only the applicant who owns this application can do this.")
	}
	return nil
}

// target is the state an allowed action leads to.
func target(a Action, f Facts) State {
	switch a {
	case Submit:
		return Submitted
	case ReturnDocuments:
		return DocumentsReturned
	case AcceptDocuments:
		return AwaitingSample
	case RecordSamples:
		return InCuration
	case DecideProducts:
		return Decided
	case Announce:
		if f.ProductsFailed > 0 {
			return Announced
		}
		return AwaitingDisplay
	case SendFeedback:
		return FeedbackSent
	case Refer:
		if f.ProductsPassed == 0 {
			return Referred
		}
		return AwaitingDisplay
	case SkipReferral:
		return AwaitingDisplay
	case Display:
		return OnDisplay
	case Withdraw:
		return Withdrawn
	}
	panic("sop: no target for action " + string(a)) // unreachable: a was validated
}

// guard checks what action a needs, in the order the package comment lists.
func guard(from State, a Action, f Facts) *Refusal {
	switch a {
	case Submit:
		if len(f.FormIncomplete) > 0 {
			id, en := list(f.FormIncomplete)
			r := refuse(CodeFormIncomplete,
				"Formulir belum lengkap. Lengkapi dulu: "+id+".",
				"The form is not complete yet. Please complete: "+en+".")
			r.Missing = slices.Clone(f.FormIncomplete)
			return r
		}
		if len(f.MissingDocuments) > 0 {
			id, en := list(f.MissingDocuments)
			r := refuse(CodeDocumentsMissing,
				"Dokumen wajib belum diunggah: "+id+".",
				"Required documents not uploaded yet: "+en+".")
			r.Missing = slices.Clone(f.MissingDocuments)
			return r
		}
		if from == DocumentsReturned && f.DocumentsStillReturned > 0 {
			return refuse(CodeStillReturned,
				fmt.Sprintf("Masih ada %d dokumen yang dikembalikan petugas. Unggah perbaikannya dulu, lalu ajukan kembali.", f.DocumentsStillReturned),
				fmt.Sprintf("%s still returned by the staff. Please upload the corrections first, then submit again.", count(f.DocumentsStillReturned, "document is", "documents are")))
		}
	case ReturnDocuments:
		if f.DocumentsReturned == 0 {
			return refuse(CodeNothingReturned,
				"Belum ada dokumen yang ditandai dikembalikan. Tandai dokumen yang perlu diperbaiki dan tulis alasannya.",
				"No document is marked returned. Mark the documents to be corrected and write why.")
		}
		if f.ReturnedWithoutReason > 0 {
			return refuse(CodeReturnReason,
				fmt.Sprintf("%d dokumen dikembalikan tanpa alasan. Tulis alasannya agar pemohon tahu apa yang harus diperbaiki.", f.ReturnedWithoutReason),
				fmt.Sprintf("%s returned without a reason. Write the reason so the applicant knows what to correct.", count(f.ReturnedWithoutReason, "document is", "documents are")))
		}
	case AcceptDocuments:
		if f.DocumentsUnchecked > 0 {
			return refuse(CodeUnchecked,
				fmt.Sprintf("%d dokumen belum diperiksa. Periksa semua dokumen sebelum menerimanya.", f.DocumentsUnchecked),
				fmt.Sprintf("%s not checked yet. Check every document before accepting.", count(f.DocumentsUnchecked, "document is", "documents are")))
		}
		if f.DocumentsReturned > 0 {
			return refuse(CodeNotAccepted,
				fmt.Sprintf("%d dokumen ditandai dikembalikan. Pilih \"%s\", atau ubah tandanya bila dokumen itu sebenarnya sudah benar.", f.DocumentsReturned, ReturnDocuments.Label().ID),
				fmt.Sprintf("%s marked returned. Choose \"%s\", or change the mark if the document is in fact correct.", count(f.DocumentsReturned, "document is", "documents are"), ReturnDocuments.Label().EN))
		}
	case RecordSamples:
		if f.Products == 0 {
			return refuse(CodeNoProducts,
				"Permohonan ini belum memiliki produk.",
				"This application has no products.")
		}
		if f.ProductsWithoutSample > 0 {
			return refuse(CodeSamplesMissing,
				fmt.Sprintf("Sampel %d produk belum dicatat. Catat sampel setiap produk beserta spesifikasinya.", f.ProductsWithoutSample),
				fmt.Sprintf("No sample is recorded yet for %s. Record a sample and its specifications for every product.", count(f.ProductsWithoutSample, "product", "products")))
		}
	case DecideProducts:
		if f.ProductsUndecided > 0 {
			return refuse(CodeUndecided,
				fmt.Sprintf("%d produk belum diputuskan lolos atau tidak lolos.", f.ProductsUndecided),
				fmt.Sprintf("%s no pass / not-pass decision yet.", count(f.ProductsUndecided, "product has", "products have")))
		}
		if r := failReason(f); r != nil {
			return r
		}
	case Announce:
		if f.ProductsUndecided > 0 {
			return refuse(CodeUndecided,
				fmt.Sprintf("%d produk belum diputuskan lolos atau tidak lolos; hasil belum bisa diumumkan.", f.ProductsUndecided),
				fmt.Sprintf("%s no pass / not-pass decision yet; the result cannot be announced.", count(f.ProductsUndecided, "product has", "products have")))
		}
		if f.ProductsPassed+f.ProductsFailed == 0 {
			return refuse(CodeNoDecisions,
				"Belum ada keputusan kurasi untuk diumumkan.",
				"There is no curation decision to announce.")
		}
	case SendFeedback:
		if r := failReason(f); r != nil {
			return r
		}
	case Refer:
		if f.Referrals == 0 {
			return refuse(CodeNoReferral,
				"Belum ada rekomendasi yang dicatat. Catat minimal satu rekomendasi ke bidang lain (halal, standardisasi, HKI, atau perizinan).",
				"No referral is recorded. Record at least one referral to another division (halal, standardisation, intellectual property or licensing).")
		}
	case SkipReferral:
		if f.ProductsPassed == 0 {
			return refuse(CodeReferralRequired,
				"Tidak ada produk yang lolos, jadi sesuai SOP langkah 8 usaha ini wajib direkomendasikan ke bidang lain.",
				"No product passed, so SOP step 8 requires this business to be referred to another division.")
		}
		if strings.TrimSpace(f.Reason) == "" {
			return refuse(CodeReasonRequired,
				"Tuliskan alasan tidak merekomendasikan usaha ini ke bidang lain.",
				"Write why this business is not referred to another division.")
		}
	case Display:
		if f.ProductsPassed == 0 {
			return refuse(CodeNothingPassed,
				"Tidak ada produk yang lolos untuk dipajang.",
				"No product passed, so there is nothing to display.")
		}
		if f.PassedNotStocked > 0 {
			return refuse(CodeNotStocked,
				fmt.Sprintf("%d produk yang lolos belum dicatat stok, label harga, dan barcode-nya.", f.PassedNotStocked),
				fmt.Sprintf("%s that passed still %s no stock, price tag and barcode entered.", count(f.PassedNotStocked, "product", "products"), plural(f.PassedNotStocked, "has", "have")))
		}
	case Withdraw:
		if strings.TrimSpace(f.Reason) == "" {
			return refuse(CodeReasonRequired,
				"Tuliskan alasan penarikan permohonan.",
				"Write why the application is withdrawn.")
		}
	}
	return nil
}

func failReason(f Facts) *Refusal {
	if f.FailedWithoutReason > 0 {
		return refuse(CodeFailReason,
			fmt.Sprintf("%d produk yang tidak lolos belum diberi alasan. Pemohon berhak tahu mengapa produknya tidak lolos.", f.FailedWithoutReason),
			fmt.Sprintf("%s that did not pass %s no reason yet. The applicant has a right to know why.", count(f.FailedWithoutReason, "product", "products"), plural(f.FailedWithoutReason, "has", "have")))
	}
	return nil
}

// checkActor refuses roles that take no part in the procedure, before anything else:
// whatever the state, they may not move an application.
func checkActor(r role.Role) *Refusal {
	switch {
	case r == role.Admin:
		return refuse(CodeRole,
			"Admin sistem tidak menjalankan langkah prosedur (pemisahan tugas). Langkah ini dilakukan oleh petugas galeri, tenaga ahli kurasi, atau pemohon.",
			"System administrators do not carry out procedure steps (separation of duties). Steps are taken by gallery staff, the curation expert or the applicant.")
	case r == role.Pimpinan:
		return refuse(CodeRole,
			"Pimpinan dapat melihat permohonan dan laporan, tetapi tidak menjalankan langkah prosedur.",
			"Leadership can view applications and reports but does not carry out procedure steps.")
	case r == role.Bidang:
		return refuse(CodeRole,
			"Petugas bidang mencatat tindak lanjut rekomendasi, bukan langkah permohonan galeri.",
			"Division officers record the follow-up of referrals, not the steps of a gallery application.")
	case !r.Valid():
		return refuse(CodeRole,
			"Peran Anda tidak dikenali, jadi tindakan ini tidak bisa dilakukan.",
			"Your role is not recognised, so this action cannot be taken.")
	case !actsInProcedure(r):
		return refuse(CodeRole,
			"Peran Anda tidak menjalankan langkah prosedur.",
			"Your role does not carry out procedure steps.")
	}
	return nil
}

// wrongState explains why action a is not possible from state s.
func wrongState(s State, a Action) *Refusal {
	switch s {
	case OnDisplay:
		return refuse(CodeWrongState,
			"Permohonan ini sudah selesai: produknya sudah dipajang di galeri. Tidak ada langkah lagi.",
			"This application is complete: its products are on display. There are no more steps.")
	case Referred:
		return refuse(CodeWrongState,
			"Permohonan ini sudah selesai: usaha ini telah direkomendasikan ke bidang lain. Untuk mencoba lagi, ajukan permohonan baru.",
			"This application is closed: the business was referred to other divisions. To try again, make a new application.")
	case Withdrawn:
		return refuse(CodeWrongState,
			"Permohonan ini sudah ditarik. Untuk mencoba lagi, ajukan permohonan baru.",
			"This application was withdrawn. To try again, make a new application.")
	}
	if a == Submit {
		return refuse(CodeWrongState,
			"Permohonan ini sudah diajukan; tidak bisa diajukan lagi.",
			"This application has already been submitted.")
	}
	label, now := a.Label(), s.Label()
	lo, hi := -1, -1
	for _, e := range edges {
		if e.action != a {
			continue
		}
		for _, f := range e.from {
			if lo < 0 || rank[f] < lo {
				lo = rank[f]
			}
			hi = max(hi, rank[f])
		}
	}
	if hi >= 0 && hi < rank[s] {
		return refuse(CodeWrongState,
			fmt.Sprintf("Langkah \"%s\" sudah dilewati. Status permohonan sekarang: %s.", label.ID, now.ID),
			fmt.Sprintf("The step \"%s\" is already past. The application is now: %s.", label.EN, now.EN))
	}
	if lo > rank[s] {
		return refuse(CodeWrongState,
			fmt.Sprintf("Langkah \"%s\" belum bisa dilakukan. Status permohonan sekarang: %s.", label.ID, now.ID),
			fmt.Sprintf("\"%s\" cannot be done yet. The application is now: %s.", label.EN, now.EN))
	}
	return refuse(CodeWrongState,
		fmt.Sprintf("Langkah \"%s\" tidak bisa dilakukan saat status permohonan %s.", label.ID, now.ID),
		fmt.Sprintf("\"%s\" is not possible while the application is: %s.", label.EN, now.EN))
}

// wrongRole explains that role r may not take action a from state s.
func wrongRole(s State, a Action, allowed []role.Role, r role.Role) *Refusal {
	if a == Withdraw && r == role.Pemohon {
		return refuse(CodeRole,
			"Kurasi sudah dimulai, jadi permohonan hanya bisa ditarik oleh petugas galeri. Silakan hubungi galeri.",
			"Curation has started, so only gallery staff can withdraw the application now. Please contact the gallery.")
	}
	label := a.Label()
	ids, ens := make([]string, len(allowed)), make([]string, len(allowed))
	for i, x := range allowed {
		ids[i], ens[i] = roleName(x).ID, roleName(x).EN
	}
	return refuse(CodeRole,
		fmt.Sprintf("Langkah \"%s\" dilakukan oleh %s.", label.ID, orList(ids, "atau")),
		fmt.Sprintf("\"%s\" is done by %s.", label.EN, orList(ens, "or")))
}

// orList joins words as a sentence does: "a", "a or b", "a, b or c".
func orList(words []string, or string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + or + " " + words[len(words)-1]
}

// roleName names a role inside a sentence.
func roleName(r role.Role) i18n.Text {
	switch r {
	case role.Pemohon:
		return i18n.Text{ID: "pemohon", EN: "the applicant"}
	case role.StafGaleri:
		return i18n.Text{ID: "petugas galeri", EN: "gallery staff"}
	case role.Kurator:
		return i18n.Text{ID: "tenaga ahli kurasi", EN: "the curation expert"}
	case role.Bidang:
		return i18n.Text{ID: "petugas bidang", EN: "division officers"}
	case role.Pimpinan:
		return i18n.Text{ID: "pimpinan", EN: "leadership"}
	case role.Admin:
		return i18n.Text{ID: "admin sistem", EN: "the system administrator"}
	}
	return i18n.Text{ID: string(r), EN: string(r)}
}

// list joins the names of what is missing with commas, in both languages.
func list(ms []Missing) (id, en string) {
	ids, ens := make([]string, len(ms)), make([]string, len(ms))
	for i, m := range ms {
		ids[i], ens[i] = m.Name.ID, m.Name.EN
	}
	return strings.Join(ids, ", "), strings.Join(ens, ", ")
}

// count words a number of things in English: "1 document is", "2 documents are".
func count(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, plural(n, one, many))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// checkFacts refuses negative counts: they mean the caller counted wrong, and no
// guard should be trusted on them.
func checkFacts(f Facts) *Refusal {
	for _, c := range []struct {
		name string
		n    int
	}{
		{"DocumentsUnchecked", f.DocumentsUnchecked},
		{"DocumentsReturned", f.DocumentsReturned},
		{"ReturnedWithoutReason", f.ReturnedWithoutReason},
		{"DocumentsStillReturned", f.DocumentsStillReturned},
		{"Products", f.Products},
		{"ProductsWithoutSample", f.ProductsWithoutSample},
		{"ProductsUndecided", f.ProductsUndecided},
		{"ProductsPassed", f.ProductsPassed},
		{"ProductsFailed", f.ProductsFailed},
		{"FailedWithoutReason", f.FailedWithoutReason},
		{"PassedNotStocked", f.PassedNotStocked},
		{"Referrals", f.Referrals},
	} {
		if c.n < 0 {
			r := refuse(CodeInvalidFacts,
				"Terjadi kesalahan sistem saat memeriksa permohonan ini. Silakan coba lagi atau hubungi admin.",
				"A system error occurred while checking this application. Please try again or contact the administrator.")
			r.Missing = []Missing{{Field: fmt.Sprintf("%s=%d", c.name, c.n)}}
			return r
		}
	}
	return nil
}
