package application

import (
	"context"
	"database/sql"
	"errors"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/privacy"
)

// PersonalData adds u's applications, each with its products and history.
func (s *Service) PersonalData(ctx context.Context, u account.User, x *privacy.Export) error {
	var businessID int64
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT id FROM businesses WHERE owner_id = ?", u.ID).Scan(&businessID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	apps, err := s.ByBusiness(ctx, businessID)
	if err != nil {
		return err
	}
	type entry struct {
		Application
		Products []int64 `json:"product_ids"`
		History  []Event `json:"history"`
	}
	out := []entry{}
	for _, a := range apps {
		e := entry{Application: a}
		if e.Products, err = s.ProductIDs(ctx, a.ID); err != nil {
			return err
		}
		if e.History, err = s.Events(ctx, a.ID); err != nil {
			return err
		}
		out = append(out, e)
	}
	x.Set("applications", out)
	return nil
}
