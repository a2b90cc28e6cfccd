package intake

import (
	"context"
	"errors"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/privacy"
)

// PersonalData adds the samples u handed over, by application number.
func (s *Service) PersonalData(ctx context.Context, u account.User, x *privacy.Export) error {
	b, err := s.Applicants.ByOwner(ctx, u.ID)
	if errors.Is(err, applicant.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	apps, err := s.Applications.ByBusiness(ctx, b.ID)
	if err != nil {
		return err
	}
	out := map[string][]Sample{}
	for _, a := range apps {
		samples, err := s.Samples(ctx, a.ID)
		if err != nil {
			return err
		}
		if len(samples) > 0 {
			out[a.Number] = samples
		}
	}
	x.Set("samples", out)
	return nil
}
