package intake

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/audit"
)

// WriteSubjectData writes, as a ZIP, everything Etalase holds about the applicant
// u (UU PDP art. 7: the right to a copy): data.json with the account, the
// business (with the full NIK, since it is theirs), products, applications with
// their history, samples and documents' records, and every document file under
// documents/. The download itself is audited.
func (s *Service) WriteSubjectData(ctx context.Context, u account.User, w io.Writer) error {
	type docOut struct {
		Document
		File string `json:"file"`
	}
	type appOut struct {
		Application
		Products []int64  `json:"product_ids"`
		Events   []Event  `json:"history"`
		Samples  []Sample `json:"samples"`
	}
	out := struct {
		GeneratedAt  time.Time           `json:"generated_at"`
		Account      map[string]any      `json:"account"`
		Business     *applicant.Business `json:"business,omitempty"`
		NIK          string              `json:"nik,omitempty"`
		Products     []applicant.Product `json:"products"`
		Documents    []docOut            `json:"documents"`
		Applications []appOut            `json:"applications"`
	}{
		GeneratedAt: s.DB.Clock(ctx),
		Account: map[string]any{"id": u.ID, "name": u.Name, "email": u.Email, "phone": u.Phone, "role": u.Role,
			"language": u.Lang, "created_at": u.CreatedAt},
		Products: []applicant.Product{}, Documents: []docOut{}, Applications: []appOut{},
	}
	zw := zip.NewWriter(w)
	b, err := s.Applicants.ByOwner(ctx, u.ID)
	switch {
	case errors.Is(err, applicant.ErrNotFound):
	case err != nil:
		return err
	default:
		out.Business = &b
		if out.NIK, err = s.Applicants.RevealNIK(ctx, u, b.ID); err != nil {
			return err
		}
		if out.Products, err = s.Applicants.Products(ctx, b.ID); err != nil {
			return err
		}
		docs, err := s.allDocuments(ctx, b.ID)
		if err != nil {
			return err
		}
		for _, d := range docs {
			name := fmt.Sprintf("documents/%d-%s%s", d.doc.ID, d.doc.Kind, ext(d.doc.ContentType))
			f, err := s.Files.Open(d.key)
			if err != nil {
				return fmt.Errorf("document %d: %w", d.doc.ID, err)
			}
			zf, err := zw.Create(name)
			if err == nil {
				_, err = io.Copy(zf, f)
			}
			f.Close()
			if err != nil {
				return err
			}
			out.Documents = append(out.Documents, docOut{Document: d.doc, File: name})
		}
		apps, err := s.ByBusiness(ctx, b.ID)
		if err != nil {
			return err
		}
		for _, a := range apps {
			ao := appOut{Application: a}
			if ao.Products, err = s.ProductIDs(ctx, a.ID); err != nil {
				return err
			}
			if ao.Events, err = s.Events(ctx, a.ID); err != nil {
				return err
			}
			if ao.Samples, err = s.Samples(ctx, a.ID); err != nil {
				return err
			}
			out.Applications = append(out.Applications, ao)
		}
	}
	zf, err := zw.Create("data.json")
	if err != nil {
		return err
	}
	enc := json.NewEncoder(zf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return audit.Write(ctx, s.DB, "privacy.export", "user", fmt.Sprint(u.ID), "Salinan data pribadi diunduh oleh pemiliknya")
}

type storedDoc struct {
	doc Document
	key string
}

// allDocuments returns every document of a business, replaced ones included.
func (s *Service) allDocuments(ctx context.Context, businessID int64) ([]storedDoc, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT "+docColumns+", d.storage_key FROM documents d JOIN businesses b ON b.id = d.business_id WHERE d.business_id = ? ORDER BY d.id", businessID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storedDoc
	for rows.Next() {
		d, key, err := scanDoc(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, storedDoc{d, key})
	}
	return out, rows.Err()
}

func ext(contentType string) string {
	switch contentType {
	case "application/pdf":
		return ".pdf"
	case "image/png":
		return ".png"
	}
	return ".jpg"
}
