// Package intake is SOP steps 1–3 as they plug into the procedure engine
// (internal/application): the completeness of the online form, the documents
// an application needs and the clerk's check of each, the samples handed over,
// and the walk-in applicant at the desk.
//
// It is the engine's source of the form, document and sample facts, and it
// hooks into every transition to send returned documents back to the check
// when an application is submitted again.
package intake

import (
	"context"
	"fmt"
	"strings"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
)

// Service runs intake.
type Service struct {
	DB           *db.DB
	Accounts     *account.Service
	Applications *application.Service
	Applicants   *applicant.Service
	Documents    *document.Service
}

// Provides names the facts intake fills for the engine.
func (s *Service) Provides() []sop.Fact {
	return []sop.Fact{sop.FactForm, sop.FactDocuments, sop.FactSamples}
}

// RequiredDocuments returns the documents an application with these products
// needs (SOP step 1: KTP, NIB, P-IRT). The P-IRT is needed when a food or drink
// product has no BPOM number: packaged food sold in the gallery needs one or
// the other; a batik cloth needs neither.
func RequiredDocuments(products []applicant.Product) []string {
	required := []string{"ktp", "nib"}
	for _, p := range products {
		if applicant.IsFood(p.Category) && p.BPOM == "" {
			return append(required, "pirt")
		}
	}
	return required
}

// Lacking is what a submission still lacks: fields of the form and required
// documents, each named and with the field it is, so a page can link to it.
type Lacking struct {
	Form      []sop.Missing
	Documents []sop.Missing
}

// Empty reports whether nothing is lacking.
func (l Lacking) Empty() bool { return len(l.Form) == 0 && len(l.Documents) == 0 }

// Lacking says what an application of the business with these products would
// still lack: the profile's fields, the products' fields (following their
// category), and the documents they need that were not uploaded.
func (s *Service) Lacking(ctx context.Context, businessID int64, products []applicant.Product) (Lacking, error) {
	var l Lacking
	b, err := s.Applicants.Get(ctx, businessID)
	if err != nil {
		return l, err
	}
	hasNIK, err := s.Applicants.HasNIK(ctx, b.ID)
	if err != nil {
		return l, err
	}
	l.Form = applicant.Completeness(b, hasNIK)
	if len(products) == 0 {
		l.Form = append(l.Form, sop.Missing{Field: "products", Name: i18n.Text{ID: "minimal satu produk", EN: "at least one product"}})
	}
	for _, p := range products {
		if m, ok := p.Missing(); ok {
			l.Form = append(l.Form, m)
		}
	}
	docs, err := s.Documents.Current(ctx, businessID)
	if err != nil {
		return l, err
	}
	have := map[string]bool{}
	for _, d := range docs {
		have[d.Kind] = true
	}
	for _, k := range RequiredDocuments(products) {
		if !have[k] {
			l.Documents = append(l.Documents, sop.Missing{Field: "document." + k, Name: document.Label(k)})
		}
	}
	return l, nil
}

