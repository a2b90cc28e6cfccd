package sop

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/role"
)

// outcomes are the facts of the three ways a curation can end, each satisfying every
// guard, so a walk with them explores every edge Decide allows.
var outcomes = map[string]Facts{
	"all passed":  {ActorIsOwner: true, Products: 2, ProductsPassed: 2, Referrals: 1, Reason: "r"},
	"some passed": {ActorIsOwner: true, Products: 2, ProductsPassed: 1, ProductsFailed: 1, Referrals: 1, Reason: "r"},
	"none passed": {ActorIsOwner: true, Products: 2, ProductsFailed: 2, Referrals: 1, Reason: "r"},
}

// reachable walks Decide from start with every action, role and outcome.
func reachable(start State) map[State]bool {
	seen := map[State]bool{start: true}
	queue := []State{start}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, a := range Actions() {
			for _, r := range role.All {
				for _, f := range outcomes {
					f.ActorRole = r
					if a == ReturnDocuments {
						f.DocumentsReturned = 1
					}
					if to, err := Decide(s, a, f); err == nil && !seen[to] {
						seen[to] = true
						queue = append(queue, to)
					}
				}
			}
		}
	}
	return seen
}

func TestEveryOpenApplicationCanStillBeClosed(t *testing.T) {
	for _, s := range States() {
		if s.Terminal() {
			continue
		}
		closed := false
		for to := range reachable(s) {
			closed = closed || to.Terminal()
		}
		if !closed {
			t.Errorf("from %s no closed state can be reached", s)
		}
	}
}

func TestEveryStateCanBeReachedFromADraft(t *testing.T) {
	seen := reachable(Draft)
	for _, s := range States() {
		if !seen[s] {
			t.Errorf("%s cannot be reached from draft", s)
		}
	}
}

