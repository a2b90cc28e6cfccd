package sop

import (
	"slices"

	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/role"
)

// Action is something a person does that moves an application to another state.
// The values are stored in the history; never rename one.
type Action string

const (
	Submit          Action = "submit"
	ReturnDocuments Action = "return_documents"
	AcceptDocuments Action = "accept_documents"
	RecordSamples   Action = "record_samples"
	DecideProducts  Action = "decide" // every product passed or not; named so as not to clash with Decide
	Announce        Action = "announce"
	SendFeedback    Action = "send_feedback"
	Refer           Action = "refer"
	SkipReferral    Action = "skip_referral"
	Display         Action = "display"
	Withdraw        Action = "withdraw"
)

var actions = []Action{
	Submit, ReturnDocuments, AcceptDocuments, RecordSamples, DecideProducts, Announce,
	SendFeedback, Refer, SkipReferral, Display, Withdraw,
}

// Actions returns every action in the order of the procedure, withdraw last.
func Actions() []Action { return slices.Clone(actions) }

// Valid reports whether a is one of the known actions.
func (a Action) Valid() bool { return slices.Contains(actions, a) }

// Label names the action for a button or a history line.
func (a Action) Label() i18n.Text {
	switch a {
	case Submit:
		return i18n.Text{ID: "Ajukan permohonan", EN: "Submit application"}
	case ReturnDocuments:
		return i18n.Text{ID: "Kembalikan dokumen", EN: "Return documents"}
	case AcceptDocuments:
		return i18n.Text{ID: "Terima semua dokumen", EN: "Accept all documents"}
	case RecordSamples:
		return i18n.Text{ID: "Catat penerimaan sampel", EN: "Record samples received"}
	case DecideProducts:
		return i18n.Text{ID: "Tetapkan hasil kurasi", EN: "Record curation decisions"}
	case Announce:
		return i18n.Text{ID: "Umumkan hasil", EN: "Announce result"}
	case SendFeedback:
		return i18n.Text{ID: "Kirim alasan tidak lolos", EN: "Send reasons for not passing"}
	case Refer:
		return i18n.Text{ID: "Rekomendasikan ke bidang lain", EN: "Refer to other divisions"}
	case SkipReferral:
		return i18n.Text{ID: "Lanjut tanpa rekomendasi", EN: "Continue without referral"}
	case Display:
		return i18n.Text{ID: "Pajang di galeri", EN: "Put on display"}
	case Withdraw:
		return i18n.Text{ID: "Tarik permohonan", EN: "Withdraw application"}
	}
	return i18n.Text{ID: string(a), EN: string(a)}
}

// Transition is one edge of the procedure: from a state, an action, the roles that
// may take it there, and the states it can lead to (which one depends on the facts).
type Transition struct {
	From   State
	Action Action
	Roles  []role.Role
	To     []State
}

// edge is one row of the rule table: an action possible from some states by some roles.
type edge struct {
	action Action
	from   []State
	roles  []role.Role
	to     []State
}

var (
	applicantOrStaff = []role.Role{role.Pemohon, role.StafGaleri}
	staff            = []role.Role{role.StafGaleri}
	curatorOrStaff   = []role.Role{role.Kurator, role.StafGaleri}
)

// edges is the procedure's rule table. See the package comment.
var edges = []edge{
	{Submit, []State{Draft, DocumentsReturned}, applicantOrStaff, []State{Submitted}},
	{ReturnDocuments, []State{Submitted}, staff, []State{DocumentsReturned}},
	{AcceptDocuments, []State{Submitted}, staff, []State{AwaitingSample}},
	{RecordSamples, []State{AwaitingSample}, staff, []State{InCuration}},
	{DecideProducts, []State{InCuration}, curatorOrStaff, []State{Decided}},
	{Announce, []State{Decided}, staff, []State{Announced, AwaitingDisplay}},
	{SendFeedback, []State{Announced}, curatorOrStaff, []State{FeedbackSent}},
	{Refer, []State{FeedbackSent}, staff, []State{Referred, AwaitingDisplay}},
	{SkipReferral, []State{FeedbackSent}, staff, []State{AwaitingDisplay}},
	{Display, []State{AwaitingDisplay}, staff, []State{OnDisplay}},
	// The applicant may withdraw only before curation starts; staff at any open state.
	{Withdraw, []State{Draft, Submitted, DocumentsReturned, AwaitingSample}, applicantOrStaff, []State{Withdrawn}},
	{Withdraw, []State{InCuration, Decided, Announced, FeedbackSent, AwaitingDisplay}, staff, []State{Withdrawn}},
}

// lookup returns the edge for action a from state s.
func lookup(s State, a Action) (edge, bool) {
	for _, e := range edges {
		if e.action == a && slices.Contains(e.from, s) {
			return e, true
		}
	}
	return edge{}, false
}

// Transitions returns every edge of the procedure, one per (state, action), in the
// order of States then Actions: the table for documentation, diagrams and tests.
func Transitions() []Transition {
	var out []Transition
	for _, s := range states {
		for _, a := range actions {
			if e, ok := lookup(s, a); ok {
				out = append(out, Transition{From: s, Action: a, Roles: slices.Clone(e.roles), To: slices.Clone(e.to)})
			}
		}
	}
	return out
}

// Available returns the actions a person with role r could attempt on an
// application in state from, in the order of Actions: the buttons to show. It does
// not check the guards (Decide does) nor, for an applicant, ownership.
func Available(from State, r role.Role) []Action {
	var out []Action
	for _, a := range actions {
		if e, ok := lookup(from, a); ok && slices.Contains(e.roles, r) {
			out = append(out, a)
		}
	}
	return out
}

// actsInProcedure reports whether r takes any procedure action at all.
func actsInProcedure(r role.Role) bool {
	for _, e := range edges {
		if slices.Contains(e.roles, r) {
			return true
		}
	}
	return false
}

// NeedsReason reports whether taking a needs a written reason from the person
// (it goes into the history): withdrawing, and skipping the referral.
func (a Action) NeedsReason() bool { return a == Withdraw || a == SkipReferral }
