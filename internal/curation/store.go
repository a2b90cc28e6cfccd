package curation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/settings"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// Service is curation as it plugs into the engine: rubric versions, rounds,
// assignments, reviews, the combined results and the decisions (store.go and
// service.go). The rules it applies are the pure functions of this package.
type Service struct {
	DB           *db.DB
	Applications *application.Service
	Applicants   *applicant.Service
	Documents    *document.Service
	Intake       *intake.Service
	Settings     settings.Store
}

// CodeUndecided refuses an announcement while a product of the round is
// undecided.
const CodeUndecided = "curation.undecided"

// DefaultRubricID is the rubric family a fresh installation curates with.
const DefaultRubricID = 1

// Errors a user may read.
var (
	errRole = apperr.New(apperr.Forbidden, "curation.role",
		"Peran Anda tidak berhak melakukan ini dalam kurasi.", "Your role may not do this in curation.")
	errRoundNotFound = apperr.New(apperr.NotFound, "curation.round_not_found", "Putaran kurasi tidak ditemukan.", "Curation round not found.")
	errRubricMissing = apperr.New(apperr.NotFound, "curation.rubric_not_found", "Rubrik tidak ditemukan.", "Rubric not found.")
	errAnnounced     = apperr.New(apperr.Conflict, "curation.announced",
		"Hasil putaran kurasi ini sudah diumumkan; penilaian dan keputusannya tidak bisa diubah lagi.",
		"The results of this curation round have been announced; its reviews and decisions can no longer change.")
	errNothingToAnnounce = apperr.New(apperr.Conflict, "curation.nothing_to_announce",
		"Putaran kurasi ini tidak memiliki permohonan yang sudah diputuskan; tidak ada yang bisa diumumkan.",
		"This curation round has no decided application; there is nothing to announce.")
	errNotInCuration = apperr.New(apperr.Conflict, "curation.not_in_curation",
		"Hanya permohonan yang sampelnya sudah diterima (tahap kurasi) yang dapat masuk putaran kurasi.",
		"Only applications whose samples are in (the curation step) can join a curation round.")
	errInRound = apperr.New(apperr.Conflict, "curation.in_round",
		"Permohonan ini sudah masuk putaran kurasi.", "This application is already in a curation round.")
	errNoRound = apperr.New(apperr.Conflict, "curation.no_round",
		"Permohonan ini belum masuk putaran kurasi. Masukkan dulu ke sebuah putaran.",
		"This application is not in a curation round yet. Add it to a round first.")
	errReviewer = apperr.New(apperr.Invalid, "curation.reviewer",
		"Penilai harus akun staf galeri atau tenaga ahli kurasi yang aktif.",
		"A reviewer must be an active gallery staff or curation expert account.")
	errAssigned = apperr.New(apperr.Conflict, "curation.assigned",
		"Penilai ini sudah ditugaskan untuk permohonan ini, atau sudah menyatakan benturan kepentingan dengannya.",
		"This reviewer is already assigned to this application, or has declared a conflict of interest with it.")
	errAssignmentNotFound = apperr.New(apperr.NotFound, "curation.assignment_not_found",
		"Penugasan tidak ditemukan.", "Assignment not found.")
)

// Round is a curation round: applications curated together on one rubric
// version, published ahead as an open call or not.
type Round struct {
	ID                 int64      `json:"id"`
	Name               string     `json:"name"`
	RubricID           int64      `json:"rubric_id"`
	RubricVersion      int        `json:"rubric_version"`
	OpenCall           bool       `json:"open_call"`
	RegistrationOpens  string     `json:"registration_opens,omitempty"` // YYYY-MM-DD
	RegistrationCloses string     `json:"registration_closes,omitempty"`
	CurationOn         string     `json:"curation_on,omitempty"`
	CreatedAt          time.Time  `json:"created_at"`
	AnnouncedAt        *time.Time `json:"announced_at,omitempty"`
	Applications       int        `json:"applications"`
}

