// Package referral is SOP step 8: SMEs that did not pass are referred to the
// Office's other divisions (halal certification, standardisation, intellectual
// property, licensing) with the reason; the division records what it did, and
// the applicant is told at each step through the message queue. For
// intellectual property the Office issues the recommendation letter DJKI asks
// for, registered so anyone can verify it.
package referral

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/calendar"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/letter"
	"github.com/etalase-id/etalase/internal/message"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// Status is where a referral stands.
type Status string

const (
	Referred   Status = "referred"
	Contacted  Status = "contacted"
	InProgress Status = "in_progress"
	Done       Status = "done"
	Declined   Status = "declined"
)

// Statuses in order.
var Statuses = []Status{Referred, Contacted, InProgress, Done, Declined}

// Open reports whether the division still has work on it.
func (s Status) Open() bool { return s != Done && s != Declined }

// Referral is one referral of an application's SME to a division.
type Referral struct {
	ID            int64         `json:"id"`
	ApplicationID int64         `json:"application_id"`
	AppNumber     string        `json:"application_number"`
	BusinessID    int64         `json:"business_id"`
	Business      string        `json:"business"`
	Division      role.Division `json:"division"`
	Reason        string        `json:"reason"`
	Status        Status        `json:"status"`
	Certificate   string        `json:"certificate_number,omitempty"`
	Note          string        `json:"note,omitempty"`
	ReferredBy    int64         `json:"referred_by"`
	DueAt         *time.Time    `json:"due_at,omitempty"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
}

// Late reports whether the division's first answer is overdue at now.
func (r Referral) Late(now time.Time) bool {
	return r.Status == Referred && r.DueAt != nil && now.After(*r.DueAt)
}

// Service is the referral capability.
type Service struct {
	DB           *db.DB
	Applications *application.Service
	Messages     *message.Service
	Accounts     *account.Service
	Calendar     calendar.Store
	Letters      letter.Register
}

var (
	errWhoRefers   = apperr.New(apperr.Forbidden, "referral.who", "Rujukan dibuat oleh staf galeri atau tenaga ahli kurasi.", "Referrals are made by gallery staff or the curation expert.")
	errWhoRecords  = apperr.New(apperr.Forbidden, "referral.division_only", "Hanya petugas bidang tujuan yang mencatat tindak lanjut rujukan ini.", "Only officers of the division referred to record what was done.")
	errNotFound    = apperr.New(apperr.NotFound, "referral.not_found", "Rujukan tidak ditemukan.", "No such referral.")
	errDivision    = apperr.InvalidField("referral.division", "division", i18n.Text{ID: "Pilih bidang tujuan.", EN: "Choose the division."})
	errReason      = apperr.InvalidField("referral.reason", "reason", i18n.Text{ID: "Tulis alasan rujukan (maksimal 2000 karakter).", EN: "Write the reason for the referral (2000 characters at most)."})
	errCertificate = apperr.InvalidField("referral.certificate", "certificate", i18n.Text{ID: "Isi nomor sertifikat atau izin yang terbit.", EN: "Give the number of the certificate or permit issued."})
	errNote        = apperr.InvalidField("referral.note", "note", i18n.Text{ID: "Tulis alasan penolakan.", EN: "Write why the referral is declined."})
	errStatus      = apperr.InvalidField("referral.status", "status", i18n.Text{ID: "Pilih tindak lanjut.", EN: "Choose what was done."})
	errClosed      = apperr.New(apperr.Conflict, "referral.closed", "Rujukan ini sudah selesai atau ditolak.", "This referral is already done or declined.")
	errOpenAlready = apperr.New(apperr.Conflict, "referral.duplicate", "Usaha ini sudah dirujuk ke bidang tersebut dan belum selesai.", "This business is already referred to that division and it is not finished.")
	errAppState    = apperr.New(apperr.Conflict, "referral.app_state", "Permohonan draf atau yang ditarik tidak dirujuk.", "A draft or withdrawn application is not referred.")
	errHKIOnly     = apperr.New(apperr.Conflict, "referral.hki_only", "Surat rekomendasi hanya untuk rujukan ke bidang Kekayaan Intelektual.", "The recommendation letter is for referrals to the intellectual-property division only.")
)

// Refers reports whether u may refer SMEs.
func Refers(u account.User) bool {
	return u.Active && (u.Role == role.StafGaleri || u.Role == role.Kurator)
}

// Sees reports whether u may see referrals of division d.
func Sees(u account.User, d role.Division) bool {
	if !u.Active {
		return false
	}
	switch u.Role {
	case role.StafGaleri, role.Kurator, role.Pimpinan, role.Admin:
		return true
	case role.Bidang:
		return u.Division == d
	}
	return false
}

// Provides is the fact the engine's refer action needs.
func (s *Service) Provides() []sop.Fact { return []sop.Fact{sop.FactReferrals} }

// FillFacts counts the application's referrals.
func (s *Service) FillFacts(ctx context.Context, a application.Application, f *sop.Facts) error {
	return s.DB.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM referrals WHERE application_id = ?", a.ID).Scan(&f.Referrals)
}

const cols = `r.id, r.application_id, a.number, r.business_id, b.name, r.division, r.reason, r.status, r.certificate_number, r.note, r.referred_by, r.due_at, r.created_at, r.updated_at`
const from = ` FROM referrals r JOIN applications a ON a.id = r.application_id JOIN businesses b ON b.id = r.business_id`

func scan(r interface{ Scan(...any) error }) (Referral, error) {
	var x Referral
	err := r.Scan(&x.ID, &x.ApplicationID, &x.AppNumber, &x.BusinessID, &x.Business, &x.Division, &x.Reason, &x.Status, &x.Certificate, &x.Note, &x.ReferredBy, &x.DueAt, &x.CreatedAt, &x.UpdatedAt)
	return x, err
}

// Get returns referral id.
func (s *Service) Get(ctx context.Context, id int64) (Referral, error) {
	x, err := scan(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+cols+from+" WHERE r.id = ?", id))
	if isNoRows(err) {
		return Referral{}, errNotFound
	}
	return x, err
}

// GetFor returns referral id if u may see it.
func (s *Service) GetFor(ctx context.Context, u account.User, id int64) (Referral, error) {
	x, err := s.Get(ctx, id)
	if err != nil {
		return x, err
	}
	if !Sees(u, x.Division) {
		return Referral{}, errNotFound
	}
	return x, nil
}

// Suggestion is a division the application's SME seems to need, with the
// reason to pre-fill the referral form: each product and what it lacks.
type Suggestion struct {
	Division role.Division `json:"division"`
	Reason   string        `json:"reason"` // in Indonesian, as referral reasons are written
}

// Suggest pre-fills the referral form from the legality gate's findings that
// curation stored with each product's result (curation_results.outcome): a
// missing P-IRT → licensing, "P-IRT belum ada"; no halal certificate → halal;
// and so on, once each division, in the order the findings came. Products not
// yet through curation are read from their form instead: no halal number →
// halal; neither P-IRT nor BPOM → licensing.
func (s *Service) Suggest(ctx context.Context, appID int64) ([]Suggestion, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT p.name, p.halal, p.pirt, p.bpom, COALESCE(r.outcome, '')
		FROM application_products ap JOIN products p ON p.id = ap.product_id
		LEFT JOIN curation_results r ON r.application_id = ap.application_id AND r.product_id = ap.product_id
		WHERE ap.application_id = ? ORDER BY p.name, p.id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var order []role.Division
	lines := map[role.Division][]string{}
	add := func(d role.Division, line string) {
		if d == "" || line == "" || slices.Contains(lines[d], line) {
			return
		}
		if _, ok := lines[d]; !ok {
			order = append(order, d)
		}
		lines[d] = append(lines[d], line)
	}
	for rows.Next() {
		var name, halal, pirt, bpom, outcome string
		if err := rows.Scan(&name, &halal, &pirt, &bpom, &outcome); err != nil {
			return nil, err
		}
		if outcome == "" {
			if halal == "" {
				add(role.Halal, name+": sertifikat halal belum ada")
			}
			if pirt == "" && bpom == "" {
				add(role.Perizinan, name+": P-IRT atau izin edar BPOM belum ada")
			}
			continue
		}
		var o struct {
			Gate curation.GateResult `json:"gate"`
		}
		if err := json.Unmarshal([]byte(outcome), &o); err != nil {
			return nil, err
		}
		for _, f := range append(slices.Clone(o.Gate.Failures), o.Gate.Warnings...) {
			add(f.Division, name+": "+findingText(f))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Suggestion, 0, len(order))
	for _, d := range order {
		out = append(out, Suggestion{Division: d, Reason: strings.Join(lines[d], "; ") + "."})
	}
	return out, nil
}

// findingText is a gate finding in the few words a referral reason needs.
func findingText(r curation.Reason) string {
	switch r.Code {
	case curation.CodePIRTMissing:
		return "P-IRT belum ada (atau izin edar BPOM MD)"
	case curation.CodePIRTExpired:
		return "P-IRT sudah habis masa berlakunya"
	case curation.CodePIRTMismatch:
		return "nomor P-IRT tidak sama dengan izin yang diperiksa petugas"
	case curation.CodePIRTRegency:
		return "P-IRT terbit di kabupaten/kota lain"
	case curation.CodeBPOMRequired:
		return "izin edar BPOM MD belum ada"
	case curation.CodeBPOMExpired:
		return "izin edar BPOM MD sudah habis masa berlakunya"
	case curation.CodeBPOMImported:
		return "hanya bernomor BPOM ML (impor), perlu BPOM MD"
	case curation.CodeBPOMMismatch:
		return "nomor BPOM tidak sama dengan izin edar yang diperiksa petugas"
	case curation.CodeSNIRequired:
		return "sertifikat SNI belum ada"
	case curation.CodeHalalMissing, curation.CodeHalalAdvice:
		return "sertifikat halal belum ada"
	case curation.CodeTrademarkMissing:
		return "merek belum terdaftar"
	}
	return r.Text.ID
}

// Refer refers application appID's SME to division d with the reason, and
// tells the applicant (through the queue) in the same transaction.
func (s *Service) Refer(ctx context.Context, u account.User, appID int64, d role.Division, reason string) (Referral, error) {
	if !Refers(u) {
		return Referral{}, errWhoRefers
	}
	if !d.Valid() {
		return Referral{}, errDivision
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 2000 {
		return Referral{}, errReason
	}
	a, err := s.Applications.GetFor(ctx, u, appID)
	if err != nil {
		return Referral{}, err
	}
	if a.State == sop.Draft || a.State == sop.Withdrawn {
		return Referral{}, errAppState
	}
	cal, err := s.Calendar.Load(ctx)
	if err != nil {
		return Referral{}, err
	}
	var id int64
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var open int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM referrals WHERE business_id = ? AND division = ? AND status NOT IN ('done', 'declined')", a.BusinessID, string(d)).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return errOpenAlready
		}
		due := cal.Due(tx.Now, 1).UTC() // UTC, as every stored time: SQLite compares them as text
		if err := tx.QueryRowContext(ctx, `INSERT INTO referrals (application_id, business_id, division, reason, status, referred_by, due_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'referred', ?, ?, ?, ?) RETURNING id`, a.ID, a.BusinessID, string(d), reason, u.ID, due, tx.Now, tx.Now).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO referral_events (referral_id, at, by_user, status, note) VALUES (?, ?, ?, 'referred', ?)", id, tx.Now, u.ID, reason); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, "referral.create", "referral", fmt.Sprint(id), fmt.Sprintf("%s dirujuk ke bidang %s", a.Number, d), nil, nil); err != nil {
			return err
		}
		owner, err := s.Accounts.Get(ctx, a.OwnerID)
		if err != nil {
			return err
		}
		_, err = s.Messages.Enqueue(ctx, tx, message.Notice{Event: message.ReferralMade, Key: fmt.Sprintf("referral:%d:referred", id), ApplicationID: a.ID, User: owner,
			Vars: map[string]string{"name": owner.Name, "business": a.BusinessName, "division": DivisionName(d, owner.Lang), "reason": reason}})
		return err
	})
	if err != nil {
		return Referral{}, err
	}
	return s.Get(ctx, id)
}

// Record is what a division officer records on a referral.
type Record struct {
	Status      Status
	Certificate string // for done
	Note        string // required for declined
}

// Update records what division officer u did on referral id, and tells the
// applicant in the same transaction.
func (s *Service) Update(ctx context.Context, u account.User, id int64, rec Record) (Referral, error) {
	x, err := s.GetFor(ctx, u, id)
	if err != nil {
		return Referral{}, err
	}
	if !u.Active || u.Role != role.Bidang || u.Division != x.Division {
		return Referral{}, errWhoRecords
	}
	rec.Certificate, rec.Note = strings.TrimSpace(rec.Certificate), strings.TrimSpace(rec.Note)
	switch rec.Status {
	case Contacted, InProgress:
	case Done:
		if rec.Certificate == "" || len(rec.Certificate) > 100 {
			return Referral{}, errCertificate
		}
	case Declined:
		if rec.Note == "" {
			return Referral{}, errNote
		}
	default:
		return Referral{}, errStatus
	}
	if len([]rune(rec.Note)) > 2000 {
		return Referral{}, errNote
	}
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE referrals SET status = ?, certificate_number = ?, note = ?, updated_at = ? WHERE id = ? AND status NOT IN ('done', 'declined')`,
			string(rec.Status), rec.Certificate, rec.Note, tx.Now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errClosed
		}
		note := rec.Note
		if rec.Certificate != "" {
			note = strings.TrimSpace(rec.Certificate + " " + note)
		}
		var evID int64
		if err := tx.QueryRowContext(ctx, "INSERT INTO referral_events (referral_id, at, by_user, status, note) VALUES (?, ?, ?, ?, ?) RETURNING id", id, tx.Now, u.ID, string(rec.Status), note).Scan(&evID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, "referral.update", "referral", fmt.Sprint(id), fmt.Sprintf("Rujukan %s: %s", x.AppNumber, rec.Status), nil, nil); err != nil {
			return err
		}
		a, err := s.Applications.Get(ctx, x.ApplicationID)
		if err != nil {
			return err
		}
		owner, err := s.Accounts.Get(ctx, a.OwnerID)
		if err != nil {
			return err
		}
		shown := rec.Note
		if rec.Status == Done {
			shown = strings.TrimSpace(i18n.Text{ID: "Nomor: ", EN: "Number: "}.In(owner.Lang) + rec.Certificate + ". " + rec.Note)
		}
		_, err = s.Messages.Enqueue(ctx, tx, message.Notice{Event: message.ReferralOutcome, Key: fmt.Sprintf("referral:%d:event:%d", id, evID), ApplicationID: a.ID, User: owner,
			Vars: map[string]string{"name": owner.Name, "division": DivisionName(x.Division, owner.Lang), "status": StatusName(rec.Status, owner.Lang), "note": shown}})
		return err
	})
	if err != nil {
		return Referral{}, err
	}
	return s.Get(ctx, id)
}

