package application_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"strings"
	"sync"
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
	"github.com/etalase-id/etalase/internal/settings"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// world is one applicant, Sri, with a complete form, ready to submit, and the
// Office's clerk.
type world struct {
	t       *testing.T
	ctx     context.Context
	d       *db.DB
	app     *app.App
	sri     account.User
	clerk   account.User
	biz     applicant.Business
	product applicant.Product
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, workday.WIB) // Monday
	d.Now = func() time.Time { return now }
	w := &world{t: t, ctx: audit.WithActor(context.Background(), audit.System), d: d, app: apptest.New(t, d)}
	w.sri = w.user("sri@keripik.id", role.Pemohon)
	w.clerk = w.user("siti@galeri.id", role.StafGaleri)
	var err error
	w.biz, _, err = w.app.Applicants.Save(w.ctx, w.sri, w.sri.ID, applicant.BusinessInput{
		Name: "Keripik Tempe Sanan Bu Sri", OwnerName: "Sri Wahyuni", NIK: "3573054107850003", NIB: "9120301234567",
		Address: "Jl. Sanan No. 12", ProvinceCode: "35", RegencyCode: "3573", WhatsApp: "085233100202", Category: "Makanan", Size: "mikro"})
	if err != nil {
		t.Fatal(err)
	}
	w.product, _, err = w.app.Applicants.SaveProduct(w.ctx, w.sri, w.biz.ID, 0, applicant.ProductInput{
		Name: "Keripik Tempe Original 250 g", Category: "Makanan", Composition: "Tempe, minyak, garam", NetContent: "250 g",
		Packaging: "Standing pouch", ShelfLifeDays: "180", Price: "25.000", PIRT: "2063573010234-28"})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) user(email string, r role.Role) account.User {
	w.t.Helper()
	u, err := w.app.Accounts.Create(w.ctx, account.NewUser{Name: strings.Split(email, "@")[0], Email: email, Role: r, Password: "batik tulis madura"})
	if err != nil {
		w.t.Fatal(err)
	}
	return u
}

func (w *world) upload(u account.User, kind, number, reason string) error {
	var b bytes.Buffer
	_ = png.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8)))
	_, _, err := w.app.Documents.Add(w.ctx, u, document.Upload{BusinessID: w.biz.ID, Kind: kind, Number: number, File: &b, FileName: kind + ".png", Reason: reason})
	return err
}

// submitted takes Sri's application to the document check.
func (w *world) submitted() application.Application {
	w.t.Helper()
	a, err := w.app.Applications.CreateDraft(w.ctx, w.sri, w.biz.ID, []int64{w.product.ID}, application.Online)
	if err != nil {
		w.t.Fatal(err)
	}
	for kind, number := range map[string]string{"ktp": "", "nib": "9120301234567", "pirt": "2063573010234-28"} {
		if err := w.upload(w.sri, kind, number, ""); err != nil {
			w.t.Fatal(err)
		}
	}
	if a, err = w.app.Applications.Do(w.ctx, w.sri, a.ID, sop.Submit, ""); err != nil {
		w.t.Fatal(err)
	}
	return a
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

// Eight "create draft" at once for one business — a double tap, two tabs, a
// retried request — leave one open application on both engines, and every
// other caller is told plainly that one is already open.
func TestConcurrentDraftsLeaveOneOpenApplicationOnBothEngines(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = w.app.Applications.CreateDraft(w.ctx, w.sri, w.biz.ID, []int64{w.product.ID}, application.Online)
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch code(err) {
			case "":
				ok++
			case "application.open_exists":
			default:
				t.Errorf("a concurrent draft failed with %v, want the open-application conflict", err)
			}
		}
		apps, err := w.app.Applications.ByBusiness(w.ctx, w.biz.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ok != 1 || len(apps) != 1 {
			t.Fatalf("%d drafts succeeded and %d applications exist, want exactly one", ok, len(apps))
		}
	})
}

