// Package curation is SOP step 4, the internal selection of products by gallery
// staff and the curation expert (Tenaga Ahli Kurasi). Its rules are data and
// pure functions with no SQL, no HTTP and no clock (the caller passes the time
// in); the Service around them (store.go, service.go) keeps rubric versions,
// rounds, assignments, reviews, results and decisions in the database and plugs
// into the procedure engine.
//
// # How the pieces fit
//
//	Rubric (rubric.go)    criteria, weights, anchored scales, targets, pass mark,
//	                      grade bands, gate settings; Validate; Revise and Diff
//	                      make and describe the next version (version.go)
//	Review (score.go)     one reviewer's scores on one rubric version; CheckReview,
//	                      ReviewScore
//	Combine (score.go)    all reviews of a product → Combined: per-criterion means,
//	                      disagreement flags, each reviewer's score, the score
//	CheckGate (gate.go)   the product's accepted permits → GateResult
//	Decide (reasons.go)   rubric + Combined + GateResult → Outcome: score, grade,
//	                      passed, reasons and warnings in both languages
//	DefaultRubric         the rubric a fresh installation starts with (default.go)
//
// The service, in the order of the work:
//
//	store.go     rubric versions (the default stored at start as family 1,
//	             version 1; ReviseRubric inserts the next), rounds (name,
//	             registration window, curation date, open call; MarkAnnounced
//	             freezes one in the announcement's transaction), the
//	             applications in a round, assignments with the reviewer's
//	             declaration of no conflict (Declare), the reviewer's Queue,
//	             ViewScope (an expert sees only what is assigned to them)
//	service.go   SaveReview (draft or submitted; a retry is recorded once; the
//	             last required review computes the product's combined result
//	             once, with CheckGate and Decide, in its transaction),
//	             Reviews (blind until one's own is submitted), ReopenReview,
//	             Decide (the expert's decision per product into
//	             product_decisions; the last one takes the engine's decide
//	             transition in the same transaction), FillFacts (the
//	             decisions facts for the engine)
//
// Writes on one application lock its row first on PostgreSQL (SQLite's one
// writer queues them already), so N reviewers submitting at once each get one
// review and the result is combined once.
//
// A service stores a rubric version once and never updates it; a round of
// curation keeps the version it started with and its reviews say which version
// they were made on, so Combine and Decide refuse anything mixed. Every value is
// a plain struct that marshals to JSON, for storage and for the API.
//
// # Decisions
//
// Rounding. Scores are computed exactly (math/big) and rounded half up to tenths
// once (Tenths, an integer). The rounded number is both what people read and
// what is compared with the pass mark, the grade bands and the targets: 54.95 is
// shown as 55 and passes a pass mark of 55; ties at the pass mark pass, a score
// at a band's minimum gets that band.
//
// Combining. Per criterion: a criterion's combined score is the mean of the
// scores it got, and the total is the weighted score of those means. That is the
// mean of the reviewers' own totals whenever all scored everything; it differs
// only when a reviewer left an optional criterion out, and then it does not let
// that reviewer's other scores stand in for it. The targets and the SME's notes
// are about the per-criterion means, so they and the total agree.
//
// Mandatory. A mandatory criterion must be scored: a review without it is
// incomplete. It does not by itself fail a product: below target it is an
// improvement note (the Sidoarjo model, where legality is the gate). A rubric
// may make a criterion a knock-out with MustMeetTarget, and the product then
// fails below its target whatever the total. Legality is never a criterion: it
// is the gate, and a gate failure means not passed whatever the score.
//
// Categories. A criterion applies to the categories in AppliesTo (all when
// empty). Criteria that do not apply are neither asked for nor counted, and the
// weights of those that do are renormalised, so a batik cloth is not marked down
// for having no food label and can reach 100 like any food.
package curation
