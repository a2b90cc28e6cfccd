package sop

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/role"
)

// key is one (state, action, role) combination.
type key struct {
	from State
	a    Action
	r    role.Role
}

// allowedMoves is the procedure written out by hand, independently of the rule table
// in action.go: every (state, action, role) that may happen, and where it leads with
// okFacts (a product passed and one failed). Everything else must be refused.
var allowedMoves = map[key]State{
	{Draft, Submit, role.Pemohon}:                    Submitted,
	{Draft, Submit, role.StafGaleri}:                 Submitted,
	{DocumentsReturned, Submit, role.Pemohon}:        Submitted,
	{DocumentsReturned, Submit, role.StafGaleri}:     Submitted,
	{Submitted, ReturnDocuments, role.StafGaleri}:    DocumentsReturned,
	{Submitted, AcceptDocuments, role.StafGaleri}:    AwaitingSample,
	{AwaitingSample, RecordSamples, role.StafGaleri}: InCuration,
	{InCuration, DecideProducts, role.Kurator}:       Decided,
	{InCuration, DecideProducts, role.StafGaleri}:    Decided,
	{Decided, Announce, role.StafGaleri}:             Announced,
	{Announced, SendFeedback, role.Kurator}:          FeedbackSent,
	{Announced, SendFeedback, role.StafGaleri}:       FeedbackSent,
	{FeedbackSent, Refer, role.StafGaleri}:           AwaitingDisplay,
	{FeedbackSent, SkipReferral, role.StafGaleri}:    AwaitingDisplay,
	{AwaitingDisplay, Display, role.StafGaleri}:      OnDisplay,
	{Draft, Withdraw, role.Pemohon}:                  Withdrawn,
	{Draft, Withdraw, role.StafGaleri}:               Withdrawn,
	{Submitted, Withdraw, role.Pemohon}:              Withdrawn,
	{Submitted, Withdraw, role.StafGaleri}:           Withdrawn,
	{DocumentsReturned, Withdraw, role.Pemohon}:      Withdrawn,
	{DocumentsReturned, Withdraw, role.StafGaleri}:   Withdrawn,
	{AwaitingSample, Withdraw, role.Pemohon}:         Withdrawn,
	{AwaitingSample, Withdraw, role.StafGaleri}:      Withdrawn,
	{InCuration, Withdraw, role.StafGaleri}:          Withdrawn,
	{Decided, Withdraw, role.StafGaleri}:             Withdrawn,
	{Announced, Withdraw, role.StafGaleri}:           Withdrawn,
	{FeedbackSent, Withdraw, role.StafGaleri}:        Withdrawn,
	{AwaitingDisplay, Withdraw, role.StafGaleri}:     Withdrawn,
}

// okFacts satisfies every guard of action a: an owner acting, two products, one
// passed (with stock) and one failed (with a reason), a referral, a reason.
func okFacts(a Action, r role.Role) Facts {
	f := Facts{
		ActorRole:      r,
		ActorIsOwner:   true,
		Products:       2,
		ProductsPassed: 1,
		ProductsFailed: 1,
		Referrals:      1,
		Reason:         "pemohon meminta",
	}
	if a == ReturnDocuments {
		f.DocumentsReturned = 1
	}
	return f
}

// neverActs are the roles that take no procedure action at all.
var neverActs = []role.Role{role.Admin, role.Bidang, role.Pimpinan}

func refusalOf(t *testing.T, err error) *Refusal {
	t.Helper()
	var r *Refusal
	if !errors.As(err, &r) {
		t.Fatalf("error %v (%T) is not a *Refusal", err, err)
	}
	if r.Text.ID == "" || r.Text.EN == "" {
		t.Errorf("refusal %s lacks a text in one language: %+v", r.Code, r.Text)
	}
	return r
}

