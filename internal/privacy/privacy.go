// Package privacy writes the copy of their personal data a person may ask for
// (UU PDP No. 27/2022 art. 7): one ZIP with data.json and the files held about
// them. Each capability contributes what it holds — the account, the business
// and its NIK, documents and their files, applications and their history,
// samples, and later curation results, sales and settlements — through a
// Contributor registered at wiring time, so a new capability adds its part
// without this package knowing it.
//
// The ZIP is streamed: files go from the store into the response as they are
// read, and data.json, written last, holds everything else. Nothing is built in
// memory beyond the JSON itself.
package privacy

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
)

// Contributor is a capability that holds personal data about people.
type Contributor interface {
	// PersonalData adds to x what the capability holds about u.
	PersonalData(ctx context.Context, u account.User, x *Export) error
}

// Exporter writes exports from the registered contributors.
type Exporter struct {
	DB    *db.DB
	parts []Contributor
}

// Add registers c; contributors are asked in the order registered.
func (e *Exporter) Add(c Contributor) { e.parts = append(e.parts, c) }

// Export is one export being written.
type Export struct {
	zw   *zip.Writer
	data map[string]any
	at   time.Time
}

// Set puts v under key in data.json. Keys are snake_case nouns ("business",
// "documents"); a capability owns its keys.
func (x *Export) Set(key string, v any) { x.data[key] = v }

// File adds a file to the ZIP under name (e.g. "documents/12-ktp.jpg"),
// streaming it from r, and returns the name for data.json to point at.
func (x *Export) File(name string, r io.Reader) (string, error) {
	zf, err := x.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: x.at})
	if err != nil {
		return "", err
	}
	_, err = io.Copy(zf, r)
	return name, err
}

// Write streams u's export to w as a ZIP and audits that it was downloaded. On
// an error part of the ZIP may already be written: the caller must make the
// download fail visibly (abort the response) rather than end it cleanly.
func (e *Exporter) Write(ctx context.Context, u account.User, w io.Writer) error {
	x := &Export{zw: zip.NewWriter(w), data: map[string]any{}, at: e.DB.Clock(ctx)}
	x.Set("generated_at", x.at)
	x.Set("account", map[string]any{"id": u.ID, "name": u.Name, "email": u.Email, "phone": u.Phone, "role": u.Role,
		"language": u.Lang, "created_at": u.CreatedAt})
	for _, c := range e.parts {
		if err := c.PersonalData(ctx, u, x); err != nil {
			return fmt.Errorf("personal data export: %w", err)
		}
	}
	zf, err := x.zw.CreateHeader(&zip.FileHeader{Name: "data.json", Method: zip.Deflate, Modified: x.at})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(zf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(x.data); err != nil {
		return err
	}
	if err := x.zw.Close(); err != nil {
		return err
	}
	return audit.Write(ctx, e.DB, "privacy.export", "user", fmt.Sprint(u.ID), "Salinan data pribadi diunduh oleh pemiliknya")
}
