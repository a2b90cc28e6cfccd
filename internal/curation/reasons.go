package curation

import (
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/role"
)

// Reason is one thing an SME is told about a product: a permit missing, a
// criterion below its target, the score below the pass mark. The texts are
// pre-filled in plain words for the curation expert to edit before they go out.
type Reason struct {
	Code      string `json:"code"`                // stable, e.g. "gate.pirt_expired", "criterion.below_target"
	Criterion string `json:"criterion,omitempty"` // the criterion's code, when about one
	Permit    string `json:"permit,omitempty"`    // the permit's document kind, when about one
	// Division is the Office's division that can help (SOP step 8), so a
	// referral can be pre-filled; empty when none.
	Division role.Division `json:"division,omitempty"`
	// Blocking: this alone keeps the product from passing. A reason that does
	// not block is an improvement note.
	Blocking bool      `json:"blocking"`
	Text     i18n.Text `json:"text"`
}