func TestOnlyTheProcedureTableAllowsAMove(t *testing.T) {
	pairs := map[[2]string]bool{} // (state, action) possible for some role
	for k := range allowedMoves {
		pairs[[2]string{string(k.from), string(k.a)}] = true
	}
	roles := append(slices.Clone(role.All), role.Role(""), role.Role("tamu"))
	n := 0
	for _, s := range States() {
		for _, a := range Actions() {
			for _, r := range roles {
				n++
				got, err := Decide(s, a, okFacts(a, r))
				want, allowed := allowedMoves[key{s, a, r}]
				if allowed {
					if err != nil || got != want {
						t.Errorf("%s %s by %q: got (%q, %v), want %q", s, a, r, got, err, want)
					}
					continue
				}
				if err == nil {
					t.Errorf("%s %s by %q: allowed (to %q), want refused", s, a, r, got)
					continue
				}
				if got != "" {
					t.Errorf("%s %s by %q: refused but returned state %q", s, a, r, got)
				}
				wantCode := CodeWrongState
				if slices.Contains(neverActs, r) || !r.Valid() || pairs[[2]string{string(s), string(a)}] {
					wantCode = CodeRole
				}
				if rf := refusalOf(t, err); rf.Code != wantCode {
					t.Errorf("%s %s by %q: code %s, want %s (%s)", s, a, r, rf.Code, wantCode, rf.Text.EN)
				}
			}
		}
	}
	if n != 12*11*8 {
		t.Errorf("checked %d combinations, want %d", n, 12*11*8)
	}
}

func TestButtonsShownMatchTheProcedureTable(t *testing.T) {
	for _, s := range States() {
		for _, r := range role.All {
			var want []Action
			for _, a := range Actions() {
				if _, ok := allowedMoves[key{s, a, r}]; ok {
					want = append(want, a)
				}
			}
			if got := Available(s, r); !slices.Equal(got, want) {
				t.Errorf("Available(%s, %s) = %v, want %v", s, r, got, want)
			}
		}
	}
}

func TestTransitionsListEveryEdgeOnce(t *testing.T) {
	seen := map[[2]string]bool{}
	for _, tr := range Transitions() {
		p := [2]string{string(tr.From), string(tr.Action)}
		if seen[p] {
			t.Errorf("edge %v listed twice", p)
		}
		seen[p] = true
		for _, r := range role.All {
			want, allowed := allowedMoves[key{tr.From, tr.Action, r}]
			if allowed != slices.Contains(tr.Roles, r) {
				t.Errorf("edge %s %s: role %s listed=%v, table says %v", tr.From, tr.Action, r, !allowed, allowed)
			}
			if allowed && !slices.Contains(tr.To, want) {
				t.Errorf("edge %s %s: targets %v lack %s", tr.From, tr.Action, tr.To, want)
			}
		}
	}
	for k := range allowedMoves {
		if !seen[[2]string{string(k.from), string(k.a)}] {
			t.Errorf("Transitions lacks %s %s", k.from, k.a)
		}
	}
}

func TestAnnouncingWhenEverythingPassedGoesStraightToDisplay(t *testing.T) {
	f := Facts{ActorRole: role.StafGaleri, Products: 3, ProductsPassed: 3}
	if got, err := Decide(Decided, Announce, f); err != nil || got != AwaitingDisplay {
		t.Errorf("got (%q, %v), want awaiting_display", got, err)
	}
	f = Facts{ActorRole: role.StafGaleri, Products: 3, ProductsPassed: 2, ProductsFailed: 1}
	if got, err := Decide(Decided, Announce, f); err != nil || got != Announced {
		t.Errorf("one failed: got (%q, %v), want announced", got, err)
	}
	f = Facts{ActorRole: role.StafGaleri, Products: 3, ProductsFailed: 3}
	if got, err := Decide(Decided, Announce, f); err != nil || got != Announced {
		t.Errorf("all failed: got (%q, %v), want announced", got, err)
	}
}

func TestReferringAnSMEWithNothingPassedClosesTheApplication(t *testing.T) {
	f := Facts{ActorRole: role.StafGaleri, Products: 2, ProductsFailed: 2, Referrals: 1}
	if got, err := Decide(FeedbackSent, Refer, f); err != nil || got != Referred {
		t.Errorf("got (%q, %v), want referred", got, err)
	}
	f.ProductsPassed, f.ProductsFailed = 1, 1
	if got, err := Decide(FeedbackSent, Refer, f); err != nil || got != AwaitingDisplay {
		t.Errorf("one passed: got (%q, %v), want awaiting_display", got, err)
	}
}

