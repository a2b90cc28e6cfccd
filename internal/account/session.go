package account

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
)

// ErrNoSession means the cookie names no live session: never signed in, signed
// out, expired, or the account was deactivated.
var ErrNoSession = errors.New("no live session")

// Sign-in throttling (throttle.go). Failures are counted in the database so every
// server process sees them. An account gets a few tries at one address (a person
// mistyping); an address gets more across accounts (an office behind one NAT), but
// not enough to guess passwords.
const (
	throttleWindow      = 15 * time.Minute
	maxAccountFailures  = 5
	maxAddressFailures  = 30
	sessionTouchEvery   = time.Minute
	apiTokenTouchEvery  = time.Minute
	userAgentMaxRunes   = 300
	failureRowsLifetime = 24 * time.Hour
)

var errBadLogin = apperr.New(apperr.Unauthorized, "account.bad_login",
	"E-mail/nomor atau kata sandi salah.",
	"Wrong e-mail/number or password.")

// Login checks a login and password and starts a session. It answers the same for
// an unknown account as for a wrong password, and makes a guesser wait after
// too many failures (throttle.go) without locking the owner out.
//
// The attempt is counted before the password is checked, in one transaction
// that also reads the counts, so parallel guesses cannot slip past the limit;
// a successful sign-in takes its attempt back.
func (s *Service) Login(ctx context.Context, login, password, ip, userAgent string) (User, string, error) {
	_, key, known := loginKey(login)
	label := key
	if !known {
		label = "(tidak dikenal)"
	}
	// The account is looked up first, so that its e-mail and its phone number
	// are counted as one; a lookup costs the same whether it finds one or not.
	var u User
	if known {
		var err error
		if u, err = s.ByLogin(ctx, login); err != nil && !apperr.IsKind(err, apperr.NotFound) {
			return User{}, "", err
		}
	}
	att := newAttempt(u.ID, login, ip)
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if err := s.countAttempt(ctx, tx, &att); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			// The client left as the attempt was written: a commit that raced
			// the cancellation may have landed, and its rows are taken back.
			return User{}, "", s.takeBack(ctx, att, err)
		}
		return User{}, "", err
	}
	hash := ""
	if u.ID != 0 {
		if hash, err = s.passwordHash(ctx, u.ID); err != nil {
			// Not checked either (most often the client left before it).
			return User{}, "", s.takeBack(ctx, att, err)
		}
	}
	ok, err := s.verify(ctx, hash, secretFor(password, u.MustChangePassword))
	if err != nil {
		// The password was never checked (the client left while it waited,
		// or too many sign-ins at once): the attempt does not count.
		return User{}, "", s.takeBack(ctx, att, err)
	}
	if !ok || u.ID == 0 {
		ferr := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			actx := audit.WithActor(ctx, audit.Actor{UserID: u.ID, Label: label, IP: ip})
			return audit.Record(actx, tx, "session.login_failed", "user", idOrEmpty(u.ID), "Gagal masuk", nil, nil)
		})
		return User{}, "", cmp(ferr, errBadLogin)
	}
	if !u.Active {
		return User{}, "", apperr.New(apperr.Forbidden, "account.inactive",
			"Akun ini dinonaktifkan. Hubungi admin galeri bila perlu diaktifkan lagi.",
			"This account is deactivated. Ask the gallery's admin if it should be reactivated.")
	}
	var token string
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if err := s.forgive(ctx, tx, att); err != nil {
			return err
		}
		var err error
		if token, err = s.startSession(ctx, tx, u.ID, ip, userAgent); err != nil {
			return err
		}
		actx := audit.WithActor(ctx, audit.Actor{UserID: u.ID, Label: u.Login(), IP: ip})
		return audit.Record(actx, tx, "session.login", "user", fmt.Sprint(u.ID), "Masuk", nil, nil)
	})
	return u, token, err
}

// takeBack removes the attempts counted for a sign-in whose password was
// never checked, and returns why it was not.
func (s *Service) takeBack(ctx context.Context, a attempt, why error) error {
	err := s.DB.InTx(context.WithoutCancel(ctx), func(ctx context.Context, tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE id IN (?, ?, ?)", a.acctRow, a.pairRow, a.addressRow)
		return err
	})
	if err != nil {
		return fmt.Errorf("%w (and taking back the attempt failed: %v)", why, err)
	}
	return why
}