// The database's rule of one open application per business (a partial unique
// index) and the procedure's closed states (sop) are the same list, and every
// state sop knows passes the table's CHECK.
func TestOneOpenApplicationIndexMatchesTheProcedure(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		for i, st := range sop.States() {
			err := d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
				// Two applications of the business in state st, and nothing else open.
				if _, err := tx.ExecContext(ctx, "UPDATE applications SET state = 'withdrawn' WHERE business_id = ?", w.biz.ID); err != nil {
					return err
				}
				for j := range 2 {
					if _, err := tx.ExecContext(ctx, `INSERT INTO applications (number, business_id, state, state_since, source, created_at, updated_at)
						VALUES (?, ?, ?, ?, 'online', ?, ?)`, fmt.Sprintf("T-%d-%d", i, j), w.biz.ID, string(st), tx.Now, tx.Now, tx.Now); err != nil {
						return err
					}
				}
				return nil
			})
			switch {
			case db.IsCheckViolation(err):
				t.Errorf("state %s is refused by the applications CHECK", st)
			case st.Terminal() && err != nil:
				t.Errorf("two closed (%s) applications refused: %v", st, err)
			case !st.Terminal() && !db.IsUniqueViolation(err):
				t.Errorf("two open (%s) applications of one business: %v, want a unique violation", st, err)
			}
		}
	})
}

// An engine without a source of the decisions (curation not plugged in): the
// decide action is neither offered nor possible, rather than passing on a zero
// count of undecided products.
func TestAStepWhoseFactsNobodySuppliesIsNeitherOfferedNorTaken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.submitted()
		for _, id := range w.currentDocIDs() {
			if err := w.app.Intake.ReviewDocument(w.ctx, w.clerk, a.ID, id, true, ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.app.Applications.Do(w.ctx, w.clerk, a.ID, sop.AcceptDocuments, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.Intake.RecordSamples(w.ctx, w.clerk, a.ID, []intake.SampleInput{{ProductID: w.product.ID, Quantity: "2", ExpiryDate: "2027-05-01"}}); err != nil {
			t.Fatal(err)
		}
		a, _ = w.app.Applications.Get(w.ctx, a.ID)
		if a.State != sop.InCuration {
			t.Fatalf("state %s, want in curation", a.State)
		}
		eng := application.New(d, w.app.Calendar)
		eng.AddFactSource(w.app.Intake)
		for _, x := range eng.Available(w.clerk, a) {
			if x == sop.DecideProducts {
				t.Fatal("the decide action is offered though no capability supplies the decisions")
			}
		}
		if _, err := eng.Do(w.ctx, w.clerk, a.ID, sop.DecideProducts, ""); code(err) != "application.step_unavailable" {
			t.Fatalf("decide without a decisions source: %v, want step_unavailable", err)
		}
		if got, _ := w.app.Applications.Get(w.ctx, a.ID); got.State != sop.InCuration {
			t.Fatalf("a refused decide moved the application to %s", got.State)
		}
		// A wrong state or role is still named first.
		if _, err := eng.Do(w.ctx, w.sri, a.ID, sop.DecideProducts, ""); code(err) != sop.CodeRole {
			t.Fatalf("the applicant deciding: %v, want %s", err, sop.CodeRole)
		}
	})
}

