package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	appl "github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
)

// A journey that needs data the demo does not have sets it up through the
// services on a fresh data directory, closes it, and then starts the real
// server on that directory.

// journeySetup is the app on a fresh data directory, before the server.
type journeySetup struct {
	t    *testing.T
	Data string
	Ctx  context.Context
	App  *app.App
	d    *db.DB
}

func newJourneySetup(t *testing.T) *journeySetup {
	t.Helper()
	data := t.TempDir()
	ctx := audit.WithActor(context.Background(), audit.System)
	d, err := db.Open(ctx, "", data, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, d, app.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	return &journeySetup{t: t, Data: data, Ctx: ctx, App: a, d: d}
}

// Close ends the setup, so that the server can open the data directory.
func (s *journeySetup) Close() {
	_ = s.App.Shutdown(s.Ctx)
	s.d.Close()
}

func (s *journeySetup) User(name, email string, r role.Role, password string) account.User {
	s.t.Helper()
	u, err := s.App.Accounts.Create(s.Ctx, account.NewUser{Name: name, Email: email, Role: r, Password: password})
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

// SampledApplication takes one business with its products through steps 1–3:
// the KTP, NIB and P-IRT uploaded and accepted, the samples received today
// with production code code. It returns the application and its products.
func (s *journeySetup) SampledApplication(owner, clerk account.User, b appl.BusinessInput, pirt, code string, ps ...appl.ProductInput) (int64, []int64) {
	t, a, ctx := s.t, s.App, s.Ctx
	t.Helper()
	biz, _, err := a.Applicants.Save(ctx, owner, owner.ID, b)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, p := range ps {
		prod, _, err := a.Applicants.SaveProduct(ctx, owner, biz.ID, 0, p)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, prod.ID)
	}
	for kind, number := range map[string]string{"ktp": b.NIK, "nib": b.NIB, "pirt": pirt} {
		if _, _, err := a.Documents.Add(ctx, owner, document.Upload{BusinessID: biz.ID, Kind: kind, Number: number, File: scanOf(t, kind), FileName: kind + ".png"}); err != nil {
			t.Fatal(err)
		}
	}
	ap, err := a.Intake.Submit(ctx, owner, biz.ID, ids)
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := a.Documents.Current(ctx, biz.ID)
	for _, doc := range docs {
		if err := a.Intake.ReviewDocument(ctx, clerk, ap.ID, doc.ID, true, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Applications.Do(ctx, clerk, ap.ID, sop.AcceptDocuments, ""); err != nil {
		t.Fatal(err)
	}
	var samples []intake.SampleInput
	for _, id := range ids {
		samples = append(samples, intake.SampleInput{ProductID: id, Quantity: "3", ExpiryDate: time.Now().AddDate(0, 0, 20).Format("2006-01-02"),
			ProductionCode: code, Condition: "Baik"})
	}
	if _, err := a.Intake.RecordSamples(ctx, clerk, ap.ID, samples); err != nil {
		t.Fatal(err)
	}
	return ap.ID, ids
}

// scanOf is a small stand-in scan, different for each kind.
func scanOf(t *testing.T, kind string) io.Reader {
	img := image.NewRGBA(image.Rect(0, 0, 60, 40))
	for x := range 60 {
		img.Set(x, x%40, color.RGBA{uint8(len(kind) * 40), 30, uint8(kind[0]), 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return &b
}