// purgeChunk bounds each purge transaction: a backlog of old failures is
// removed in short transactions that never hold up a sign-in.
const purgeChunk = 1000

// PurgeLoginFailures removes the failures too old to throttle anything (a
// day), a chunk at a time. The server runs it now and then (Maintain), not on
// every sign-in: it reads the failures by time, which the sign-in does not.
func (s *Service) PurgeLoginFailures(ctx context.Context) (int64, error) {
	var total int64
	for {
		var n int64
		err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			res, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM login_failures WHERE id IN (
				SELECT id FROM login_failures WHERE at < ? ORDER BY at LIMIT %d)`, purgeChunk), tx.Now.Add(-failureRowsLifetime))
			if err == nil {
				n, err = res.RowsAffected()
			}
			return err
		})
		total += n
		if err != nil || n < purgeChunk {
			return total, err
		}
	}
}

func idOrEmpty(id int64) string {
	if id == 0 {
		return ""
	}
	return fmt.Sprint(id)
}

// StartSession begins a session for a user who was just created or verified.
func (s *Service) StartSession(ctx context.Context, userID int64, ip, userAgent string) (string, error) {
	var token string
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var err error
		token, err = s.startSession(ctx, tx, userID, ip, userAgent)
		return err
	})
	return token, err
}

func (s *Service) startSession(ctx context.Context, tx *db.Tx, userID int64, ip, userAgent string) (string, error) {
	token := "s_" + rand.Text() + rand.Text()
	if r := []rune(userAgent); len(r) > userAgentMaxRunes {
		userAgent = string(r[:userAgentMaxRunes])
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)",
		hashToken(token), userID, tx.Now, tx.Now, tx.Now.Add(s.SessionMax), ip, userAgent)
	return token, err
}

// SessionUser returns the user of a live session and keeps it alive. Expired
// sessions are deleted on sight.
func (s *Service) SessionUser(ctx context.Context, token string) (User, error) {
	if token == "" {
		return User{}, ErrNoSession
	}
	h := hashToken(token)
	var lastSeen, expires time.Time
	// The session and its user in one query: every page asks.
	u, err := scanUser(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT s.last_seen_at, s.expires_at, "+userColumnsU+
		" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?", h), &lastSeen, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNoSession
	}
	if err != nil {
		return User{}, err
	}
	now := s.DB.Clock(ctx)
	if now.After(expires) || now.Sub(lastSeen) > s.SessionIdle {
		_ = s.EndSession(ctx, token)
		return User{}, &ExpiredError{UserID: u.ID}
	}
	if !u.Active {
		return User{}, ErrNoSession
	}
	// Touching on every request would make every page view a write; once a minute
	// is precise enough for an idle limit counted in hours.
	if now.Sub(lastSeen) > sessionTouchEvery {
		err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", tx.Now, h)
			return err
		})
	}
	return u, err
}

// EndSession signs a session out.
func (s *Service) EndSession(ctx context.Context, token string) error {
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", hashToken(token))
		return err
	})
}

// Logout ends the session and audits it.
func (s *Service) Logout(ctx context.Context, u User, token string) error {
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", hashToken(token)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "session.logout", "user", fmt.Sprint(u.ID), "Keluar", nil, nil)
	})
}

// PurgeExpiredSessions deletes sessions past their limits; run it now and then.
func (s *Service) PurgeExpiredSessions(ctx context.Context) (int64, error) {
	var n int64
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?", tx.Now, tx.Now.Add(-s.SessionIdle))
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	return n, err
}

// ExpiredError is the answer for a session that existed but ran out (idle or
// too old): whose it was, so a form posted just then can be kept for that
// person alone. errors.Is(err, ErrNoSession) holds for it.
type ExpiredError struct{ UserID int64 }

func (e *ExpiredError) Error() string        { return ErrNoSession.Error() + " (expired)" }
func (e *ExpiredError) Is(target error) bool { return target == ErrNoSession }
