package intake_test

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// world is a database with the people of one application.
type world struct {
	t       *testing.T
	ctx     context.Context
	d       *db.DB
	app     *app.App
	svc     *intake.Service
	clock   *time.Time
	owner   account.User // Sri, who sells keripik tempe in Malang
	other   account.User // another applicant
	clerk   account.User
	curator account.User
	admin   account.User
	biz     applicant.Business
	product applicant.Product
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	ctx := context.Background()
	// Monday 2 November 2026, 09:00 WIB.
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, workday.WIB)
	w := &world{t: t, ctx: ctx, d: d, clock: &now}
	d.Now = func() time.Time { return *w.clock }
	w.app = apptest.New(t, d)
	w.svc = w.app.Intake
	accts := w.app.Accounts
	mk := func(email string, r role.Role) account.User {
		u, err := accts.Create(ctx, account.NewUser{Name: strings.Split(email, "@")[0], Email: email, Role: r, Password: "batik tulis madura"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.owner, w.other = mk("sri@keripik.id", role.Pemohon), mk("kholil@batik.id", role.Pemohon)
	w.clerk, w.curator, w.admin = mk("siti@galeri.id", role.StafGaleri), mk("bambang@galeri.id", role.Kurator), mk("admin@galeri.id", role.Admin)
	apps := w.app.Applicants
	var err error
	w.biz, _, err = apps.Save(ctx, w.owner, w.owner.ID, applicant.BusinessInput{
		Name: "Keripik Tempe Sanan Bu Sri", OwnerName: "Sri Wahyuni", NIK: "3573054107850003", NIB: "9120301234567",
		Address: "Jl. Sanan No. 12, Purwantoro, Blimbing", ProvinceCode: "35", RegencyCode: "3573", WhatsApp: "085233100202",
		Category: "Makanan", Size: "mikro", YearStarted: "2015",
	})
	if err != nil {
		t.Fatal(err)
	}
	w.product, _, err = apps.SaveProduct(ctx, w.owner, w.biz.ID, 0, applicant.ProductInput{
		Name: "Keripik Tempe Original 250 g", Category: "Makanan", Composition: "Tempe, minyak kelapa sawit, tepung beras, bawang putih, garam",
		NetContent: "250 g", Packaging: "Standing pouch plastik", ShelfLifeDays: "180", Price: "Rp 25.000", CapacityPerMonth: "800",
		PIRT: "2063573010234-28",
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// scans counts the stand-in scans made, so each one differs: the same file
// twice in a row is taken for a double tap.
var scans atomic.Int32

func pngFile(t *testing.T) io.Reader {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	n := uint8(scans.Add(1))
	for x := range 40 {
		img.Set(x, x%30, color.RGBA{200, 30, n, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return &b
}

func (w *world) upload(u account.User, kind, number string) document.Document {
	w.t.Helper()
	d, _, err := w.app.Documents.Add(w.ctx, u, document.Upload{BusinessID: w.biz.ID, Kind: kind, Number: number, File: pngFile(w.t), FileName: kind + ".png"})
	if err != nil {
		w.t.Fatalf("upload %s: %v", kind, err)
	}
	return d
}

func (w *world) draft() application.Application {
	w.t.Helper()
	a, err := w.app.Applications.CreateDraft(w.ctx, w.owner, w.biz.ID, []int64{w.product.ID}, application.Online)
	if err != nil {
		w.t.Fatal(err)
	}
	return a
}

func (w *world) do(u account.User, a application.Application, act sop.Action, reason string) (application.Application, error) {
	return w.app.Applications.Do(w.ctx, u, a.ID, act, reason)
}

func code(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	if err != nil {
		return "untyped: " + err.Error()
	}
	return ""
}

func TestApplicationGoesFromDraftThroughDocumentCheckToCurationWithItsClocks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.draft()
		if a.State != sop.Draft || !strings.HasPrefix(a.Number, "GAL-2026-") || a.DueAt != nil {
			t.Fatalf("draft %+v", a)
		}
		// Submitting without documents is refused, naming them, and changes nothing.
		_, err := w.do(w.owner, a, sop.Submit, "")
		if code(err) != sop.CodeDocumentsMissing {
			t.Fatalf("submit without documents: %v", err)
		}
		if e, _ := apperr.As(err); !strings.Contains(e.Text.ID, "KTP") || !strings.Contains(e.Text.ID, "NIB") {
			t.Fatalf("the refusal should name KTP and NIB: %q", e.Text.ID)
		}
		ktp := w.upload(w.owner, "ktp", "3573054107850003")
		if ktp.Number != "3573********0003" {
			t.Fatalf("the KTP's number must be kept masked, got %q", ktp.Number)
		}
		nib := w.upload(w.owner, "nib", "9120301234567")
		w.upload(w.owner, "pirt", "P-IRT No. 2063573010234-28")

		a, err = w.do(w.owner, a, sop.Submit, "")
		if err != nil {
			t.Fatal(err)
		}
		// Monday 09:00 + 1 working day: due at the end of Tuesday 3 November WIB.
		if a.State != sop.Submitted || a.Step != 1 || a.DueAt == nil || workday.DateOf(*a.DueAt).String() != "2026-11-03" {
			t.Fatalf("after submit: %+v due %v", a, a.DueAt)
		}
		if _, err := w.do(w.owner, a, sop.Submit, ""); code(err) != sop.CodeWrongState {
			t.Fatalf("submitting twice: %v", err)
		}
		// A clerk cannot accept before every document is checked.
		if _, err := w.do(w.clerk, a, sop.AcceptDocuments, ""); code(err) != sop.CodeUnchecked {
			t.Fatalf("accept with unchecked documents: %v", err)
		}
		if err := w.svc.ReviewDocument(w.ctx, w.clerk, a.ID, nib.ID, false, ""); code(err) != "document.reason" {
			t.Fatalf("returning without a reason: %v", err)
		}
		if err := w.svc.ReviewDocument(w.ctx, w.clerk, a.ID, nib.ID, false, "Foto NIB buram, nomor tidak terbaca. Mohon unggah ulang hasil cetak OSS."); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.ReviewDocument(w.ctx, w.curator, a.ID, ktp.ID, true, ""); code(err) != "document.review_role" {
			t.Fatalf("a curator checking documents: %v", err)
		}
		a, err = w.do(w.clerk, a, sop.ReturnDocuments, "")
		if err != nil || a.State != sop.DocumentsReturned || a.DueAt != nil {
			t.Fatalf("return: %+v %v", a, err)
		}
		// The applicant replaces the NIB and submits again; the new NIB is pending.
		*w.clock = w.clock.Add(26 * time.Hour)
		if _, err := w.do(w.owner, a, sop.Submit, ""); code(err) != sop.CodeStillReturned {
			t.Fatalf("resubmitting with the returned NIB still there: %v", err)
		}
		w.upload(w.owner, "nib", "9120301234567")
		a, err = w.do(w.owner, a, sop.Submit, "")
		if err != nil {
			t.Fatal(err)
		}
		// The Office's 1-day clock restarts at the resubmission (Tuesday 11:00); the
		// clerk only gets to it on Thursday: step 1 is late.
		*w.clock = w.clock.Add(48 * time.Hour)
		docs, _ := w.app.Documents.Current(w.ctx, w.biz.ID)
		for _, doc := range docs {
			if err := w.svc.ReviewDocument(w.ctx, w.clerk, a.ID, doc.ID, true, ""); err != nil {
				t.Fatal(err)
			}
		}
		a, err = w.do(w.clerk, a, sop.AcceptDocuments, "")
		if err != nil || a.State != sop.AwaitingSample || a.DueAt != nil {
			t.Fatalf("accept: %+v %v", a, err)
		}
		// Samples: an expired sample is refused and nothing moves.
		if _, err := w.svc.RecordSamples(w.ctx, w.clerk, a.ID, []intake.SampleInput{{ProductID: w.product.ID, Quantity: "3", ExpiryDate: "2026-10-01"}}); code(err) != "form.invalid" {
			t.Fatalf("expired sample: %v", err)
		}
		if got, _ := w.app.Applications.Get(w.ctx, a.ID); got.State != sop.AwaitingSample {
			t.Fatalf("a refused sample moved the application to %s", got.State)
		}
		rc, err := w.svc.RecordSamples(w.ctx, w.clerk, a.ID, []intake.SampleInput{{ProductID: w.product.ID, Quantity: "3", ExpiryDate: "2027-04-30", ProductionCode: "KT-2610-07", Condition: "Baik, segel utuh"}})
		if err != nil || !strings.HasPrefix(rc.Number, "TTS-2026-") {
			t.Fatalf("samples: %+v %v", rc, err)
		}
		a, _ = w.app.Applications.Get(w.ctx, a.ID)
		// Thursday 5 Nov 11:00 + 3 working days: due at the end of Tuesday 10 November.
		if a.State != sop.InCuration || a.Step != 4 || workday.DateOf(*a.DueAt).String() != "2026-11-10" {
			t.Fatalf("in curation: %+v due %v", a, a.DueAt)
		}
		tl, err := w.app.Applications.Timeline(w.ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		status := map[int]string{}
		for _, s := range tl.Steps {
			status[s.Step.Number] = s.Status
		}
		if status[1] != "done" || status[3] != "done" || status[4] != "current" || status[5] != "upcoming" {
			t.Fatalf("timeline statuses %v", status)
		}
		if tl.Steps[0].Late != true {
			t.Fatalf("step 1 took from Tuesday to Thursday against a 1-day standard: it should be late: %+v", tl.Steps[0])
		}
		if tl.Steps[0].WorkDays != 2 {
			t.Fatalf("step 1 took 2 working days, timeline says %d", tl.Steps[0].WorkDays)
		}
		events, _ := w.app.Applications.Events(w.ctx, a.ID)
		var acts []string
		for _, e := range events {
			acts = append(acts, e.Action)
		}
		if strings.Join(acts, ",") != "create,submit,return_documents,submit,accept_documents,record_samples" {
			t.Fatalf("history %v", acts)
		}
	})
}

func TestOtherApplicantsCannotSeeOrActAndAreAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.draft()
		ktp := w.upload(w.owner, "ktp", "")
		if _, err := w.app.Applications.GetFor(w.ctx, w.other, a.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("another applicant reading the application: %v, want not found", err)
		}
		if _, err := w.do(w.other, a, sop.Withdraw, "iseng"); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("another applicant withdrawing: %v", err)
		}
		if _, _, err := w.app.Documents.Open(w.ctx, w.other, ktp.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("another applicant opening the KTP: %v", err)
		}
		// A curation expert is told nothing of a KTP (404), like an applicant.
		if _, _, err := w.app.Documents.Open(w.ctx, w.curator, ktp.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("the curator opening the KTP: %v", err)
		}
		if _, _, err := w.app.Documents.Open(w.ctx, w.admin, ktp.ID); !apperr.IsKind(err, apperr.Forbidden) {
			t.Fatalf("the admin opening the KTP: %v", err)
		}
		for _, u := range []account.User{w.owner, w.clerk} {
			_, f, err := w.app.Documents.Open(w.ctx, u, ktp.ID)
			if err != nil {
				t.Fatalf("%s opening the KTP: %v", u.Role, err)
			}
			b, _ := io.ReadAll(f)
			f.Close()
			if _, err := png.Decode(bytes.NewReader(b)); err != nil {
				t.Fatalf("the stored KTP is not the PNG uploaded: %v", err)
			}
		}
		denied, _ := audit.List(w.ctx, d, audit.Filter{Action: "access.denied"})
		viewed, _ := audit.List(w.ctx, d, audit.Filter{Action: "document.view"})
		if len(denied) != 5 || len(viewed) != 2 {
			t.Fatalf("audit: %d denials, %d views; want 5 and 2", len(denied), len(viewed))
		}
	})
}

func TestAdminIsNotAProcedureActorAndApplicantMayWithdrawOnlyBeforeCuration(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.draft()
		if _, err := w.do(w.admin, a, sop.Submit, ""); !apperr.IsKind(err, apperr.NotFound) && !apperr.IsKind(err, apperr.Forbidden) {
			t.Fatalf("admin submitting: %v", err)
		}
		if _, err := w.do(w.owner, a, sop.Withdraw, " "); code(err) != sop.CodeReasonRequired {
			t.Fatalf("withdrawing without a reason: %v", err)
		}
		a, err := w.do(w.owner, a, sop.Withdraw, "Produk sedang diperbaiki kemasannya")
		if err != nil || a.State != sop.Withdrawn {
			t.Fatalf("withdraw: %+v %v", a, err)
		}
		// A new application may start once the old one is closed.
		if _, err := w.app.Applications.CreateDraft(w.ctx, w.owner, w.biz.ID, []int64{w.product.ID}, application.Online); err != nil {
			t.Fatalf("new application after withdrawal: %v", err)
		}
		if _, err := w.app.Applications.CreateDraft(w.ctx, w.owner, w.biz.ID, []int64{w.product.ID}, application.Online); code(err) != "application.open_exists" {
			t.Fatalf("second open application: %v", err)
		}
	})
}

func TestDueListShowsLateAndDueTodayFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.draft()
		w.upload(w.owner, "ktp", "")
		w.upload(w.owner, "nib", "9120301234567")
		w.upload(w.owner, "pirt", "2063573010234-28")
		if _, err := w.do(w.owner, a, sop.Submit, ""); err != nil {
			t.Fatal(err)
		}
		check := func(at time.Time, want workday.Status) {
			t.Helper()
			*w.clock = at
			p, err := w.app.Applications.DueList(w.ctx, application.DueFilter{})
			items := p.Items
			if want == workday.OnTrack {
				// Due tomorrow: not on the list of what is due today or late.
				if err != nil || len(items) != 0 {
					t.Fatalf("at %v: %+v %v, want nothing due", at, items, err)
				}
				return
			}
			if err != nil || len(items) != 1 || items[0].Status != want || items[0].Step.Number != 1 {
				t.Fatalf("at %v: %+v %v, want one item %s", at, items, err, want)
			}
		}
		check(time.Date(2026, 11, 2, 15, 0, 0, 0, workday.WIB), workday.OnTrack)
		check(time.Date(2026, 11, 3, 8, 0, 0, 0, workday.WIB), workday.DueToday)
		check(time.Date(2026, 11, 4, 8, 0, 0, 0, workday.WIB), workday.Late)
	})
}

