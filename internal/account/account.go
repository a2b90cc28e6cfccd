// Package account is who may use Etalase: users with one role each, passwords,
// sessions kept in the database, sign-in throttling and personal API tokens. Every
// change is audited in the same transaction.
package account

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/role"
)

// Service runs the account rules on a database.
type Service struct {
	DB     *db.DB
	Hasher Hasher
	// SessionIdle ends a session nobody used for this long; SessionMax ends any
	// session this long after sign-in.
	SessionIdle time.Duration
	SessionMax  time.Duration
	// RegistrationsPerHour is how many applicants may register from one
	// address in an hour. A gallery event registers many SMEs behind the
	// Office's one Wi-Fi address, so it is generous; it still stops a script
	// from making accounts by the thousand.
	RegistrationsPerHour int
}

// New returns a Service with the default hasher and session lifetimes: a clerk's
// session survives a lunch break (2 hours idle) but not the night (12 hours).
func New(d *db.DB) *Service {
	return &Service{DB: d, Hasher: DefaultHasher, SessionIdle: 2 * time.Hour, SessionMax: 12 * time.Hour, RegistrationsPerHour: 60}
}

// User is an account.
type User struct {
	ID                 int64
	Email              string // lower-case, may be empty when Phone is set
	Phone              string // E.164, may be empty when Email is set
	Name               string
	Role               role.Role
	Division           role.Division // only for role.Bidang
	MustChangePassword bool
	Active             bool
	Lang               i18n.Lang
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Login is what the user types to sign in: the e-mail, else the phone number.
func (u User) Login() string {
	if u.Email != "" {
		return u.Email
	}
	return u.Phone
}

// summary is what the audit trail keeps of a user (never the password hash).
func (u User) summary() map[string]any {
	return map[string]any{"email": u.Email, "phone": u.Phone, "name": u.Name, "role": u.Role, "division": u.Division, "active": u.Active}
}

// NewUser is what creating an account needs.
type NewUser struct {
	Email, Phone, Name string
	Role               role.Role
	Division           role.Division
	Password           string
	// NoPassword makes an account no password opens (Unusable) until one is
	// set: an imported applicant, who is given one at the desk. Password is
	// then ignored.
	NoPassword         bool
	MustChangePassword bool
	Lang               i18n.Lang
}

var (
	errNotFound = apperr.New(apperr.NotFound, "account.not_found", "Akun tidak ditemukan.", "Account not found.")
)

const userColumns = "id, COALESCE(email, ''), COALESCE(phone, ''), name, role, COALESCE(division, ''), must_change_password, active, lang, created_at, updated_at"

// userColumnsU are userColumns of the users table named u, for a query that
// joins it.
const userColumnsU = "u.id, COALESCE(u.email, ''), COALESCE(u.phone, ''), u.name, u.role, COALESCE(u.division, ''), u.must_change_password, u.active, u.lang, u.created_at, u.updated_at"

// scanUser reads a user's columns (userColumns), after the columns read into
// first, if any.
func scanUser(row interface{ Scan(...any) error }, first ...any) (User, error) {
	var u User
	var r, div, lang string
	err := row.Scan(append(first, &u.ID, &u.Email, &u.Phone, &u.Name, &r, &div, &u.MustChangePassword, &u.Active, &lang, &u.CreatedAt, &u.UpdatedAt)...)
	u.Role, u.Division, u.Lang = role.Role(r), role.Division(div), i18n.Lang(lang)
	return u, err
}

// NormalizeEmail lower-cases and checks an e-mail address.
func NormalizeEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", false
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !strings.Contains(s[at+1:], ".") || len(s) > 254 {
		return "", false
	}
	return s, true
}