func TestGuardsSayWhatIsMissing(t *testing.T) {
	applicant := Facts{ActorRole: role.Pemohon, ActorIsOwner: true}
	staff := Facts{ActorRole: role.StafGaleri}
	curator := Facts{ActorRole: role.Kurator}
	with := func(f Facts, change func(*Facts)) Facts { change(&f); return f }

	cases := []struct {
		name    string
		from    State
		a       Action
		ok      Facts // passes
		bad     Facts // refused
		code    string
		mention []string // words the Indonesian text must contain
	}{
		{
			name: "submitting an incomplete form names the sections to complete",
			from: Draft, a: Submit, ok: applicant,
			bad: with(applicant, func(f *Facts) {
				f.FormIncomplete = []Missing{named("business", "Data usaha"), named("products", "Produk")}
			}),
			code:    CodeFormIncomplete,
			mention: []string{"Data usaha", "Produk"},
		},
		{
			name: "submitting without required documents names them",
			from: Draft, a: Submit, ok: applicant,
			bad: with(applicant, func(f *Facts) {
				f.MissingDocuments = []Missing{named("document.nib", "NIB"), named("document.pirt", "P-IRT")}
			}),
			code:    CodeDocumentsMissing,
			mention: []string{"NIB", "P-IRT"},
		},
		{
			name: "resubmitting while a document is still returned says how many",
			from: DocumentsReturned, a: Submit, ok: applicant,
			bad:     with(applicant, func(f *Facts) { f.DocumentsStillReturned = 2 }),
			code:    CodeStillReturned,
			mention: []string{"2 dokumen"},
		},
		{
			name: "an applicant cannot submit someone else's application",
			from: Draft, a: Submit, ok: applicant,
			bad:     with(applicant, func(f *Facts) { f.ActorIsOwner = false }),
			code:    CodeNotOwner,
			mention: []string{"pemilik"},
		},
		{
			name: "returning documents needs at least one marked returned",
			from: Submitted, a: ReturnDocuments,
			ok:      with(staff, func(f *Facts) { f.DocumentsReturned = 1 }),
			bad:     staff,
			code:    CodeNothingReturned,
			mention: []string{"dikembalikan", "alasan"},
		},
		{
			name: "returning documents needs a reason for each",
			from: Submitted, a: ReturnDocuments,
			ok:      with(staff, func(f *Facts) { f.DocumentsReturned = 2 }),
			bad:     with(staff, func(f *Facts) { f.DocumentsReturned = 2; f.ReturnedWithoutReason = 1 }),
			code:    CodeReturnReason,
			mention: []string{"1 dokumen", "tanpa alasan"},
		},
		{
			name: "accepting documents needs every document checked",
			from: Submitted, a: AcceptDocuments, ok: staff,
			bad:     with(staff, func(f *Facts) { f.DocumentsUnchecked = 2 }),
			code:    CodeUnchecked,
			mention: []string{"2 dokumen", "belum diperiksa"},
		},
		{
			name: "accepting documents is refused while one is marked returned",
			from: Submitted, a: AcceptDocuments, ok: staff,
			bad:     with(staff, func(f *Facts) { f.DocumentsReturned = 1 }),
			code:    CodeNotAccepted,
			mention: []string{"1 dokumen", "Kembalikan dokumen"},
		},
		{
			name: "recording samples needs a product",
			from: AwaitingSample, a: RecordSamples,
			ok:      with(staff, func(f *Facts) { f.Products = 1 }),
			bad:     staff,
			code:    CodeNoProducts,
			mention: []string{"produk"},
		},
		{
			name: "recording samples needs a sample of every product",
			from: AwaitingSample, a: RecordSamples,
			ok:      with(staff, func(f *Facts) { f.Products = 3 }),
			bad:     with(staff, func(f *Facts) { f.Products = 3; f.ProductsWithoutSample = 1 }),
			code:    CodeSamplesMissing,
			mention: []string{"1 produk", "sampel"},
		},
		{
			name: "deciding needs every product decided",
			from: InCuration, a: DecideProducts,
			ok:      with(curator, func(f *Facts) { f.Products = 3; f.ProductsPassed = 3 }),
			bad:     with(curator, func(f *Facts) { f.Products = 3; f.ProductsPassed = 1; f.ProductsUndecided = 2 }),
			code:    CodeUndecided,
			mention: []string{"2 produk", "belum diputuskan"},
		},
		{
			name: "deciding needs a reason for every product that did not pass",
			from: InCuration, a: DecideProducts,
			ok:      with(curator, func(f *Facts) { f.Products = 2; f.ProductsFailed = 2 }),
			bad:     with(curator, func(f *Facts) { f.Products = 2; f.ProductsFailed = 2; f.FailedWithoutReason = 1 }),
			code:    CodeFailReason,
			mention: []string{"1 produk", "alasan"},
		},
		{
			name: "announcing is refused while a product is undecided",
			from: Decided, a: Announce,
			ok:      with(staff, func(f *Facts) { f.ProductsPassed = 1 }),
			bad:     with(staff, func(f *Facts) { f.ProductsPassed = 1; f.ProductsUndecided = 1 }),
			code:    CodeUndecided,
			mention: []string{"1 produk", "diumumkan"},
		},
		{
			name: "announcing needs a decision to announce",
			from: Decided, a: Announce,
			ok:      with(staff, func(f *Facts) { f.ProductsFailed = 1 }),
			bad:     staff,
			code:    CodeNoDecisions,
			mention: []string{"keputusan"},
		},
		{
			name: "sending feedback needs a reason for every product that did not pass",
			from: Announced, a: SendFeedback,
			ok:      with(curator, func(f *Facts) { f.ProductsFailed = 2 }),
			bad:     with(curator, func(f *Facts) { f.ProductsFailed = 2; f.FailedWithoutReason = 2 }),
			code:    CodeFailReason,
			mention: []string{"2 produk", "alasan"},
		},
		{
			name: "referring needs a referral recorded",
			from: FeedbackSent, a: Refer,
			ok:      with(staff, func(f *Facts) { f.ProductsFailed = 1; f.Referrals = 1 }),
			bad:     with(staff, func(f *Facts) { f.ProductsFailed = 1 }),
			code:    CodeNoReferral,
			mention: []string{"rekomendasi", "bidang lain"},
		},
		{
			name: "an SME with nothing passed cannot skip the referral",
			from: FeedbackSent, a: SkipReferral,
			ok:      with(staff, func(f *Facts) { f.ProductsPassed = 1; f.ProductsFailed = 1; f.Reason = "sudah bersertifikat" }),
			bad:     with(staff, func(f *Facts) { f.ProductsFailed = 2; f.Reason = "sibuk" }),
			code:    CodeReferralRequired,
			mention: []string{"langkah 8", "wajib"},
		},
		{
			name: "skipping the referral needs a reason",
			from: FeedbackSent, a: SkipReferral,
			ok:      with(staff, func(f *Facts) { f.ProductsPassed = 1; f.ProductsFailed = 1; f.Reason = "sudah bersertifikat" }),
			bad:     with(staff, func(f *Facts) { f.ProductsPassed = 1; f.ProductsFailed = 1; f.Reason = "  \t" }),
			code:    CodeReasonRequired,
			mention: []string{"alasan"},
		},
		{
			name: "displaying needs a product that passed",
			from: AwaitingDisplay, a: Display,
			ok:      with(staff, func(f *Facts) { f.ProductsPassed = 1 }),
			bad:     staff,
			code:    CodeNothingPassed,
			mention: []string{"lolos"},
		},
		{
			name: "displaying needs stock, price tag and barcode of every passed product",
			from: AwaitingDisplay, a: Display,
			ok:      with(staff, func(f *Facts) { f.ProductsPassed = 2 }),
			bad:     with(staff, func(f *Facts) { f.ProductsPassed = 2; f.PassedNotStocked = 2 }),
			code:    CodeNotStocked,
			mention: []string{"2 produk", "stok", "barcode"},
		},
		{
			name: "withdrawing needs a reason",
			from: Submitted, a: Withdraw,
			ok:      with(applicant, func(f *Facts) { f.Reason = "belum siap" }),
			bad:     with(applicant, func(f *Facts) { f.Reason = " " }),
			code:    CodeReasonRequired,
			mention: []string{"alasan penarikan"},
		},
		{
			name: "an applicant cannot withdraw once curation has started",
			from: InCuration, a: Withdraw,
			ok:      with(staff, func(f *Facts) { f.Reason = "pemohon meminta lewat telepon" }),
			bad:     with(applicant, func(f *Facts) { f.Reason = "belum siap" }),
			code:    CodeRole,
			mention: []string{"petugas galeri"},
		},
		{
			name: "a system administrator cannot carry out a procedure step",
			from: Submitted, a: AcceptDocuments, ok: staff,
			bad:     Facts{ActorRole: role.Admin},
			code:    CodeRole,
			mention: []string{"Admin", "pemisahan tugas"},
		},
		{
			name: "an applicant cannot do the gallery staff's step",
			from: Submitted, a: AcceptDocuments, ok: staff,
			bad:     applicant,
			code:    CodeRole,
			mention: []string{"Terima semua dokumen", "petugas galeri"},
		},
		{
			name: "a negative count from the caller is refused, not trusted",
			from: Submitted, a: AcceptDocuments, ok: staff,
			bad:     with(staff, func(f *Facts) { f.DocumentsUnchecked = -1 }),
			code:    CodeInvalidFacts,
			mention: []string{"kesalahan sistem"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Decide(c.from, c.a, c.ok); err != nil {
				t.Errorf("passing case refused: %v", err)
			}
			got, err := Decide(c.from, c.a, c.bad)
			if err == nil {
				t.Fatalf("refusing case allowed, to %q", got)
			}
			r := refusalOf(t, err)
			if r.Code != c.code {
				t.Errorf("code %s, want %s (%s)", r.Code, c.code, r.Text.ID)
			}
			for _, m := range c.mention {
				if !strings.Contains(strings.ToLower(r.Text.ID), strings.ToLower(m)) {
					t.Errorf("Indonesian text %q does not mention %q", r.Text.ID, m)
				}
			}
		})
	}
}