// Announced reports whether the round's results are out: its decisions are frozen.
func (r Round) Announced() bool { return r.AnnouncedAt != nil }

// RoundInput is the form of a new round.
type RoundInput struct {
	Name                                  string
	OpenCall                              bool
	RegistrationOpens, RegistrationCloses string
	CurationOn                            string
}

// Assignment is a reviewer assigned to an application.
type Assignment struct {
	ID            int64      `json:"id"`
	RoundID       int64      `json:"round_id"`
	ApplicationID int64      `json:"application_id"`
	Number        string     `json:"number"`
	BusinessName  string     `json:"business"`
	ReviewerID    int64      `json:"reviewer_id"`
	ReviewerName  string     `json:"reviewer"`
	Kind          string     `json:"kind"`     // KindStaff or KindExpert
	Conflict      string     `json:"conflict"` // "", "none" (declared none) or "declared" (handed back)
	ConflictNote  string     `json:"conflict_note,omitempty"`
	DeclaredAt    *time.Time `json:"declared_at,omitempty"`
	ReleasedAt    *time.Time `json:"released_at,omitempty"`
	AssignedAt    time.Time  `json:"assigned_at"`
	DueAt         *time.Time `json:"due_at,omitempty"` // the application's curation due time
}

// Active reports whether the assignment still counts (not handed back).
func (a Assignment) Active() bool { return a.ReleasedAt == nil }

// Kinds of reviewer.
const (
	KindStaff  = "staff"
	KindExpert = "expert"
)

// EnsureDefaultRubric stores DefaultRubric as version 1 of family
// DefaultRubricID if no rubric is stored yet. Two starts at once store it once.
func (s *Service) EnsureDefaultRubric(ctx context.Context) error {
	var n int
	if err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM curation_rubrics WHERE rubric_id = ?", DefaultRubricID).Scan(&n); err != nil || n > 0 {
		return err
	}
	r := DefaultRubric()
	r.ID = DefaultRubricID
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO curation_rubrics (rubric_id, version, body, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
			r.ID, r.Version, string(body), tx.Now)
		return err
	})
}

// RubricVersion returns version v of rubric id.
func (s *Service) RubricVersion(ctx context.Context, id int64, v int) (Rubric, error) {
	var body string
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT body FROM curation_rubrics WHERE rubric_id = ? AND version = ?", id, v).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return Rubric{}, errRubricMissing
	}
	if err != nil {
		return Rubric{}, err
	}
	var r Rubric
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return Rubric{}, fmt.Errorf("rubric %d v%d: %w", id, v, err)
	}
	r.ID, r.Version = id, v
	return r, nil
}

// LatestRubric returns the newest version of rubric id (the default rubric,
// stored on first use, for DefaultRubricID).
func (s *Service) LatestRubric(ctx context.Context, id int64) (Rubric, error) {
	if id == DefaultRubricID {
		if err := s.EnsureDefaultRubric(ctx); err != nil {
			return Rubric{}, err
		}
	}
	var v int
	if err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM curation_rubrics WHERE rubric_id = ?", id).Scan(&v); err != nil {
		return Rubric{}, err
	}
	if v == 0 {
		return Rubric{}, errRubricMissing
	}
	return s.RubricVersion(ctx, id, v)
}

