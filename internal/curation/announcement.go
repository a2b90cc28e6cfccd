package curation

import (
	"context"
	"encoding/json"

	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/sop"
)

// AnnouncedProduct is one product of a round's announcement list: whose it is
// (the business, never the person), and what was decided. Only public facts —
// business name, regency, product, grade — and, for staff, the decision and
// its reasons.
type AnnouncedProduct struct {
	ApplicationID int64  `json:"application_id"`
	Number        string `json:"number"`
	Business      string `json:"business"`
	Regency       string `json:"regency"`
	Product       string `json:"product"`
	Decided       bool   `json:"decided"`
	Passed        bool   `json:"passed"`
	Grade         string `json:"grade,omitempty"`
	Reason        string `json:"-"` // staff only
}

// Announcement lists the products of round roundID's applications (withdrawn
// ones left out) with their decisions and grades, passed first, then by
// business and product: the list staff review before publishing, and — its
// passed rows only — the public announcement.
func (s *Service) Announcement(ctx context.Context, roundID int64) ([]AnnouncedProduct, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT a.id, a.number, b.name, b.regency_code, p.name,
		COALESCE(d.decision, ''), COALESCE(d.reason, ''), COALESCE(r.outcome, '')
		FROM curation_round_applications x
		JOIN applications a ON a.id = x.application_id
		JOIN businesses b ON b.id = a.business_id
		JOIN application_products ap ON ap.application_id = a.id
		JOIN products p ON p.id = ap.product_id
		LEFT JOIN product_decisions d ON d.application_id = a.id AND d.product_id = p.id
		LEFT JOIN curation_results r ON r.application_id = a.id AND r.product_id = p.id
		WHERE x.round_id = ? AND a.state <> ?
		ORDER BY CASE WHEN d.decision = 'passed' THEN 0 ELSE 1 END, b.name, a.id, p.name, p.id`, roundID, string(sop.Withdrawn))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AnnouncedProduct
	for rows.Next() {
		var x AnnouncedProduct
		var regency, decision, outcome string
		if err := rows.Scan(&x.ApplicationID, &x.Number, &x.Business, &regency, &x.Product, &decision, &x.Reason, &outcome); err != nil {
			return nil, err
		}
		if r, ok := idn.Regency(regency); ok {
			x.Regency = r.Name
		}
		x.Decided, x.Passed = decision != "", decision == "passed"
		if outcome != "" {
			var o Outcome
			if err := json.Unmarshal([]byte(outcome), &o); err != nil {
				return nil, err
			}
			x.Grade = o.Grade
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Announced lists the rounds whose results are announced, newest first, at
// most limit: for the public home page.
func (s *Service) Announced(ctx context.Context, limit int) ([]Round, error) {
	return s.rounds(ctx, "SELECT "+roundCols+" FROM curation_rounds r WHERE r.announced_at IS NOT NULL ORDER BY r.announced_at DESC, r.id DESC LIMIT ?", limit)
}