func TestWalkInClerkSubmitsForTheApplicant(t *testing.T) {
	f := Facts{ActorRole: role.StafGaleri, ActorIsOwner: false}
	if got, err := Decide(Draft, Submit, f); err != nil || got != Submitted {
		t.Errorf("got (%q, %v), want submitted", got, err)
	}
}

func TestStillReturnedDocumentsOnlyMatterWhenResubmitting(t *testing.T) {
	f := Facts{ActorRole: role.Pemohon, ActorIsOwner: true, DocumentsStillReturned: 1}
	if _, err := Decide(Draft, Submit, f); err != nil {
		t.Errorf("first submission refused over returned documents: %v", err)
	}
}

func TestMissingThingsComeBackByName(t *testing.T) {
	missing := []Missing{named("document.ktp", "KTP"), named("document.halal", "Sertifikat halal")}
	f := Facts{ActorRole: role.Pemohon, ActorIsOwner: true, MissingDocuments: missing}
	_, err := Decide(Draft, Submit, f)
	r := refusalOf(t, err)
	if !slices.Equal(r.Missing, missing) {
		t.Errorf("Missing = %v", r.Missing)
	}
	if !strings.Contains(r.Text.ID, "KTP, Sertifikat halal") {
		t.Errorf("text %q does not list the documents", r.Text.ID)
	}
	if !strings.Contains(err.Error(), CodeDocumentsMissing) || !strings.Contains(err.Error(), "document.halal") {
		t.Errorf("Error() = %q lacks the code or the fields", err.Error())
	}
}