func TestApplicantDownloadsEverythingHeldAboutThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		w.draft()
		w.upload(w.owner, "ktp", "3573054107850003")
		w.upload(w.owner, "ktp", "3573054107850003") // a replaced scan is theirs too
		var buf bytes.Buffer
		if err := w.app.Privacy.Write(w.ctx, w.owner, &buf); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		var data string
		for _, f := range zr.File {
			names[f.Name] = true
			if f.Name == "data.json" {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				data = string(b)
			}
		}
		if len(names) != 3 {
			t.Fatalf("zip holds %v, want data.json and two KTP scans", names)
		}
		for _, want := range []string{`"nik": "3573054107850003"`, "Keripik Tempe Sanan Bu Sri", "Keripik Tempe Original 250 g", `"number": "GAL-2026-`, `"name": "sri"`} {
			if !strings.Contains(data, want) {
				t.Errorf("data.json lacks %s", want)
			}
		}
		if got, _ := audit.List(w.ctx, d, audit.Filter{Action: "privacy.export"}); len(got) != 1 {
			t.Fatalf("the download was not audited: %v", got)
		}
		// Another applicant's copy holds nothing of Sri's.
		buf.Reset()
		if err := w.app.Privacy.Write(w.ctx, w.other, &buf); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), "Keripik") {
			t.Fatal("another applicant's export contains Sri's business")
		}
	})
}