// RubricVersions lists every version of rubric id, newest first.
func (s *Service) RubricVersions(ctx context.Context, id int64) ([]Rubric, error) {
	latest, err := s.LatestRubric(ctx, id)
	if err != nil {
		return nil, err
	}
	out := []Rubric{latest}
	for v := latest.Version - 1; v >= 1; v-- {
		r, err := s.RubricVersion(ctx, id, v)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// ReviseRubric makes the next version of rubric id with edit applied (the
// admin's edit), and audits what changed. Rounds and reviews keep the version
// they were made with. Two admins editing at once: the second is refused.
func (s *Service) ReviseRubric(ctx context.Context, u account.User, id int64, edit func(*Rubric)) (Rubric, []Change, error) {
	if !policy.EditsRubrics(u) {
		return Rubric{}, nil, errRole
	}
	cur, err := s.LatestRubric(ctx, id)
	if err != nil {
		return Rubric{}, nil, err
	}
	next, changes, err := cur.Revise(edit)
	if err != nil {
		return Rubric{}, nil, err
	}
	body, err := json.Marshal(next)
	if err != nil {
		return Rubric{}, nil, err
	}
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO curation_rubrics (rubric_id, version, body, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
			next.ID, next.Version, string(body), u.ID, tx.Now); err != nil {
			if db.IsUniqueViolation(err) {
				return apperr.New(apperr.Conflict, "curation.rubric_changed",
					"Rubrik ini baru saja diubah orang lain. Muat ulang lalu ulangi perubahan Anda.",
					"Someone else just changed this rubric. Reload and make your change again.")
			}
			return err
		}
		return audit.Record(ctx, tx, "rubric.revise", "rubric", fmt.Sprintf("%d", next.ID),
			fmt.Sprintf("Rubrik versi %d dibuat", next.Version), nil, changes)
	})
	return next, changes, err
}

// CreateRound makes a round on the newest version of the default rubric.
func (s *Service) CreateRound(ctx context.Context, u account.User, in RoundInput) (Round, error) {
	if !policy.CuratesRounds(u) {
		return Round{}, errRole
	}
	var f apperr.Form
	name := strings.TrimSpace(in.Name)
	if n := len([]rune(name)); n < 3 || n > 200 {
		f.Addf("name", "Beri nama putaran, 3 sampai 200 karakter (misalnya \u201cKurasi Desember 2026\u201d).",
			"Name the round, 3 to 200 characters (e.g. \u201cKurasi Desember 2026\u201d).")
	}
	dates := map[string]*string{"registration_opens": &in.RegistrationOpens, "registration_closes": &in.RegistrationCloses, "curation_on": &in.CurationOn}
	parsed := map[string]workday.Date{}
	for _, field := range []string{"registration_opens", "registration_closes", "curation_on"} {
		v := strings.TrimSpace(*dates[field])
		*dates[field] = v
		if v == "" {
			if in.OpenCall {
				f.Addf(field, "Panggilan terbuka perlu tanggal pendaftaran dan tanggal kurasi.", "An open call needs its registration dates and curation date.")
			}
			continue
		}
		d, err := workday.ParseDate(v)
		if err != nil {
			f.Addf(field, "Tanggal tidak valid; pilih dari kalender.", "Not a valid date; pick one from the calendar.")
			continue
		}
		parsed[field] = d
	}
	if o, ok := parsed["registration_opens"]; ok {
		if c, ok := parsed["registration_closes"]; ok && c.Before(o) {
			f.Addf("registration_closes", "Pendaftaran harus ditutup pada atau sesudah tanggal dibuka.", "Registration must close on or after the day it opens.")
		}
	}
	if c, ok := parsed["registration_closes"]; ok {
		if k, ok := parsed["curation_on"]; ok && k.Before(c) {
			f.Addf("curation_on", "Tanggal kurasi harus pada atau sesudah pendaftaran ditutup.", "The curation date must be on or after registration closes.")
		}
	}
	if err := f.Err(); err != nil {
		return Round{}, err
	}
	rub, err := s.LatestRubric(ctx, DefaultRubricID)
	if err != nil {
		return Round{}, err
	}
	var id int64
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO curation_rounds (name, rubric_id, rubric_version, open_call, registration_opens, registration_closes, curation_on, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, name, rub.ID, rub.Version, in.OpenCall, in.RegistrationOpens, in.RegistrationCloses, in.CurationOn, u.ID, tx.Now).Scan(&id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "round.create", "round", fmt.Sprint(id), "Putaran kurasi dibuat: "+name, nil, in)
	})
	if err != nil {
		return Round{}, err
	}
	return s.Round(ctx, id)
}