// named is a missing thing with the same name in both languages.
func named(field, name string) Missing {
	return Missing{Field: field, Name: i18n.Text{ID: name, EN: name}}
}

func TestWrongStateMessagesSayWhereTheApplicationIs(t *testing.T) {
	staff := Facts{ActorRole: role.StafGaleri, Reason: "x"}
	cases := []struct {
		from    State
		a       Action
		f       Facts
		mention string
	}{
		{Submitted, Submit, Facts{ActorRole: role.Pemohon, ActorIsOwner: true}, "sudah diajukan"},
		{InCuration, Submit, staff, "sudah diajukan"},
		{Announced, DecideProducts, staff, "sudah dilewati"},
		{AwaitingDisplay, SendFeedback, staff, "sudah dilewati"},
		{Decided, Display, staff, "belum bisa"},
		{DocumentsReturned, AcceptDocuments, staff, "belum bisa"},
		{Withdrawn, Withdraw, staff, "permohonan baru"},
		{Referred, Submit, Facts{ActorRole: role.Pemohon, ActorIsOwner: true}, "permohonan baru"},
		{OnDisplay, Display, staff, "sudah selesai"},
	}
	for _, c := range cases {
		_, err := Decide(c.from, c.a, c.f)
		if err == nil {
			t.Errorf("%s %s allowed", c.from, c.a)
			continue
		}
		r := refusalOf(t, err)
		if r.Code != CodeWrongState || !strings.Contains(r.Text.ID, c.mention) {
			t.Errorf("%s %s: %s %q, want %s mentioning %q", c.from, c.a, r.Code, r.Text.ID, CodeWrongState, c.mention)
		}
	}
}

func TestUnknownStatesAndActionsAreRefused(t *testing.T) {
	f := Facts{ActorRole: role.StafGaleri}
	if _, err := Decide("sample_received", Submit, f); refusalOf(t, err).Code != CodeUnknownState {
		t.Errorf("unknown state: %v", err)
	}
	if _, err := Decide(Draft, "approve", f); refusalOf(t, err).Code != CodeUnknownAction {
		t.Errorf("unknown action: %v", err)
	}
}