// checkNewUser validates n and returns it normalised.
func checkNewUser(n NewUser) (NewUser, error) {
	var f apperr.Form
	n.Name = strings.TrimSpace(n.Name)
	if n.Name == "" {
		f.Addf("name", "Nama wajib diisi.", "Name is required.")
	} else if len([]rune(n.Name)) > 200 {
		f.Addf("name", "Nama terlalu panjang (maksimal 200 karakter).", "Name is too long (200 characters at most).")
	}
	if strings.TrimSpace(n.Email) != "" {
		if e, ok := NormalizeEmail(n.Email); ok {
			n.Email = e
		} else {
			f.Addf("email", "Alamat e-mail tidak valid, contoh: nama@contoh.id.", "Not a valid e-mail address, e.g. name@example.id.")
		}
	} else {
		n.Email = ""
	}
	if strings.TrimSpace(n.Phone) != "" {
		p, err := idn.ParsePhone(n.Phone)
		if err != nil {
			var prob *idn.Problem
			if errors.As(err, &prob) {
				f.Add("phone", prob.Text)
			} else {
				f.Addf("phone", "Nomor telepon tidak valid.", "Not a valid phone number.")
			}
		} else {
			n.Phone = p.E164
		}
	} else {
		n.Phone = ""
	}
	if n.Email == "" && n.Phone == "" && !f.Has("email") && !f.Has("phone") {
		f.Addf("email", "Isi e-mail atau nomor WhatsApp untuk masuk.", "Enter an e-mail or a WhatsApp number to sign in with.")
	}
	if !n.Role.Valid() {
		f.Addf("role", "Pilih peran.", "Choose a role.")
	}
	if n.Role == role.Bidang && !n.Division.Valid() {
		f.Addf("division", "Petugas bidang harus memilih bidangnya.", "A division officer needs a division.")
	}
	if n.Role != role.Bidang {
		n.Division = ""
	}
	if n.NoPassword {
		n.Password = ""
	} else if t, ok := CheckPassword(n.Password, n.Email, strings.TrimPrefix(n.Phone, "+")); !ok {
		f.Add("password", t)
	}
	if n.Lang != i18n.EN {
		n.Lang = i18n.ID
	}
	return n, f.Err()
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Create makes an account. The caller checks that the actor may do so.
func (s *Service) Create(ctx context.Context, n NewUser) (User, error) {
	n, err := checkNewUser(n)
	if err != nil {
		return User{}, err
	}
	hash := Unusable
	if !n.NoPassword {
		if hash, err = s.hash(ctx, secretFor(n.Password, n.MustChangePassword)); err != nil {
			return User{}, err
		}
	}
	var u User
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		row := tx.QueryRowContext(ctx, `INSERT INTO users (email, phone, name, role, division, password_hash, must_change_password, active, lang, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?) RETURNING `+userColumns,
			nullable(n.Email), nullable(n.Phone), n.Name, string(n.Role), nullable(string(n.Division)), hash, n.MustChangePassword, string(n.Lang), tx.Now, tx.Now)
		if u, err = scanUser(row); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "user.create", "user", fmt.Sprint(u.ID), "Akun dibuat: "+u.Name+" ("+string(u.Role)+")", nil, u.summary())
	})
	if db.IsUniqueViolation(err) {
		var f apperr.Form
		if n.Email != "" && s.exists(ctx, "email", n.Email) {
			f.Addf("email", "E-mail ini sudah terdaftar. Silakan masuk, atau pakai e-mail lain.", "This e-mail is already registered. Sign in, or use another e-mail.")
		}
		if n.Phone != "" && s.exists(ctx, "phone", n.Phone) {
			f.Addf("phone", "Nomor ini sudah terdaftar. Silakan masuk, atau pakai nomor lain.", "This number is already registered. Sign in, or use another number.")
		}
		if err := f.Err(); err != nil {
			e, _ := apperr.As(err)
			e.Kind = apperr.Conflict
			return User{}, e
		}
	}
	return u, err
}

func (s *Service) exists(ctx context.Context, column, value string) bool {
	var n int
	_ = s.DB.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE "+column+" = ?", value).Scan(&n)
	return n > 0
}

// Register is an applicant signing themselves up: the role is always pemohon.
// It says when the e-mail or number is taken; the public page uses SignUp,
// which does not.
func (s *Service) Register(ctx context.Context, n NewUser) (User, error) {
	n.Role, n.Division, n.MustChangePassword = role.Pemohon, "", false
	return s.Create(ctx, n)
}