// Filter narrows List.
type Filter struct {
	Division role.Division // required for a division officer (their own)
	Status   Status
	Before   int64 // keyset: the id of the last row shown
	Limit    int
}

// List returns the referrals u may see, newest first, and the cursor of the
// next page (0 on the last).
func (s *Service) List(ctx context.Context, u account.User, f Filter) ([]Referral, int64, error) {
	if u.Role == role.Bidang {
		f.Division = u.Division
	}
	if f.Division != "" && !Sees(u, f.Division) || f.Division == "" && !Sees(u, role.Halal) {
		return nil, 0, errNotFound
	}
	if f.Limit <= 0 || f.Limit > 5000 {
		f.Limit = 50
	}
	q := "SELECT " + cols + from + " WHERE 1 = 1"
	var args []any
	if f.Division != "" {
		q += " AND r.division = ?"
		args = append(args, string(f.Division))
	}
	if f.Status != "" {
		q += " AND r.status = ?"
		args = append(args, string(f.Status))
	}
	if f.Before > 0 {
		q += " AND r.id < ?"
		args = append(args, f.Before)
	}
	return db.NewestPage(ctx, s.DB.Q(ctx), q+" ORDER BY r.id DESC LIMIT ?", args, f.Limit, scan, func(x Referral) int64 { return x.ID })
}