func (w *world) currentDocIDs() []int64 {
	w.t.Helper()
	docs, err := w.app.Documents.Current(w.ctx, w.biz.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	var ids []int64
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	return ids
}

func TestTwoSourcesForOneFactIsAWiringMistake(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	a := apptest.New(t, d)
	defer func() {
		if recover() == nil {
			t.Fatal("registering a second source for the form facts did not panic")
		}
	}()
	a.Applications.AddFactSource(a.Intake)
}

// While the Office judges an application, what it is judged on stays as it
// was: the applicant cannot change the NIB, the product or the documents; the
// clerk can, with a reason that goes into the application's history.
func TestAnApplicationUnderReviewLocksWhatItIsJudgedOn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.submitted()
		in := applicant.BusinessInput{Name: w.biz.Name, OwnerName: w.biz.OwnerName, NIB: "8120105678901", Address: "Jl. Sanan No. 14",
			ProvinceCode: "35", RegencyCode: "3573", WhatsApp: "085233100202", Category: "Makanan", Size: "mikro"}
		if _, _, err := w.app.Applicants.Save(w.ctx, w.sri, w.sri.ID, in); code(err) != "application.under_review" {
			t.Fatalf("the applicant changing the NIB under review: %v", err)
		}
		if _, _, err := w.app.Applicants.Save(w.ctx, w.sri, w.sri.ID, applicant.BusinessInput{Name: w.biz.Name, OwnerName: w.biz.OwnerName, NIK: "3573054107850003",
			NIB: w.biz.NIB, Address: "Jl. Sanan No. 14", ProvinceCode: "35", RegencyCode: "3573", WhatsApp: "085233100202", Category: "Makanan", Size: "mikro"}); err != nil {
			t.Fatalf("the applicant correcting the address (not judged) under review, retyping the same NIK: %v", err)
		}
		if _, _, err := w.app.Applicants.SaveProduct(w.ctx, w.sri, w.biz.ID, w.product.ID, applicant.ProductInput{Name: w.product.Name, Price: "30.000"}); code(err) != "application.under_review" {
			t.Fatalf("the applicant raising the price under review: %v", err)
		}
		if err := w.upload(w.sri, "halal", "", ""); code(err) != "application.under_review" {
			t.Fatalf("the applicant uploading under review: %v", err)
		}
		// The clerk must say why.
		if _, _, err := w.app.Applicants.Save(w.ctx, w.clerk, w.sri.ID, in); code(err) != "application.amend_reason" {
			t.Fatalf("the clerk changing the NIB without a reason: %v", err)
		}
		in.Reason = "NIB salah ketik, dibetulkan sesuai lembar OSS yang dibawa pemohon"
		b, _, err := w.app.Applicants.Save(w.ctx, w.clerk, w.sri.ID, in)
		if err != nil || b.NIB != "8120105678901" {
			t.Fatalf("the clerk changing the NIB with a reason: %+v %v", b, err)
		}
		events, _ := w.app.Applications.Events(w.ctx, a.ID)
		last := events[len(events)-1]
		if last.Action != application.EventAmend || !strings.Contains(last.Reason, "NIB: NIB salah ketik") || last.To != sop.Submitted {
			t.Fatalf("the history's last line is %+v, want the amendment naming NIB and the reason", last)
		}
		// The amendment is a note, not a move: step 1's clock is untouched.
		got, _ := w.app.Applications.Get(w.ctx, a.ID)
		if got.State != sop.Submitted || got.DueAt == nil || !got.DueAt.Equal(*a.DueAt) {
			t.Fatalf("after the amendment: %+v", got)
		}
		// A product not in the application is not judged: free to change.
		p2, _, err := w.app.Applicants.SaveProduct(w.ctx, w.sri, w.biz.ID, 0, applicant.ProductInput{Name: "Keripik Tempe Pedas 200 g"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.app.Applicants.SaveProduct(w.ctx, w.sri, w.biz.ID, p2.ID, applicant.ProductInput{Name: "Keripik Tempe Pedas 200 g", Price: "23.000"}); err != nil {
			t.Fatalf("changing a product outside the application: %v", err)
		}
	})
}