// SignUp is an applicant registering themselves on the public page, from ip.
// It answers alike whether or not the e-mail or phone number is registered
// already, so the page cannot be used to find out who has an account
// (docs/decisions.md, "Registration without an oracle"): with nil when the
// account was made, and with nil too when the e-mail or number was taken, in
// which case nothing is made and the attempt is audited on the existing
// account. Both ways cost one password hash and one commit. Form problems
// are reported as usual (they do not depend on who is registered); too many
// registrations from one address are refused.
func (s *Service) SignUp(ctx context.Context, n NewUser, ip string) error {
	n.Role, n.Division, n.MustChangePassword = role.Pemohon, "", false
	checked, err := checkNewUser(n)
	if err != nil {
		return err
	}
	if err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error { return s.countRegistration(ctx, tx, ip) }); err != nil {
		return err
	}
	_, err = s.Create(ctx, n)
	if !apperr.IsKind(err, apperr.Conflict) {
		return err
	}
	var taken int64
	for _, k := range []struct{ column, value string }{{"email", checked.Email}, {"phone", checked.Phone}} {
		if k.value != "" && taken == 0 {
			_ = s.DB.Q(ctx).QueryRowContext(ctx, "SELECT id FROM users WHERE "+k.column+" = ?", k.value).Scan(&taken)
		}
	}
	return audit.Write(ctx, s.DB, "user.register_taken", "user", idOrEmpty(taken),
		"Pendaftaran mandiri dengan e-mail/nomor yang sudah terdaftar; tidak ada akun baru dibuat")
}

// Get returns the user with id.
func (s *Service) Get(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, errNotFound
	}
	return u, err
}

// ByLogin finds a user by e-mail or phone number as typed.
func (s *Service) ByLogin(ctx context.Context, login string) (User, error) {
	column, value, ok := loginKey(login)
	if !ok {
		return User{}, errNotFound
	}
	u, err := scanUser(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE "+column+" = ?", value))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, errNotFound
	}
	return u, err
}

// loginKey says which column a typed login is matched against, normalised.
func loginKey(login string) (column, value string, ok bool) {
	login = strings.TrimSpace(login)
	if strings.Contains(login, "@") {
		e, ok := NormalizeEmail(login)
		return "email", e, ok
	}
	p, err := idn.ParsePhone(login)
	if err != nil {
		return "", "", false
	}
	return "phone", p.E164, true
}

// Filter narrows List and Page.
type Filter struct {
	Role  role.Role
	Staff bool // only the Office's accounts, no applicants
	// Search: words that begin words of the name, the e-mail or the phone
	// ("sri kerip", "sri@keripik", "0812"), through each engine's full-text
	// index (migration 0011).
	Search string
	Active *bool
}

// where is f as SQL conditions over users on engine e, with their arguments.
// none means nothing can match (a search of only punctuation).
func (f Filter) where(e db.Engine) (q string, args []any, none bool) {
	q = " WHERE 1=1"
	if f.Role != "" {
		q += " AND role = ?"
		args = append(args, string(f.Role))
	}
	if f.Staff {
		q += " AND role <> 'pemohon'"
	}
	if f.Active != nil {
		q += " AND active = ?"
		args = append(args, *f.Active)
	}
	if strings.TrimSpace(f.Search) != "" {
		terms := db.SearchTerms(f.Search)
		if len(terms) == 0 {
			return q, args, true
		}
		if e == db.Postgres {
			q += " AND search @@ to_tsquery('simple', ?)"
		} else {
			q += " AND id IN (SELECT rowid FROM users_fts WHERE users_fts MATCH ?)"
		}
		args = append(args, db.MatchQuery(e, terms))
	}
	return q, args, false
}