const roundCols = `r.id, r.name, r.rubric_id, r.rubric_version, r.open_call, r.registration_opens, r.registration_closes, r.curation_on, r.created_at, r.announced_at,
	(SELECT COUNT(*) FROM curation_round_applications ra WHERE ra.round_id = r.id)`

func scanRound(row interface{ Scan(...any) error }) (Round, error) {
	var r Round
	var ann db.NullTime
	err := row.Scan(&r.ID, &r.Name, &r.RubricID, &r.RubricVersion, &r.OpenCall, &r.RegistrationOpens, &r.RegistrationCloses, &r.CurationOn, &r.CreatedAt, &ann, &r.Applications)
	if errors.Is(err, sql.ErrNoRows) {
		return Round{}, errRoundNotFound
	}
	if ann.Valid {
		t := ann.Time
		r.AnnouncedAt = &t
	}
	return r, err
}

// Round returns round id.
func (s *Service) Round(ctx context.Context, id int64) (Round, error) {
	return scanRound(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+roundCols+" FROM curation_rounds r WHERE r.id = ?", id))
}

// Rounds lists the rounds, newest first (a handful a year: no paging).
func (s *Service) Rounds(ctx context.Context) ([]Round, error) {
	return s.rounds(ctx, "SELECT "+roundCols+" FROM curation_rounds r ORDER BY r.id DESC")
}

// OpenCalls lists the rounds published ahead whose curation date is today
// (WIB) or later, soonest first: for the public home page.
func (s *Service) OpenCalls(ctx context.Context) ([]Round, error) {
	today := workday.DateOf(s.DB.Clock(ctx)).String()
	return s.rounds(ctx, "SELECT "+roundCols+" FROM curation_rounds r WHERE r.open_call = TRUE AND r.curation_on >= ? AND r.announced_at IS NULL ORDER BY r.curation_on, r.id", today)
}

func (s *Service) rounds(ctx context.Context, q string, args ...any) ([]Round, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Round
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RoundOf returns the round application appID is curated in.
func (s *Service) RoundOf(ctx context.Context, appID int64) (Round, error) {
	r, err := scanRound(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+roundCols+` FROM curation_rounds r
		JOIN curation_round_applications x ON x.round_id = r.id WHERE x.application_id = ?`, appID))
	if errors.Is(err, errRoundNotFound) {
		return Round{}, errNoRound
	}
	return r, err
}