// ForApplication returns the referrals of application appID.
func (s *Service) ForApplication(ctx context.Context, appID int64) ([]Referral, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT "+cols+from+" WHERE r.application_id = ? ORDER BY r.id", appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Referral
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Event is one step of a referral's history.
type Event struct {
	At     time.Time `json:"at"`
	ByUser int64     `json:"by_user"`
	Status Status    `json:"status"`
	Note   string    `json:"note,omitempty"`
}

// Events returns the history of referral id.
func (s *Service) Events(ctx context.Context, id int64) ([]Event, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT at, COALESCE(by_user, 0), status, note FROM referral_events WHERE referral_id = ? ORDER BY id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.At, &e.ByUser, &e.Status, &e.Note); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// DivisionName is the division's name in l.
func DivisionName(d role.Division, l i18n.Lang) string {
	t := map[role.Division]i18n.Text{
		role.Halal:         {ID: "Bidang Fasilitasi Sertifikasi Halal", EN: "the halal certification division"},
		role.Standardisasi: {ID: "Bidang Standardisasi dan Sertifikasi (SNI/HACCP/ISO)", EN: "the standardisation division (SNI/HACCP/ISO)"},
		role.HKI:           {ID: "Bidang Fasilitasi Kekayaan Intelektual", EN: "the intellectual-property division"},
		role.Perizinan:     {ID: "Bidang Perizinan (P-IRT/BPOM)", EN: "the licensing division (P-IRT/BPOM)"},
	}[d]
	return t.In(l)
}

// StatusName is the status in words.
func StatusName(st Status, l i18n.Lang) string {
	t := map[Status]i18n.Text{
		Referred: {ID: "dirujuk", EN: "referred"}, Contacted: {ID: "sudah dihubungi", EN: "contacted"},
		InProgress: {ID: "sedang diproses", EN: "in progress"}, Done: {ID: "selesai", EN: "done"}, Declined: {ID: "ditolak", EN: "declined"},
	}[st]
	return t.In(l)
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// LetterContent is what the recommendation letter states.
type LetterContent struct {
	Number   string   `json:"number"`
	IssuedOn string   `json:"issued_on"`
	Business string   `json:"business"`
	Owner    string   `json:"owner"`
	NIB      string   `json:"nib"`
	Address  string   `json:"address"`
	Products []string `json:"products"`
	Reason   string   `json:"reason"`
	Office   string   `json:"office"`
}

var errLetterWho = apperr.New(apperr.NotFound, "referral.letter_who", "Surat ini tidak ditemukan.", "No such letter.")

// Recommendation issues (once) the recommendation letter of HKI referral id
// and returns it with what it states; later calls return the same letter. u
// is staff, an officer of the HKI division, or the applicant whose it is.
func (s *Service) Recommendation(ctx context.Context, u account.User, id int64, office string) (letter.Letter, LetterContent, error) {
	x, err := s.Get(ctx, id)
	if err != nil {
		return letter.Letter{}, LetterContent{}, err
	}
	a, err := s.Applications.Get(ctx, x.ApplicationID)
	if err != nil {
		return letter.Letter{}, LetterContent{}, err
	}
	if !Sees(u, x.Division) && !(u.Role == role.Pemohon && u.ID == a.OwnerID) {
		return letter.Letter{}, LetterContent{}, errLetterWho
	}
	if x.Division != role.HKI {
		return letter.Letter{}, LetterContent{}, errHKIOnly
	}
	var out letter.Letter
	var c LetterContent
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var number string
		if err := tx.QueryRowContext(ctx, "SELECT letter_number FROM referrals WHERE id = ?", id).Scan(&number); err != nil {
			return err
		}
		if number != "" {
			l, _, err := s.Letters.Lookup(ctx, number)
			out = l
			if err == nil {
				err = json.Unmarshal([]byte(l.Content), &c)
			}
			return err
		}
		if number, err = application.Number(ctx, tx, "REK-HKI"); err != nil {
			return err
		}
		c = LetterContent{Number: number, IssuedOn: workday.DateOf(tx.Now).String(), Office: office, Reason: x.Reason}
		if err := tx.QueryRowContext(ctx, "SELECT name, owner_name, nib, address FROM businesses WHERE id = ?", x.BusinessID).Scan(&c.Business, &c.Owner, &c.NIB, &c.Address); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, "SELECT p.name FROM application_products ap JOIN products p ON p.id = ap.product_id WHERE ap.application_id = ? ORDER BY p.name", x.ApplicationID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			c.Products = append(c.Products, n)
		}
		rows.Close()
		content, _ := json.Marshal(c)
		fp := letter.Fingerprint(c.Number, c.IssuedOn, c.Business, c.Owner, c.NIB, c.Address, strings.Join(c.Products, ", "), c.Reason, c.Office)
		out, err = s.Letters.Issue(ctx, tx, letter.Letter{Number: number, Kind: letter.Recommendation, IssuedOn: c.IssuedOn,
			Subject: "Surat Rekomendasi UKM Binaan untuk " + c.Business, Office: office, Fingerprint: fp, Content: string(content)}, x.ApplicationID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE referrals SET letter_number = ? WHERE id = ?", number, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "referral.letter", "referral", fmt.Sprint(id), "Surat rekomendasi diterbitkan: "+number, nil, nil)
	})
	return out, c, err
}

