package applicant

import (
	"context"
	"errors"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/privacy"
)

// PersonalData adds u's business — with the full NIK, since it is theirs —
// and its products to their personal-data export.
func (s *Service) PersonalData(ctx context.Context, u account.User, x *privacy.Export) error {
	b, err := s.ByOwner(ctx, u.ID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	nik, err := s.RevealNIK(ctx, u, b.ID)
	if err != nil {
		return err
	}
	products, err := s.Products(ctx, b.ID)
	if err != nil {
		return err
	}
	x.Set("business", b)
	x.Set("nik", nik)
	x.Set("products", nonNil(products))
	return nil
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}