// FillFacts counts, for the engine, what the form, the documents and the
// samples of application a lack.
func (s *Service) FillFacts(ctx context.Context, a application.Application, f *sop.Facts) error {
	ids, err := s.Applications.ProductIDs(ctx, a.ID)
	if err != nil {
		return err
	}
	products, err := s.Applicants.ProductsByID(ctx, a.BusinessID, ids)
	if err != nil {
		return err
	}
	l, err := s.Lacking(ctx, a.BusinessID, products)
	if err != nil {
		return err
	}
	f.FormIncomplete, f.MissingDocuments = l.Form, l.Documents
	docs, err := s.Documents.Current(ctx, a.BusinessID)
	if err != nil {
		return err
	}
	for _, d := range docs {
		switch d.Status {
		case document.Pending:
			f.DocumentsUnchecked++
		case document.Returned:
			f.DocumentsReturned++
			f.DocumentsStillReturned++
			if strings.TrimSpace(d.ReviewReason) == "" {
				f.ReturnedWithoutReason++
			}
		}
	}
	var withSample int
	if err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM application_products ap
		JOIN samples sm ON sm.application_id = ap.application_id AND sm.product_id = ap.product_id WHERE ap.application_id = ?`, a.ID).Scan(&withSample); err != nil {
		return err
	}
	f.ProductsWithoutSample = len(ids) - withSample
	return nil
}

// Submit is the applicant's one step "Ajukan permohonan": the business's open
// draft (made now if there is none) takes the chosen products and is
// submitted. When the submission is refused — the form or a document is not
// complete — the draft stays, with its products, and the refusal says what to
// complete.
func (s *Service) Submit(ctx context.Context, u account.User, businessID int64, productIDs []int64) (application.Application, error) {
	a, open, err := s.Applications.Open(ctx, businessID)
	if err != nil {
		return a, err
	}
	switch {
	case !open:
		src := application.Online
		if u.Role == role.StafGaleri {
			src = application.Desk
		}
		if a, err = s.Applications.CreateDraft(ctx, u, businessID, productIDs, src); err != nil {
			return a, err
		}
	case a.Editable():
		if err := s.Applications.SetProducts(ctx, u, a.ID, productIDs); err != nil {
			return a, err
		}
	}
	// Under review already (a second tap, an old tab): Do says so in words.
	return s.Applications.Do(ctx, u, a.ID, sop.Submit, "")
}

// OnTransition sends every returned document back to the clerk's check when
// the application is submitted again: the applicant has corrected them.
func (s *Service) OnTransition(ctx context.Context, tx *db.Tx, m application.Moved) error {
	if m.Action == sop.Submit {
		return s.Documents.ReturnToCheck(ctx, tx, m.App.BusinessID)
	}
	return nil
}

// WalkIn is a walk-in applicant as the clerk types them at the desk.
type WalkIn struct {
	Name, Email, Phone string
	Business           string // the business's name
	Lang               i18n.Lang
}

// Registered is a walk-in applicant's new account and business, with the
// one-time password to hand over.
type Registered struct {
	User     account.User
	Business applicant.Business
	Password string
}

var errDeskOnly = apperr.New(apperr.Forbidden, "intake.desk_only", "Hanya petugas galeri yang mendaftarkan pemohon di loket.", "Only gallery staff register applicants at the desk.")

// RegisterWalkIn opens an account for a walk-in applicant (with a one-time
// password, so they can follow the application on their phone) and their
// business, in one transaction: either both exist afterwards, or neither.
func (s *Service) RegisterWalkIn(ctx context.Context, clerk account.User, in WalkIn) (Registered, error) {
	if !policy.RegistersApplicants(clerk) {
		return Registered{}, errDeskOnly
	}
	r := Registered{Password: account.NewOneTimePassword()}
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var err error
		r.User, err = s.Accounts.Create(ctx, account.NewUser{Name: in.Name, Email: in.Email, Phone: in.Phone,
			Role: role.Pemohon, Password: r.Password, MustChangePassword: true, Lang: in.Lang})
		if apperr.IsKind(err, apperr.Conflict) {
			return s.alreadyRegistered(ctx, in, err)
		}
		if err != nil {
			return err
		}
		r.Business, _, err = s.Applicants.Save(ctx, clerk, r.User.ID, applicant.BusinessInput{Name: in.Business, OwnerName: r.User.Name,
			WhatsApp: r.User.Phone, Email: r.User.Email, ProvinceCode: idn.EastJava})
		if e, ok := apperr.As(err); ok {
			// The business's problems are shown at the desk form's business field.
			for i := range e.Fields {
				if e.Fields[i].Name == "name" {
					e.Fields[i].Name = "business"
				}
			}
		}
		return err
	})
	return r, err
}

// AlreadyRegistered is the desk's answer when the walk-in's phone or e-mail
// belongs to an account already: the clerk is told whose, and can open it,
// instead of the applicant's "sign in, or use another number".
type AlreadyRegistered struct {
	Refusal    *apperr.Error // what the clerk reads, at the phone or e-mail field
	User       account.User
	BusinessID int64 // 0 when the account has no business yet
}

func (e *AlreadyRegistered) Error() string { return e.Refusal.Error() }
func (e *AlreadyRegistered) Unwrap() error { return e.Refusal }

func (s *Service) alreadyRegistered(ctx context.Context, in WalkIn, cause error) error {
	for _, login := range []string{in.Phone, in.Email} {
		if strings.TrimSpace(login) == "" {
			continue
		}
		u, err := s.Accounts.ByLogin(ctx, login)
		if err != nil {
			continue
		}
		field := "phone"
		if login == in.Email {
			field = "email"
		}
		t := i18n.Text{
			ID: fmt.Sprintf("Sudah terdaftar atas nama %s (%s). Buka akunnya daripada membuat yang baru.", u.Name, u.Login()),
			EN: fmt.Sprintf("Already registered to %s (%s). Open that account instead of making a new one.", u.Name, u.Login()),
		}
		e := &AlreadyRegistered{Refusal: &apperr.Error{Kind: apperr.Conflict, Code: "intake.already_registered", Text: t,
			Fields: []apperr.Field{{Name: field, Text: t}}, Err: cause}, User: u}
		if b, err := s.Applicants.ByOwner(ctx, u.ID); err == nil {
			e.BusinessID = b.ID
		}
		return e
	}
	return cause
}

var (
	errNoApplicant = apperr.InvalidField("intake.no_applicant", "login", i18n.Text{
		ID: "Tidak ada akun pemohon dengan e-mail atau nomor ini. Periksa ketikannya, atau buat akun baru untuk pemohon.",
		EN: "No applicant account has this e-mail or number. Check the spelling, or make a new account for the applicant."})
	errStaffAccount = apperr.InvalidField("intake.staff_account", "login", i18n.Text{
		ID: "Ini akun staf, bukan pemohon. Kata sandi staf direset oleh admin.",
		EN: "This is a staff account, not an applicant's. Staff passwords are reset by the admin."})
	errIdentityUnchecked = apperr.InvalidField("intake.identity_unchecked", "identity", i18n.Text{
		ID: "Centang setelah Anda mencocokkan KTP pemohon dengan nama akun.",
		EN: "Tick this once you have matched the applicant's KTP with the account's name."})
)

// DeskReset is the clerk giving an applicant at the desk a new one-time
// password.
type DeskReset struct {
	Login string // the applicant's e-mail or WhatsApp number
	// IdentityChecked is the clerk's word that the person at the desk showed
	// a KTP matching the account: the password opens their business's data.
	IdentityChecked bool
}

// ResetApplicantPassword gives the applicant named by in a new one-time
// password, shown once to the clerk to hand over, and lifts any wait on the
// account; it ends their sessions and stops their API tokens. Only
// applicants' passwords are reset at the desk (policy.ResetsPassword).
func (s *Service) ResetApplicantPassword(ctx context.Context, clerk account.User, in DeskReset) (account.User, string, error) {
	if !policy.RegistersApplicants(clerk) {
		return account.User{}, "", errDeskOnly
	}
	u, err := s.Accounts.ByLogin(ctx, in.Login)
	if apperr.IsKind(err, apperr.NotFound) {
		return account.User{}, "", errNoApplicant
	}
	if err != nil {
		return account.User{}, "", err
	}
	if !policy.ResetsPassword(clerk, u) {
		return account.User{}, "", errStaffAccount
	}
	if !in.IdentityChecked {
		return account.User{}, "", errIdentityUnchecked
	}
	otp, err := s.Accounts.ResetPassword(ctx, u.ID)
	return u, otp, err
}