// MarkAnnounced is the announcement's guard on round roundID, inside the
// announcement's transaction (SOP step 5): it freezes the round — from then on
// its reviews and decisions cannot change — and returns the IDs of the round's
// applications, which the announcement then moves to announced. It refuses,
// changing nothing, a round already announced (the freeze is a conditional
// update: no row changed means someone announced it first, so publishing twice
// is refused even when two publishes race) and a round in which an
// application still has a product undecided (it is not in state decided). A
// withdrawn application has left the procedure and is neither waited for nor
// announced; a round with nothing to announce is refused.
func (s *Service) MarkAnnounced(ctx context.Context, tx *db.Tx, roundID int64) ([]int64, error) {
	if err := lockRoundForAnnouncement(ctx, tx, roundID); err != nil {
		return nil, err
	}
	res, err := tx.ExecContext(ctx, "UPDATE curation_rounds SET announced_at = ? WHERE id = ? AND announced_at IS NULL", tx.Now, roundID)
	if err != nil {
		return nil, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, err
	}
	if n != 1 {
		var exists int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM curation_rounds WHERE id = ?", roundID).Scan(&exists); err != nil {
			return nil, err
		}
		if exists == 0 {
			return nil, errRoundNotFound
		}
		return nil, errAnnounced
	}
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.number, a.state FROM curation_round_applications x JOIN applications a ON a.id = x.application_id
		WHERE x.round_id = ? ORDER BY a.id`, roundID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	var undecided []string
	for rows.Next() {
		var id int64
		var number, state string
		if err := rows.Scan(&id, &number, &state); err != nil {
			rows.Close()
			return nil, err
		}
		switch sop.State(state) {
		case sop.Decided:
			ids = append(ids, id)
		case sop.Withdrawn:
		default:
			undecided = append(undecided, number)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(undecided) > 0 {
		list := strings.Join(undecided, ", ")
		return nil, &apperr.Error{Kind: apperr.Conflict, Code: CodeUndecided, Text: i18n.Text{
			ID: "Hasil belum bisa diumumkan: masih ada produk yang belum diputuskan pada permohonan " + list + ". Tidak ada yang diubah atau dikirim.",
			EN: "The results cannot be announced yet: a product is still undecided in application " + list + ". Nothing was changed or sent.",
		}}
	}
	if len(ids) == 0 {
		return nil, errNothingToAnnounce
	}
	return ids, nil
}

// AddApplication puts an application whose samples are in (in curation) into
// a round.
func (s *Service) AddApplication(ctx context.Context, u account.User, roundID, appID int64) error {
	if !policy.CuratesRounds(u) {
		return errRole
	}
	a, err := s.Applications.GetFor(ctx, u, appID)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		r, err := s.Round(ctx, roundID)
		if err != nil {
			return err
		}
		if r.Announced() {
			return errAnnounced
		}
		if a.State != sop.InCuration {
			return errNotInCuration
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO curation_round_applications (round_id, application_id, added_by, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
			roundID, appID, u.ID, tx.Now); err != nil {
			return err
		}
		var in int64
		if err := tx.QueryRowContext(ctx, "SELECT round_id FROM curation_round_applications WHERE application_id = ?", appID).Scan(&in); err != nil {
			return err
		}
		if in != roundID {
			return errInRound
		}
		return audit.Record(ctx, tx, "round.add_application", "round", fmt.Sprint(roundID), "Permohonan "+a.Number+" masuk putaran "+r.Name, nil, nil)
	})
}

// Candidates lists the applications in curation that are in no round yet.
func (s *Service) Candidates(ctx context.Context) ([]application.Application, error) {
	var out []application.Application
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT a.id FROM applications a WHERE a.state = ?
		AND NOT EXISTS (SELECT 1 FROM curation_round_applications x WHERE x.application_id = a.id) ORDER BY a.due_at, a.id LIMIT 200`, string(sop.InCuration))
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		a, err := s.Applications.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// RoundApplications lists the applications of a round, most urgent first.
func (s *Service) RoundApplications(ctx context.Context, roundID int64) ([]application.Application, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT a.id FROM curation_round_applications x JOIN applications a ON a.id = x.application_id
		WHERE x.round_id = ? ORDER BY a.due_at, a.id`, roundID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]application.Application, 0, len(ids))
	for _, id := range ids {
		a, err := s.Applications.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// Required is how many reviewers of each kind an application needs (settings).
func (s *Service) Required(ctx context.Context) (staff, expert int, err error) {
	get := func(key string) (int, error) {
		v, err := s.Settings.Get(ctx, key)
		if err != nil {
			return 0, err
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 || n > 10 {
			n, _ = strconv.Atoi(settings.Defaults[key])
		}
		return n, nil
	}
	if staff, err = get(settings.CurationStaffReviewers); err != nil {
		return 0, 0, err
	}
	expert, err = get(settings.CurationExpertReviewers)
	return staff, expert, err
}

// Blind reports whether reviewers see the others' scores only after submitting.
func (s *Service) Blind(ctx context.Context) (bool, error) {
	v, err := s.Settings.Get(ctx, settings.CurationBlind)
	return strings.TrimSpace(strings.ToLower(v)) != "no", err
}

// Assign assigns reviewer reviewerID to application appID of its round: a
// gallery staff member reviews as staff, a curation expert as expert.
func (s *Service) Assign(ctx context.Context, u account.User, appID, reviewerID int64) (Assignment, error) {
	if !policy.CuratesRounds(u) {
		return Assignment{}, errRole
	}
	a, err := s.Applications.GetFor(ctx, u, appID)
	if err != nil {
		return Assignment{}, err
	}
	rv, err := s.reviewerAccount(ctx, reviewerID)
	if err != nil {
		return Assignment{}, err
	}
	kind := KindStaff
	if rv.Role == role.Kurator {
		kind = KindExpert
	}
	var id int64
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		r, err := s.RoundOf(ctx, appID)
		if err != nil {
			return err
		}
		if r.Announced() {
			return errAnnounced
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO curation_assignments (round_id, application_id, reviewer_id, kind, assigned_by, assigned_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (application_id, reviewer_id) DO NOTHING RETURNING id`, r.ID, appID, reviewerID, kind, u.ID, tx.Now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return errAssigned
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, "assignment.create", "assignment", fmt.Sprint(id),
			fmt.Sprintf("%s ditugaskan menilai %s", rv.Name, a.Number), nil, map[string]any{"application": a.Number, "reviewer": rv.Name, "kind": kind})
	})
	if err != nil {
		return Assignment{}, err
	}
	return s.Assignment(ctx, id)
}