// List returns every user matching f, by name: for the short lists of staff a
// form picks from. A page of all accounts, applicants included, is Page.
func (s *Service) List(ctx context.Context, f Filter) ([]User, error) {
	where, args, none := f.where(s.DB.Engine)
	if none {
		return nil, nil
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT "+userColumns+" FROM users"+where+" ORDER BY lower(name), id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UserPage is one page of accounts and the cursor of the next ("" on the last).
type UserPage struct {
	Users []User
	Next  string
}

// PageSize is how many accounts a page of Page holds.
const PageSize = 50

var errCursor = apperr.New(apperr.Invalid, "account.cursor",
	"Alamat halaman ini tidak dikenal; mulai lagi dari halaman pertama.",
	"This page address is not recognised; start again from the first page.")

// Page returns the accounts matching f by name, PageSize at a time, after the
// cursor (the Next of the page before; "" for the first). The cursor is the
// last row's key as the database lowers it, so that a name outside ASCII, which
// SQLite and PostgreSQL lower differently from Go, still pages exactly.
func (s *Service) Page(ctx context.Context, f Filter, cursor string) (UserPage, error) {
	where, args, none := f.where(s.DB.Engine)
	if none {
		return UserPage{}, nil
	}
	if cursor != "" {
		name, id, err := readUserCursor(cursor)
		if err != nil {
			return UserPage{}, err
		}
		where += " AND (lower(name) > ? OR (lower(name) = ? AND id > ?))"
		args = append(args, name, name, id)
	}
	q := "SELECT lower(name), " + userColumns + " FROM users" + where + fmt.Sprintf(" ORDER BY lower(name), id LIMIT %d", PageSize+1)
	rows, err := s.DB.Q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return UserPage{}, err
	}
	defer rows.Close()
	var p UserPage
	var keys []string
	for rows.Next() {
		var key string
		u, err := scanUser(rows, &key)
		if err != nil {
			return UserPage{}, err
		}
		p.Users, keys = append(p.Users, u), append(keys, key)
	}
	if err := rows.Err(); err != nil {
		return UserPage{}, err
	}
	if len(p.Users) > PageSize {
		p.Users = p.Users[:PageSize]
		p.Next = userCursor(keys[PageSize-1], p.Users[PageSize-1].ID)
	}
	return p, nil
}

func userCursor(name string, id int64) string {
	return strconv.FormatInt(id, 10) + "." + base64.RawURLEncoding.EncodeToString([]byte(name))
}

func readUserCursor(c string) (name string, id int64, err error) {
	idText, nameText, ok := strings.Cut(c, ".")
	if !ok {
		return "", 0, errCursor
	}
	id, err = strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return "", 0, errCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(nameText)
	if err != nil {
		return "", 0, errCursor
	}
	return string(b), id, nil
}

// Count returns how many accounts exist.
func (s *Service) Count(ctx context.Context) (int, error) {
	var n int
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// update changes one user inside a transaction, auditing before and after.
func (s *Service) update(ctx context.Context, id int64, action, summary string, change func(ctx context.Context, tx *db.Tx, u *User) error) (User, error) {
	var after User
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		// SQLite's write transactions are serial; on PostgreSQL lock the admins
		// (for the last-admin rule) and the user, in id order.
		if tx.Engine() == db.Postgres {
			if _, err := tx.ExecContext(ctx, "SELECT id FROM users WHERE (role = 'admin' AND active = TRUE) OR id = ? ORDER BY id FOR UPDATE", id); err != nil {
				return err
			}
		}
		before, err := s.Get(ctx, id)
		if err != nil {
			return err
		}
		u := before
		if err := change(ctx, tx, &u); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET role = ?, division = ?, active = ?, name = ?, lang = ?, updated_at = ? WHERE id = ?",
			string(u.Role), nullable(string(u.Division)), u.Active, u.Name, string(u.Lang), tx.Now, id); err != nil {
			return err
		}
		if after, err = s.Get(ctx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, action, "user", fmt.Sprint(id), summary+": "+u.Name, before.summary(), after.summary())
	})
	return after, err
}

// otherActiveAdmins counts active admins other than id, so the last one cannot be
// demoted or deactivated (nobody could then manage accounts). It first locks the
// admins' rows: two admins removing each other at the same moment must not both
// succeed (PostgreSQL's READ COMMITTED would otherwise let both counts see two).
//
// The lock is taken by update() before anything else, in id order, so that two
// such changes queue instead of deadlocking.
func (s *Service) otherActiveAdmins(ctx context.Context, tx *db.Tx, id int64) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = TRUE AND id <> ?", id).Scan(&n)
	return n, err
}

var errLastAdmin = apperr.New(apperr.Conflict, "account.last_admin",
	"Ini satu-satunya admin aktif. Jadikan orang lain admin lebih dulu.",
	"This is the only active admin. Make someone else admin first.")