// A walk-in registration is one step: when the business cannot be saved, no
// account is left behind without its business.
func TestAWalkInWhoseBusinessIsRefusedLeavesNoAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		_, err := w.app.Intake.RegisterWalkIn(w.ctx, w.clerk, intake.WalkIn{Name: "Bu Lilik", Phone: "081233344455", Business: strings.Repeat("Dapur Lilik ", 30)})
		if e, ok := apperr.As(err); !ok || e.Kind != apperr.Invalid || len(e.Fields) == 0 || e.Fields[0].Name != "business" {
			t.Fatalf("a 360-character business name: %v, want a problem at the business field", err)
		}
		if _, err := w.app.Accounts.ByLogin(w.ctx, "081233344455"); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("the account was created anyway: %v", err)
		}
		r, err := w.app.Intake.RegisterWalkIn(w.ctx, w.clerk, intake.WalkIn{Name: "Bu Lilik", Phone: "081233344455", Business: "Dapur Lilik"})
		if err != nil || r.Business.Name != "Dapur Lilik" || r.Business.OwnerID != r.User.ID || r.Password == "" {
			t.Fatalf("walk-in: %+v %v", r, err)
		}
		if _, err := w.app.Intake.RegisterWalkIn(w.ctx, w.sri, intake.WalkIn{Name: "X", Phone: "081233344466", Business: "Y"}); !apperr.IsKind(err, apperr.Forbidden) {
			t.Fatalf("an applicant registering walk-ins: %v", err)
		}
	})
}

// A double tap on a slow phone — or a retried request — sends the same new
// product, or the same file, twice at once: one product and one document
// come of it, on both engines.
func TestADoubleTapMakesOneProductAndOneDocument(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		var wg sync.WaitGroup
		ids := make([]int64, 4)
		for i := range ids {
			wg.Go(func() {
				p, _, err := w.app.Applicants.SaveProduct(w.ctx, w.sri, w.biz.ID, 0, applicant.ProductInput{Name: "Keripik Tempe Pedas 200 g", Price: "23.000"})
				if err != nil {
					t.Errorf("tap %d: %v", i, err)
				}
				ids[i] = p.ID
			})
		}
		wg.Wait()
		products, _ := w.app.Applicants.Products(w.ctx, w.biz.ID)
		if len(products) != 2 || ids[0] != ids[1] || ids[1] != ids[2] || ids[2] != ids[3] {
			t.Fatalf("four taps made %d products (ids %v), want the one product besides the first", len(products), ids)
		}
		for range 2 {
			wg.Go(func() {
				if err := w.upload(w.sri, "halal", "", ""); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		docs, _ := w.app.Documents.All(w.ctx, w.biz.ID)
		if len(docs) != 1 {
			t.Fatalf("two taps on one upload made %d document rows, want 1", len(docs))
		}
		// A different product of another name is of course a new one.
		if _, _, err := w.app.Applicants.SaveProduct(w.ctx, w.sri, w.biz.ID, 0, applicant.ProductInput{Name: "Keripik Tempe Balado 200 g"}); err != nil {
			t.Fatal(err)
		}
		if products, _ := w.app.Applicants.Products(w.ctx, w.biz.ID); len(products) != 3 {
			t.Fatalf("%d products, want 3", len(products))
		}
	})
}

// One business may keep only so many files: past the admin's limit an upload
// is refused at the file field, and nothing is stored.
func TestAnUploadPastTheQuotaIsRefusedAndNothingIsStored(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		if err := w.app.Settings.Set(w.ctx, settings.DocumentMaxFiles, "2", 0); err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"ktp", "nib"} {
			if err := w.upload(w.sri, kind, "", ""); err != nil {
				t.Fatal(err)
			}
		}
		err := w.upload(w.sri, "halal", "", "")
		if e, ok := apperr.As(err); !ok || e.Code != "document.quota" || len(e.Fields) != 1 || e.Fields[0].Name != "file" || !strings.Contains(e.Text.ID, "2 berkas") {
			t.Fatalf("the third upload: %v, want the quota refusal at the file field", err)
		}
		if docs, _ := w.app.Documents.All(w.ctx, w.biz.ID); len(docs) != 2 {
			t.Fatalf("%d documents after the refusal, want 2", len(docs))
		}
	})
}