func (s *Service) reviewerAccount(ctx context.Context, id int64) (account.User, error) {
	var u account.User
	var r string
	var active bool
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT id, name, role, active FROM users WHERE id = ?", id).Scan(&u.ID, &u.Name, &r, &active)
	u.Role = role.Role(r)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (!active || !policy.ReviewsProducts(u))) {
		return u, errReviewer
	}
	return u, err
}

// Reviewers lists the accounts that may be assigned: active gallery staff and
// curation experts, by name.
func (s *Service) Reviewers(ctx context.Context) ([]account.User, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT id, name, role FROM users WHERE active = TRUE AND role IN (?, ?) ORDER BY lower(name), id",
		string(role.StafGaleri), string(role.Kurator))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.User
	for rows.Next() {
		var u account.User
		var r string
		if err := rows.Scan(&u.ID, &u.Name, &r); err != nil {
			return nil, err
		}
		u.Role = role.Role(r)
		out = append(out, u)
	}
	return out, rows.Err()
}

const assignmentCols = `x.id, x.round_id, x.application_id, a.number, b.name, x.reviewer_id, u.name, x.kind, x.conflict, x.conflict_note,
	x.declared_at, x.released_at, x.assigned_at, a.due_at`
const assignmentFrom = ` FROM curation_assignments x JOIN applications a ON a.id = x.application_id JOIN businesses b ON b.id = a.business_id
	JOIN users u ON u.id = x.reviewer_id`

func scanAssignment(row interface{ Scan(...any) error }) (Assignment, error) {
	var x Assignment
	var decl, rel, due db.NullTime
	err := row.Scan(&x.ID, &x.RoundID, &x.ApplicationID, &x.Number, &x.BusinessName, &x.ReviewerID, &x.ReviewerName, &x.Kind, &x.Conflict, &x.ConflictNote,
		&decl, &rel, &x.AssignedAt, &due)
	if errors.Is(err, sql.ErrNoRows) {
		return Assignment{}, errAssignmentNotFound
	}
	x.DeclaredAt, x.ReleasedAt, x.DueAt = timePtr(decl), timePtr(rel), timePtr(due)
	return x, err
}

func timePtr(t db.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

// Assignment returns assignment id.
func (s *Service) Assignment(ctx context.Context, id int64) (Assignment, error) {
	return scanAssignment(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+assignmentCols+assignmentFrom+" WHERE x.id = ?", id))
}