// SetRole changes a user's role (and division, for division officers).
func (s *Service) SetRole(ctx context.Context, id int64, r role.Role, d role.Division) (User, error) {
	if !r.Valid() {
		return User{}, apperr.InvalidField("account.role", "role", i18n.Text{ID: "Pilih peran.", EN: "Choose a role."})
	}
	if r == role.Bidang && !d.Valid() {
		return User{}, apperr.InvalidField("account.division", "division", i18n.Text{ID: "Petugas bidang harus memilih bidangnya.", EN: "A division officer needs a division."})
	}
	if r != role.Bidang {
		d = ""
	}
	return s.update(ctx, id, "user.change_role", "Peran diubah", func(ctx context.Context, tx *db.Tx, u *User) error {
		if u.Role == role.Admin && r != role.Admin {
			if n, err := s.otherActiveAdmins(ctx, tx, id); err != nil || n == 0 {
				return cmp(err, errLastAdmin)
			}
		}
		u.Role, u.Division = r, d
		return nil
	})
}

// SetActive activates or deactivates a user. Deactivating ends all their sessions
// and stops their API tokens at once.
func (s *Service) SetActive(ctx context.Context, id int64, active bool) (User, error) {
	action, summary := "user.activate", "Akun diaktifkan"
	if !active {
		action, summary = "user.deactivate", "Akun dinonaktifkan"
	}
	return s.update(ctx, id, action, summary, func(ctx context.Context, tx *db.Tx, u *User) error {
		if !active && u.Role == role.Admin {
			if n, err := s.otherActiveAdmins(ctx, tx, id); err != nil || n == 0 {
				return cmp(err, errLastAdmin)
			}
		}
		u.Active = active
		if !active {
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", id); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetLang records the user's language.
func (s *Service) SetLang(ctx context.Context, id int64, l i18n.Lang) error {
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE users SET lang = ? WHERE id = ?", string(i18n.Parse(string(l))), id)
		return err
	})
}

func cmp(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// PasswordChange is a user changing their own password.
type PasswordChange struct {
	UserID int64
	// Current is the password in use. It is not asked right after signing in
	// with a one-time password (AsksCurrentPassword): that sign-in is the proof.
	Current, New string
	Session      string // the session making the change: it stays signed in
	IP           string // where the change comes from, for throttling wrong current passwords
	// KeepTokens leaves the account's API tokens working. By default they are
	// revoked: whoever knew the old password may have made one.
	KeepTokens bool
}

var errWrongPassword = apperr.InvalidField("account.wrong_password", "current", i18n.Text{ID: "Kata sandi saat ini salah.", EN: "The current password is wrong."})

// ChangePassword sets a new password after checking the current one, clears the
// must-change flag, and ends the user's other sessions (c.Session stays). Wrong
// current passwords count towards the sign-in throttle, so the form is no way
// around it.
func (s *Service) ChangePassword(ctx context.Context, c PasswordChange) error {
	u, err := s.Get(ctx, c.UserID)
	if err != nil {
		return err
	}
	hash, err := s.passwordHash(ctx, u.ID)
	if err != nil {
		return err
	}
	// Right after signing in with a one-time password, that sign-in is the proof.
	if c.Current != "" || s.AsksCurrentPassword(ctx, u, c.Session) {
		att := newAttempt(u.ID, "", c.IP)
		if err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error { return s.countAttempt(ctx, tx, &att) }); err != nil {
			return err
		}
		ok, err := s.verify(ctx, hash, secretFor(c.Current, u.MustChangePassword))
		if err != nil {
			return s.takeBack(ctx, att, err)
		}
		if !ok {
			return errWrongPassword
		}
		if err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error { return s.forgive(ctx, tx, att) }); err != nil {
			return err
		}
	}
	if t, ok := CheckPassword(c.New, u.Email, strings.TrimPrefix(u.Phone, "+")); !ok {
		return apperr.InvalidField("account.weak_password", "password", t)
	}
	same, err := s.verify(ctx, hash, secretFor(c.New, u.MustChangePassword))
	if err != nil {
		return err
	}
	if same {
		return apperr.InvalidField("account.same_password", "password", i18n.Text{ID: "Kata sandi baru harus berbeda dari yang lama.", EN: "The new password must differ from the old one."})
	}
	return s.setPassword(ctx, u, c.New, false, !c.KeepTokens, "user.change_password", "Kata sandi diganti", c.Session)
}

// oneTimeProof is how long signing in with a one-time password stands in for
// typing it again on the change form: long enough to choose a new password,
// short enough that a session left open at the desk does not let the next
// person choose it.
const oneTimeProof = 30 * time.Minute

// AsksCurrentPassword reports whether changing u's password in the session
// token needs the current password typed. It does not right after signing in
// with a one-time password: a session of the account, begun less than
// oneTimeProof ago, while the account is on one.
func (s *Service) AsksCurrentPassword(ctx context.Context, u User, token string) bool {
	if !u.MustChangePassword || token == "" {
		return true
	}
	var owner int64
	var created, expires time.Time
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT user_id, created_at, expires_at FROM sessions WHERE token_hash = ?", hashToken(token)).Scan(&owner, &created, &expires)
	now := s.DB.Clock(ctx)
	return err != nil || owner != u.ID || !now.Before(expires) || now.Sub(created) >= oneTimeProof
}

// ResetPassword gives the user a new one-time password, to be changed at the next
// sign-in, ends all their sessions, stops their API tokens and lifts any wait the
// sign-in throttle put on the account. The password is returned to be handed
// over once; it is never stored or logged in clear. The caller checks that the
// actor may reset this account's password (policy.ResetsPassword).
func (s *Service) ResetPassword(ctx context.Context, id int64) (string, error) {
	u, err := s.Get(ctx, id)
	if err != nil {
		return "", err
	}
	otp := NewOneTimePassword()
	// A reset means the password may be known to someone else: API tokens made
	// with that access stop too.
	return otp, s.setPassword(ctx, u, otp, true, true, "user.reset_password", "Kata sandi direset", "")
}

func (s *Service) setPassword(ctx context.Context, u User, password string, mustChange, revokeTokens bool, action, summary, keepToken string) error {
	hash, err := s.hash(ctx, secretFor(password, mustChange))
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?", hash, mustChange, tx.Now, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", u.ID, hashToken(keepToken)); err != nil {
			return err
		}
		var revoked int64
		if revokeTokens {
			res, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", tx.Now, u.ID)
			if err != nil {
				return err
			}
			revoked, _ = res.RowsAffected()
		}
		if mustChange {
			if err := s.liftLock(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		var after any
		if revoked > 0 {
			after = map[string]any{"tokens_revoked": revoked}
		}
		return audit.Record(ctx, tx, action, "user", fmt.Sprint(u.ID), summary+": "+u.Name, nil, after)
	})
}

