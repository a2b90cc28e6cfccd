package curation

import (
	"fmt"

	"github.com/etalase-id/etalase/internal/apperr"
)

// Level is how strictly the gate treats a permit the law does not (yet) demand
// of every product, or that the Office chooses to ask for.
type Level string

const (
	Off     Level = "off"     // not looked at
	Warn    Level = "warn"    // missing: a warning for the SME, the product may still pass
	Require Level = "require" // missing: the gate fails
)

// Levels lists the levels in the order a settings form offers them.
var Levels = []Level{Off, Warn, Require}

// GateSettings are the rubric's choices for the legality gate. What the law
// requires (P-IRT or BPOM MD for food and drink, BPOM MD and SNI for the food
// types that need them) is not a setting.
type GateSettings struct {
	// Halal is the level once halal certification is mandatory for the product's
	// business (food and drink; micro and small businesses from 17 October 2026).
	// Before that date a missing certificate is always only a warning.
	Halal Level `json:"halal"`
	// Trademark is the level for a registered trademark (HKI).
	Trademark Level `json:"trademark"`
}

func (s GateSettings) validate(f *apperr.Form) {
	for _, x := range []struct {
		field, id, en string
		l             Level
	}{{"gate.halal", "sertifikat halal", "the halal certificate", s.Halal}, {"gate.trademark", "merek (HKI)", "the trademark (IP)", s.Trademark}} {
		switch x.l {
		case Off, Warn, Require:
		default:
			f.Addf(x.field, fmt.Sprintf("Pilih cara pemeriksaan %s: %q, %q atau %q.", x.id, Off, Warn, Require),
				fmt.Sprintf("Choose how %s is checked: %q, %q or %q.", x.en, Off, Warn, Require))
		}
	}
}
