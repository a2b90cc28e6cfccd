package document

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/privacy"
)

// PersonalData adds the records of every document u uploaded for their
// business, replaced ones too, and the files themselves.
func (s *Service) PersonalData(ctx context.Context, u account.User, x *privacy.Export) error {
	var businessID int64
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT id FROM businesses WHERE owner_id = ?", u.ID).Scan(&businessID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	docs, err := s.All(ctx, businessID)
	if err != nil {
		return err
	}
	type entry struct {
		Document
		File string `json:"file"`
	}
	out := []entry{}
	for _, d := range docs {
		f, err := s.Files.Open(d.storageKey)
		if err != nil {
			return fmt.Errorf("document %d: %w", d.ID, err)
		}
		name, err := x.File(fmt.Sprintf("documents/%d-%s%s", d.ID, d.Kind, Extension(d.ContentType)), f)
		f.Close()
		if err != nil {
			return err
		}
		out = append(out, entry{Document: d, File: name})
	}
	x.Set("documents", out)
	return nil
}

// Extension is the file name extension of a stored content type.
func Extension(contentType string) string {
	switch contentType {
	case TypePDF:
		return ".pdf"
	case TypePNG:
		return ".png"
	}
	return ".jpg"
}