func (s *Service) passwordHash(ctx context.Context, id int64) (string, error) {
	var h string
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT password_hash FROM users WHERE id = ?", id).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errNotFound
	}
	return h, err
}

// FirstAdminEmail is the login of the admin created on the first start.
const FirstAdminEmail = "admin@etalase.local"

// EnsureFirstAdmin creates the first admin when the database has no account at
// all, and returns its one-time password (to be printed once). created is false
// when accounts already exist.
func (s *Service) EnsureFirstAdmin(ctx context.Context) (login, password string, created bool, err error) {
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		n, err := s.Count(ctx)
		if err != nil || n > 0 {
			return err
		}
		password = NewOneTimePassword()
		_, err = s.Create(audit.WithActor(ctx, audit.System), NewUser{
			Email: FirstAdminEmail, Name: "Administrator", Role: role.Admin,
			Password: password, MustChangePassword: true,
		})
		created = err == nil
		return err
	})
	return FirstAdminEmail, password, created, err
}

// hashToken is how session and API tokens are kept: SHA-256 is enough because the
// tokens are long random strings, not guessable passwords.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Names returns the names of the accounts with these ids (those that exist),
// for pages that list many entries about many people.
func (s *Service) Names(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	q := "SELECT id, name FROM users WHERE id IN (?" + strings.Repeat(", ?", len(ids)-1) + ")"
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// SetPasswordByLink sets the password of user id after a one-time link sent
// to their e-mail or WhatsApp proved who they are (internal/message checks
// and spends the link): it ends their sessions and revokes their API tokens,
// as a reset by the admin does. An imported applicant's account, which no
// password opened, is activated so.
func (s *Service) SetPasswordByLink(ctx context.Context, id int64, password string) error {
	u, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if t, ok := CheckPassword(password, u.Email, strings.TrimPrefix(u.Phone, "+")); !ok {
		return apperr.InvalidField("account.weak_password", "password", t)
	}
	return s.setPassword(ctx, u, password, false, true, "user.password_by_link", "Kata sandi dibuat lewat tautan sekali pakai", "")
}
