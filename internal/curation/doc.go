// Package curation is SOP step 4, the internal selection of products by gallery
// staff and the curation expert (Tenaga Ahli Kurasi), as data and pure
// functions: the rubric and its versions, one reviewer's scores, the combined
// result of several reviewers, the legality gate, and the outcome with the
// reasons an SME reads. It has no SQL, no HTTP and no clock: the caller passes
// the time in.
package curation
