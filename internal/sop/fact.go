package sop

import "slices"

// Fact names a group of Facts fields that one capability knows and fills: the
// form and documents (intake), samples (intake), curation decisions (curation),
// referrals (referral), stock (stock). The engine asks each action which facts
// it needs (Action.Needs) and refuses the action when no capability has
// registered to supply one of them, so that no guard can pass because its
// counts were simply never filled in.
type Fact string

const (
	FactForm      Fact = "form"      // FormIncomplete
	FactDocuments Fact = "documents" // MissingDocuments, DocumentsUnchecked, DocumentsReturned, ReturnedWithoutReason, DocumentsStillReturned
	FactSamples   Fact = "samples"   // ProductsWithoutSample
	FactDecisions Fact = "decisions" // ProductsUndecided, ProductsPassed, ProductsFailed, FailedWithoutReason
	FactReferrals Fact = "referrals" // Referrals
	FactStock     Fact = "stock"     // PassedNotStocked
)

// facts lists every fact in the order of the procedure.
var facts = []Fact{FactForm, FactDocuments, FactSamples, FactDecisions, FactReferrals, FactStock}

// AllFacts returns every fact in the order of the procedure.
func AllFacts() []Fact { return slices.Clone(facts) }

// needs is, for each action, the facts its guard and its target read. The
// actor's role, ownership, the reason and the number of products are the
// engine's own and are always there.
var needs = map[Action][]Fact{
	Submit:          {FactForm, FactDocuments},
	ReturnDocuments: {FactDocuments},
	AcceptDocuments: {FactDocuments},
	RecordSamples:   {FactSamples},
	DecideProducts:  {FactDecisions},
	Announce:        {FactDecisions},
	SendFeedback:    {FactDecisions},
	Refer:           {FactDecisions, FactReferrals}, // the target depends on ProductsPassed
	SkipReferral:    {FactDecisions},
	Display:         {FactDecisions, FactStock},
	Withdraw:        nil,
}

// Needs returns the facts action a reads, in the order of the procedure.
func (a Action) Needs() []Fact { return slices.Clone(needs[a]) }