// Assignments lists the reviewers of an application, handed-back ones too.
func (s *Service) Assignments(ctx context.Context, appID int64) ([]Assignment, error) {
	return s.assignments(ctx, "SELECT "+assignmentCols+assignmentFrom+" WHERE x.application_id = ? ORDER BY x.kind DESC, x.id", appID)
}

// Queue is a reviewer's assignments still to do (active, in rounds not yet
// announced), ordered by due time: the most urgent first.
func (s *Service) Queue(ctx context.Context, u account.User) ([]Assignment, error) {
	return s.assignments(ctx, "SELECT "+assignmentCols+assignmentFrom+` JOIN curation_rounds r ON r.id = x.round_id
		WHERE x.reviewer_id = ? AND x.released_at IS NULL AND r.announced_at IS NULL AND a.state = ?
		ORDER BY CASE WHEN a.due_at IS NULL THEN 1 ELSE 0 END, a.due_at, x.id`, u.ID, string(sop.InCuration))
}

func (s *Service) assignments(ctx context.Context, q string, args ...any) ([]Assignment, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Assignment
	for rows.Next() {
		x, err := scanAssignment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Declare records the reviewer's declaration on their assignment: no conflict
// of interest with the SME (the reviewer may then open the application), or a
// conflict, which hands the assignment back to staff to assign someone else.
func (s *Service) Declare(ctx context.Context, u account.User, assignmentID int64, conflict bool, note string) error {
	x, err := s.Assignment(ctx, assignmentID)
	if err != nil {
		return err
	}
	if x.ReviewerID != u.ID {
		if err := audit.Write(ctx, s.DB, "access.denied", "assignment", fmt.Sprint(assignmentID), "Pernyataan atas penugasan orang lain oleh "+string(u.Role)); err != nil {
			return err
		}
		return errAssignmentNotFound
	}
	note = strings.TrimSpace(note)
	if conflict && note == "" {
		return apperr.InvalidField("curation.conflict_note", "conflict_note", i18nText(
			"Tuliskan singkat benturan kepentingannya (misalnya \u201ckerabat pemilik usaha\u201d).",
			"Say briefly what the conflict is (e.g. \u201ca relative of the owner\u201d)."))
	}
	if len([]rune(note)) > 500 {
		return apperr.InvalidField("curation.conflict_note", "conflict_note", i18nText("Keterangan paling panjang 500 karakter.", "At most 500 characters."))
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if conflict {
			res, err := tx.ExecContext(ctx, "UPDATE curation_assignments SET conflict = 'declared', conflict_note = ?, declared_at = ?, released_at = ? WHERE id = ? AND released_at IS NULL",
				note, tx.Now, tx.Now, assignmentID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			return audit.Record(ctx, tx, "assignment.conflict", "assignment", fmt.Sprint(assignmentID), "Benturan kepentingan dinyatakan; penugasan dikembalikan: "+x.Number, nil, map[string]string{"note": note})
		}
		res, err := tx.ExecContext(ctx, "UPDATE curation_assignments SET conflict = 'none', conflict_note = ?, declared_at = ? WHERE id = ? AND conflict = '' AND released_at IS NULL",
			note, tx.Now, assignmentID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // declared already: a second tap changes nothing
		}
		return audit.Record(ctx, tx, "assignment.declare", "assignment", fmt.Sprint(assignmentID), "Tidak ada benturan kepentingan: "+x.Number, nil, nil)
	})
}

// ViewScope limits a curation expert (kurator) to the applications assigned
// to them and not handed back, once they declared no conflict of interest.
func (s *Service) ViewScope(u account.User) (application.Scope, bool) {
	if u.Role != role.Kurator {
		return application.Scope{}, false
	}
	return application.Scope{
		Where: "a.id IN (SELECT application_id FROM curation_assignments WHERE reviewer_id = ? AND released_at IS NULL AND conflict = 'none')",
		Args:  []any{u.ID},
	}, true
}
