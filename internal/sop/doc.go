// Package sop is the Office's gallery procedure, SOP 5.7.1 "Fasilitasi Pemasaran
// Produk Melalui Gallery" (Dinas Koperasi dan UKM Provinsi Jawa Timur, 2 February
// 2023), as data and pure functions: the states an application moves through, the
// actions that move it, who may take each action, what must be true first, and the
// time standard (Mutu Baku) of every step.
//
// This comment is the reference of the procedure in Etalase. When the code and this
// comment disagree, one of them is a bug.
//
// The package has no SQL, no HTTP and no clock. A service gathers the facts about an
// application (see Facts), asks Decide whether an action may be taken, and, when
// the answer is a new state, writes the state, a history row (who, when, from, to,
// action, reason), the audit entry and the next step's clock in one transaction.
// A refusal (*Refusal) carries a stable code and a kind message in Bahasa
// Indonesia and English; nothing changes.
//
// # Steps of the seed
//
// The seed numbers its steps 1, 2, 3, 4, 5, 7, 8, 9: there is no step 6, and we keep
// the seed's numbers so staff and reports speak the same language as the paper.
//
//	step  what                                                time standard   clock runs in
//	1     applicant applies; staff check KTP, NIB, P-IRT…     1 working day   submitted
//	2     applicant fills the (offline and) online form       —               draft
//	3     applicant hands over samples and specifications     —               awaiting_sample
//	4     staff and curation expert select products           3 working days  in_curation
//	5     result announced by WhatsApp and e-mail             1 working day   decided
//	7     applicant told missing documents and reasons        1 working day   announced
//	8     SMEs that did not pass referred to other divisions  1 working day   feedback_sent
//	9     stock, price tags, barcodes; products displayed     1 working day   awaiting_display
//
// In Etalase the online form is filled before the application is submitted, so step 2
// happens in the draft, before the clock of step 1 starts. Steps 2 and 3 have no time
// standard in the seed ("—"): they are the applicant's time and no clock runs, but the
// application still shows as waiting on the applicant. Every step belongs to exactly
// one state and every state has at most one step (StepOf, State.Clock).
//
// # States
//
// The values are stored in the database; never rename them.
//
//	draft               applicant (or a clerk, for a walk-in) fills the form; step 2   waiting on applicant
//	submitted           staff check the documents; step 1, 1 day                       waiting on Office
//	documents_returned  staff returned documents with reasons; no clock                waiting on applicant
//	awaiting_sample     documents accepted; samples to hand over; step 3, no clock     waiting on applicant
//	in_curation         samples recorded; products scored; step 4, 3 days              waiting on Office
//	decided             every product passed or not; step 5 (announce), 1 day          waiting on Office
//	announced           announced, some product failed; step 7 (reasons), 1 day        waiting on Office
//	feedback_sent       reasons sent; step 8 (referral), 1 day                         waiting on Office
//	awaiting_display    some product passed, earlier steps done; step 9, 1 day         waiting on Office
//	on_display          terminal: passed products are in the gallery
//	referred            terminal: nothing passed; the SME was referred to other divisions
//	withdrawn           terminal: withdrawn by the applicant or staff, with a reason
//
// There is deliberately no "sample_received" state: recording the samples is the
// record_samples action, which moves awaiting_sample to in_curation and starts the
// three-day curation clock. The history row of that transition is the record that
// the samples were received (and when, and by whom).
//
// An applicant whose application ended in referred or withdrawn applies again with a
// new application; a closed application is never reopened.
//
// # Actions
//
//	action            from                             to                                         by
//	submit            draft, documents_returned        submitted                                  pemohon (owner), staf_galeri (walk-in)
//	return_documents  submitted                        documents_returned                         staf_galeri
//	accept_documents  submitted                        awaiting_sample                            staf_galeri
//	record_samples    awaiting_sample                  in_curation                                staf_galeri
//	decide            in_curation                      decided                                    kurator, staf_galeri
//	announce          decided                          announced if a product failed,
//	                                                   else awaiting_display                      staf_galeri
//	send_feedback     announced                        feedback_sent                              kurator, staf_galeri
//	refer             feedback_sent                    referred if nothing passed,
//	                                                   else awaiting_display                      staf_galeri
//	skip_referral     feedback_sent                    awaiting_display                           staf_galeri
//	display           awaiting_display                 on_display                                 staf_galeri
//	withdraw          draft … awaiting_sample          withdrawn                                  pemohon (owner), staf_galeri
//	withdraw          in_curation … awaiting_display   withdrawn                                  staf_galeri
//
// What each action needs (the guards, checked by Decide in this order):
//
//   - submit: the form is complete, no required document is missing, and (coming
//     back from documents_returned) no document is still in returned status.
//   - return_documents: at least one document is marked returned, each with a reason.
//   - accept_documents: every document is checked and none is marked returned.
//   - record_samples: the application has a product, and every product has its sample
//     recorded.
//   - decide: every product is decided pass / not pass, and every product that did
//     not pass has a reason (the applicant is owed the reason in step 7).
//   - announce: every product is decided and at least one decision exists. A product
//     failed: to announced (steps 7 and 8 follow). All passed: straight to
//     awaiting_display (steps 7 and 8 do not apply).
//   - send_feedback: every product that did not pass has a reason. The curation expert
//     is responsible for step 7 (seed: Tenaga Ahli Kurasi "Ya"); gallery staff may
//     record it on the expert's behalf.
//   - refer: at least one referral to a division is recorded. Nothing passed: to
//     referred (terminal). Something passed: to awaiting_display.
//   - skip_referral: only when at least one product passed (an SME that passed overall
//     need not be referred for its failed products), and with a reason. An SME none
//     of whose products passed must be referred: SOP step 8 is not optional for it.
//   - display: at least one product passed, and every passed product has its stock,
//     price tag and barcode entered.
//   - withdraw: a reason. The applicant may withdraw only before curation starts
//     (draft, submitted, documents_returned, awaiting_sample): once samples are in
//     the Office's hands and experts are at work, the applicant asks the gallery,
//     and gallery staff withdraw it (any non-terminal state).
//
// An applicant (pemohon) acts only on their own application (Facts.ActorIsOwner).
// The Go name of the action "decide" is DecideProducts, beside the function Decide.
//
// # Separation of duties
//
// Only the applicant, gallery staff and the curation expert move an application.
// The system administrator (admin) manages users, the rubric, the calendar and
// settings, and is not a procedure actor: admin may not take any procedure action,
// so that nobody who can change the system can also push an application through it.
// Leadership (pimpinan) reads reports; officers of other divisions (bidang) receive
// referrals and record their follow-up, which does not change the application's
// state. Decide refuses all three with the code sop.role.
//
// # Order of checks
//
// Decide checks, in order: the state and action are known; the actor's role is one
// that takes procedure actions; the application is not closed and the action is
// possible from its state (sop.wrong_state); the role may take this action from this
// state (sop.role); an applicant owns the application (sop.not_owner); the facts are
// sane (no negative counts); then the guards of the action, the first failing one
// giving the refusal.
package sop
