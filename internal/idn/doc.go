// Package idn reads, checks and writes the Indonesian identifiers and amounts
// Etalase handles: NIK (KTP number), NIB, P-IRT, halal and BPOM numbers, phone
// numbers, Kemendagri region codes, Rupiah amounts and their written form
// (terbilang), and the PP 7/2021 business-size classes.
//
// It is plain Go with no storage or HTTP, so every rule can be tested with a
// table of cases and reused by the web forms, the importers and the API alike.
//
// # Refusals and warnings
//
// Each ParseX function returns the parsed value and an error, and those with
// rules worth only a warning (NIK, P-IRT, halal, BPOM) also a []Problem of
// warnings. The error (always a *Problem, see errors.As) is a refusal: the
// input cannot be that identifier. Warnings are facts that look wrong but must not
// block an applicant, because the real document may still say so: a NIK whose
// date is impossible is still the person's NIK (a NIK never changes), an
// expired P-IRT is still the number printed on the label. Rules that
// DOMAIN.md marks "check" are warnings for that reason.
//
// Every Problem carries a stable Code for programs and a Text in Bahasa
// Indonesia and English for people. Messages never repeat the whole input,
// because a NIK is personal data and errors end up in logs.
package idn