func TestClosedApplicationsOfferNoAction(t *testing.T) {
	for _, s := range States() {
		if !s.Terminal() {
			continue
		}
		for _, r := range role.All {
			if got := Available(s, r); len(got) != 0 {
				t.Errorf("Available(%s, %s) = %v, want none", s, r, got)
			}
		}
		for _, a := range Actions() {
			for _, f := range outcomes {
				for _, r := range []role.Role{role.Pemohon, role.StafGaleri, role.Kurator} {
					f.ActorRole = r
					if to, err := Decide(s, a, f); err == nil {
						t.Errorf("%s %s by %s allowed, to %s", s, a, r, to)
					}
				}
			}
		}
	}
	want := []State{OnDisplay, Referred, Withdrawn}
	var got []State
	for _, s := range States() {
		if s.Terminal() {
			got = append(got, s)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("terminal states %v, want %v", got, want)
	}
}

func TestStoredStateAndActionNamesDoNotChange(t *testing.T) {
	wantStates := []string{"draft", "submitted", "documents_returned", "awaiting_sample", "in_curation",
		"decided", "announced", "feedback_sent", "awaiting_display", "on_display", "referred", "withdrawn"}
	var gotStates []string
	for _, s := range States() {
		gotStates = append(gotStates, string(s))
	}
	if !slices.Equal(gotStates, wantStates) {
		t.Errorf("States() = %v, want %v", gotStates, wantStates)
	}
	wantActions := []string{"submit", "return_documents", "accept_documents", "record_samples", "decide",
		"announce", "send_feedback", "refer", "skip_referral", "display", "withdraw"}
	var gotActions []string
	for _, a := range Actions() {
		gotActions = append(gotActions, string(a))
	}
	if !slices.Equal(gotActions, wantActions) {
		t.Errorf("Actions() = %v, want %v", gotActions, wantActions)
	}
}

func TestStepsFollowTheSeedNumberingAndTimeStandards(t *testing.T) {
	want := []struct {
		number      int
		days        int
		hasStandard bool
		state       State
		nameStarts  string
	}{
		{1, 1, true, Submitted, "Mengajukan kemitraan"},
		{2, 0, false, Draft, "Mengisi form offline"},
		{3, 0, false, AwaitingSample, "Menyerahkan sampel produk"},
		{4, 3, true, InCuration, "Melakukan seleksi internal"},
		{5, 1, true, Decided, "Pengumuman hasil seleksi"},
		{7, 1, true, Announced, "Menginformasikan kepada pemohon"},
		{8, 1, true, FeedbackSent, "Rekomendasi fasilitasi UKM"},
		{9, 1, true, AwaitingDisplay, "Menginput data stock"},
	}
	got := Steps()
	if len(got) != len(want) {
		t.Fatalf("%d steps, want %d", len(got), len(want))
	}
	for i, w := range want {
		st := got[i]
		if st.Number != w.number || st.Days != w.days || st.HasStandard != w.hasStandard || st.State != w.state {
			t.Errorf("step %d: got number %d, %d days, standard %v, state %s; want %d, %d, %v, %s",
				i, st.Number, st.Days, st.HasStandard, st.State, w.number, w.days, w.hasStandard, w.state)
		}
		if !strings.HasPrefix(st.Name.ID, w.nameStarts) {
			t.Errorf("step %d name %q, want it to start %q", st.Number, st.Name.ID, w.nameStarts)
		}
		for what, txt := range map[string][2]string{
			"name": {st.Name.ID, st.Name.EN}, "requirement": {st.Requirement.ID, st.Requirement.EN},
			"output": {st.Output.ID, st.Output.EN},
		} {
			if txt[0] == "" || txt[1] == "" {
				t.Errorf("step %d %s lacks a language: %q", st.Number, what, txt)
			}
		}
		if len(st.Responsible) == 0 {
			t.Errorf("step %d has nobody responsible", st.Number)
		}
	}
	if !slices.Equal(got[5].Responsible, []role.Role{role.Kurator}) {
		t.Errorf("step 7 responsible %v, want the curation expert (seed: Tenaga Ahli Kurasi \"Ya\")", got[5].Responsible)
	}
}

func TestStepsCannotBeChangedByTheirReader(t *testing.T) {
	s := Steps()
	s[0].Days = 99
	s[0].Responsible[0] = role.Admin
	again := Steps()
	if again[0].Days != 1 || again[0].Responsible[0] != role.Pemohon {
		t.Errorf("changing the result of Steps changed the procedure: %+v", again[0])
	}
}

func TestEachStateShowsItsStepAndClock(t *testing.T) {
	wantStep := map[State]int{Draft: 2, Submitted: 1, AwaitingSample: 3, InCuration: 4, Decided: 5, Announced: 7, FeedbackSent: 8, AwaitingDisplay: 9}
	wantClock := map[State]int{Submitted: 1, InCuration: 3, Decided: 1, Announced: 1, FeedbackSent: 1, AwaitingDisplay: 1}
	for _, s := range States() {
		st, ok := StepOf(s)
		if n, want := wantStep[s]; ok != want || st.Number != n {
			t.Errorf("StepOf(%s) = step %d, %v; want step %d, %v", s, st.Number, ok, n, want)
		}
		days, ok := s.Clock()
		if d, want := wantClock[s]; ok != want || days != d {
			t.Errorf("%s.Clock() = %d, %v; want %d, %v", s, days, ok, d, want)
		}
	}
}

func TestEveryOpenStateSaysWhoseMoveItIs(t *testing.T) {
	want := map[State]Party{
		Draft: Applicant, DocumentsReturned: Applicant, AwaitingSample: Applicant,
		Submitted: Office, InCuration: Office, Decided: Office, Announced: Office,
		FeedbackSent: Office, AwaitingDisplay: Office,
		OnDisplay: Nobody, Referred: Nobody, Withdrawn: Nobody,
	}
	for _, s := range States() {
		if got := s.WaitingOn(); got != want[s] {
			t.Errorf("%s.WaitingOn() = %q, want %q", s, got, want[s])
		}
		if (s.WaitingOn() == Nobody) != s.Terminal() {
			t.Errorf("%s: waiting on nobody is %v but terminal is %v", s, s.WaitingOn() == Nobody, s.Terminal())
		}
		if l := s.WaitingOn().Label(); l.ID == "" || l.EN == "" {
			t.Errorf("%s: party label lacks a language: %+v", s, l)
		}
	}
}

func TestEveryStateAndActionIsNamedInBothLanguages(t *testing.T) {
	seenID, seenEN := map[string]State{}, map[string]State{}
	for _, s := range States() {
		l := s.Label()
		if l.ID == "" || l.EN == "" || l.ID == string(s) {
			t.Errorf("%s.Label() = %+v", s, l)
		}
		if prev, dup := seenID[l.ID]; dup {
			t.Errorf("%s and %s share the label %q", prev, s, l.ID)
		}
		if prev, dup := seenEN[l.EN]; dup {
			t.Errorf("%s and %s share the label %q", prev, s, l.EN)
		}
		seenID[l.ID], seenEN[l.EN] = s, s
		n := s.NextForApplicant()
		if n.ID == "" || n.EN == "" {
			t.Errorf("%s.NextForApplicant() lacks a language: %+v", s, n)
		}
	}
	labels := map[string]Action{}
	for _, a := range Actions() {
		l := a.Label()
		if l.ID == "" || l.EN == "" || l.ID == string(a) {
			t.Errorf("%s.Label() = %+v", a, l)
		}
		if prev, dup := labels[l.ID]; dup {
			t.Errorf("%s and %s share the label %q", prev, a, l.ID)
		}
		labels[l.ID] = a
	}
}

func TestTheApplicantIsToldTheTimeLimitWhereAClockRuns(t *testing.T) {
	for _, s := range States() {
		n := s.NextForApplicant()
		days, ok := s.Clock()
		wantID := fmt.Sprintf("(paling lambat %d hari kerja).", days)
		if ok != strings.HasSuffix(n.ID, wantID) {
			t.Errorf("%s (clock %v, %d days): %q", s, ok, days, n.ID)
		}
		if ok && !strings.Contains(n.EN, fmt.Sprintf("within %d working day", days)) {
			t.Errorf("%s: English %q lacks the limit", s, n.EN)
		}
		if !ok && strings.Contains(n.ID, "paling lambat") {
			t.Errorf("%s runs no clock but promises a limit: %q", s, n.ID)
		}
	}
	if got := Submitted.NextForApplicant().ID; got != "Petugas galeri memeriksa dokumen Anda (paling lambat 1 hari kerja)." {
		t.Errorf("submitted: %q", got)
	}
}

// Every action names the facts it reads, and those facts are exactly the ones
// its guard and target look at: a guard that read a fact the engine did not
// ask a capability for would pass on a zero count.
func TestEveryActionNamesTheFactsItReads(t *testing.T) {
	// probe sets one fact group to values that make some guard or target react.
	probe := map[Fact]func(*Facts){
		FactForm: func(f *Facts) { f.FormIncomplete = []Missing{{Field: "business.name"}} },
		FactDocuments: func(f *Facts) {
			f.MissingDocuments, f.DocumentsUnchecked, f.DocumentsReturned, f.ReturnedWithoutReason, f.DocumentsStillReturned = []Missing{{Field: "document.ktp"}}, 1, 1, 1, 1
		},
		FactSamples: func(f *Facts) { f.ProductsWithoutSample = 1 },
		FactDecisions: func(f *Facts) {
			f.ProductsUndecided, f.ProductsPassed, f.ProductsFailed, f.FailedWithoutReason = 1, 0, 1, 1
		},
		FactReferrals: func(f *Facts) { f.Referrals = 0 },
		FactStock:     func(f *Facts) { f.PassedNotStocked = 1 },
	}
	// base satisfies every guard of every action.
	base := Facts{ActorIsOwner: true, Products: 2, ProductsPassed: 1, ProductsFailed: 1, Referrals: 1, Reason: "r", DocumentsReturned: 1}
	for _, tr := range Transitions() {
		for _, r := range tr.Roles {
			f := base
			f.ActorRole = r
			if tr.Action == AcceptDocuments {
				f.DocumentsReturned = 0
			}
			want, err := Decide(tr.From, tr.Action, f)
			if err != nil {
				continue // this base does not satisfy the guard for this edge; other tests cover it
			}
			for _, fact := range AllFacts() {
				g := f
				probe[fact](&g)
				got, err := Decide(tr.From, tr.Action, g)
				changed := err != nil || got != want
				if changed && !slices.Contains(tr.Action.Needs(), fact) {
					t.Errorf("%s from %s reacts to %s facts, but Needs() = %v", tr.Action, tr.From, fact, tr.Action.Needs())
				}
			}
		}
	}
}

func TestUnderReviewIsEveryOpenStateTheOfficeIsJudging(t *testing.T) {
	for _, s := range States() {
		want := !s.Terminal() && s != Draft && s != DocumentsReturned
		if s.UnderReview() != want {
			t.Errorf("%s.UnderReview() = %v, want %v", s, s.UnderReview(), want)
		}
	}
}

// Staff read what they do next, about the applicant, never "your documents".
func TestStaffAreToldTheirNextStepAboutTheApplicant(t *testing.T) {
	for _, s := range States() {
		n := s.NextForStaff()
		if n.ID == "" || n.EN == "" {
			t.Errorf("%s has no next step for staff", s)
		}
		if !s.Terminal() && (strings.Contains(n.ID, " Anda") || strings.Contains(n.EN, " your ")) {
			t.Errorf("%s tells staff %q: it speaks to the applicant", s, n.ID)
		}
		if d, ok := s.Clock(); ok && !strings.Contains(n.ID, fmt.Sprintf("%d hari kerja", d)) {
			t.Errorf("%s: staff are not told the %d-day limit: %q", s, d, n.ID)
		}
	}
}

func TestResultOut(t *testing.T) {
	out := map[State]bool{Announced: true, FeedbackSent: true, AwaitingDisplay: true, OnDisplay: true, Referred: true}
	for _, s := range States() {
		if got := s.ResultOut(); got != out[s] {
			t.Errorf("%s.ResultOut() = %v, want %v", s, got, out[s])
		}
	}
	// Every state an announcement leads to, and every state after those, shows the result.
	for _, tr := range Transitions() {
		if tr.From.ResultOut() || tr.Action == Announce {
			for _, to := range tr.To {
				if to != Withdrawn && !to.ResultOut() {
					t.Errorf("%s --%s--> %s: the result was out and is hidden again", tr.From, tr.Action, to)
				}
			}
		}
	}
}