// DueClocks puts on the due list the referrals whose division has not yet
// answered (still referred) and whose one working day, counted on the
// Office's calendar from when it was made, ends today or has passed.
func (s *Service) DueClocks(ctx context.Context, end time.Time, view application.Scope) ([]application.DueItem, error) {
	q := "SELECT r.id, r.application_id, r.division, r.due_at FROM referrals r JOIN applications a ON a.id = r.application_id WHERE r.status = 'referred' AND r.due_at IS NOT NULL AND r.due_at < ?"
	// Referrals made before due times were stored in UTC hold theirs in WIB,
	// which SQLite compares as text: the bound is widened by WIB's offset
	// and the exact test made on the time read back.
	args := []any{end.Add(7 * time.Hour)}
	if !view.Empty() {
		q += " AND (" + view.Where + ")"
		args = append(args, view.Args...)
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, q+" ORDER BY r.due_at, r.id", args...)
	if err != nil {
		return nil, err
	}
	type clock struct {
		id, app int64
		d       role.Division
		due     time.Time
	}
	var cs []clock
	for rows.Next() {
		var c clock
		if err := rows.Scan(&c.id, &c.app, &c.d, &c.due); err != nil {
			rows.Close()
			return nil, err
		}
		if c.due.Before(end) {
			cs = append(cs, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	step, _ := sop.StepOf(sop.FeedbackSent)
	out := make([]application.DueItem, 0, len(cs))
	for _, c := range cs {
		a, err := s.Applications.Get(ctx, c.app)
		if err != nil {
			return nil, err
		}
		due := c.due
		a.DueAt = &due
		out = append(out, application.DueItem{Application: a, Step: step, Clock: &application.Clock{Kind: "referral", ID: c.id, Path: fmt.Sprintf("/referrals/%d", c.id),
			What: i18n.Text{ID: "Rujukan ke " + DivisionName(c.d, i18n.ID) + ": menunggu tindak lanjut pertama bidang", EN: "Referral to " + DivisionName(c.d, i18n.EN) + ": awaiting the division's first answer"}}})
	}
	return out, nil
}
