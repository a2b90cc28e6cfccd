package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/db"
)

// Guessing passwords is slowed down without letting anyone lock an account
// out (docs/decisions.md, "Sign-in throttling by account and address
// together"). Every try at a password — a
// sign-in, or the current password on the change form — is counted under
// three keys in login_failures, before the password is checked:
//
//   - the account at one address ("pair"): the first few failures are free (a
//     person mistyping), then each next try waits twice as long as the one
//     before, up to a limit. This is the guesser's own counter: it does not
//     touch the owner, who signs in from another address.
//   - the address across all accounts: many failures in a short time from one
//     address (one machine trying many accounts) make that address wait.
//   - the account across all addresses: only when an account collects very
//     many failures from many addresses (a network of machines guessing one
//     account) are tries from addresses it was never signed in from made to
//     wait; those it was signed in from go on as before.
//
// The account is counted by its id, so its e-mail and its phone number share
// one counter; a login that names no account is counted by its normal form.
const (
	pairFreeFailures   = maxAccountFailures // free failures of one account at one address
	pairFirstDelay     = time.Minute        // the wait after them, doubling with each failure
	pairMaxDelay       = throttleWindow     // ... up to this
	pairMemory         = failureRowsLifetime
	spreadWindow       = time.Hour
	maxSpreadFailures  = 100 // failures of one account from all addresses in spreadWindow
	knownAddressMemory = 90 * 24 * time.Hour

	registrationWindow = time.Hour // Service.RegistrationsPerHour counts in it
)

// attempt is one try at a password, counted under its keys until it proves
// right (forgive) or stays counted as a failure.
type attempt struct {
	userID                       int64 // 0 when the login names no account
	ip                           string
	acct, pair, addr             string
	acctRow, pairRow, addressRow int64
}

// newAttempt names the keys of a try at the password of userID (0: unknown)
// from ip; typed is the login as typed, for an unknown account.
func newAttempt(userID int64, typed, ip string) attempt {
	acct := fmt.Sprintf("u%d", userID)
	if userID == 0 {
		// The spellings of one login share a counter whether or not it has an
		// account, or "0812..." after five failures at "+62812..." would tell
		// which numbers are registered. Whatever was typed may be a password in
		// the wrong field: it is neither stored nor shown, only its hash is
		// counted.
		key := strings.ToLower(strings.TrimSpace(typed))
		if _, normal, ok := loginKey(typed); ok {
			key = normal
		}
		acct = "?" + hashToken(key)[:16]
	}
	return attempt{userID: userID, ip: ip, acct: "acct:" + acct, pair: "pair:" + acct + "@" + ip, addr: "ip:" + ip}
}

// errThrottled is the answer to a try that must wait.
func errThrottled(wait time.Duration) error {
	mins := int((wait + time.Minute - 1) / time.Minute)
	return &apperr.Error{Kind: apperr.TooMany, Code: "account.throttled", RetryAfter: wait,
		Text: textf("Terlalu banyak percobaan yang gagal. Demi keamanan, tunggu %d menit lalu coba lagi.",
			"Too many failed attempts. For safety, wait %d minutes and try again.", mins)}
}

// countAttempt refuses a try that must wait, and otherwise counts it under its
// keys, in tx: the check and the count are one step, so parallel guesses cannot
// slip past a limit.
func (s *Service) countAttempt(ctx context.Context, tx *db.Tx, a *attempt) error {
	if tx.Engine() == db.Postgres {
		// SQLite's write transactions are serial already; PostgreSQL needs the
		// keys locked, always in the same order.
		for _, k := range []string{a.acct, a.pair, a.addr} {
			if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtext(?))", k); err != nil {
				return err
			}
		}
	}
	wait, err := s.attemptWait(ctx, tx, *a)
	if err != nil {
		return err
	}
	if wait > 0 {
		return errThrottled(wait)
	}
	if err := tx.QueryRowContext(ctx, "INSERT INTO login_failures (key, at) VALUES (?, ?) RETURNING id", a.acct, tx.Now).Scan(&a.acctRow); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, "INSERT INTO login_failures (key, at) VALUES (?, ?) RETURNING id", a.pair, tx.Now).Scan(&a.pairRow); err != nil {
		return err
	}
	return tx.QueryRowContext(ctx, "INSERT INTO login_failures (key, at) VALUES (?, ?) RETURNING id", a.addr, tx.Now).Scan(&a.addressRow)
}

// forgive takes back a try that proved right: the account's failures at this
// address are forgotten (the owner's own typing mistakes), and this try leaves
// the other two counters. Earlier failures of the account elsewhere stay: the
// owner signing in does not end somebody else's guessing.
func (s *Service) forgive(ctx context.Context, tx *db.Tx, a attempt) error {
	_, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE key = ? OR id = ? OR id = ?", a.pair, a.acctRow, a.addressRow)
	return err
}

// attemptWait is how long a must wait before its password is checked.
func (s *Service) attemptWait(ctx context.Context, tx *db.Tx, a attempt) (time.Duration, error) {
	now := tx.Now
	var wait time.Duration

	// The account at this address: free tries, then a doubling wait after the
	// last failure. A guesser is refused before a row is added, so there are
	// at most a hundred or so rows here a day.
	times, err := failureTimes(ctx, tx, a.pair, now.Add(-pairMemory))
	if err != nil {
		return 0, err
	}
	if n := len(times); n >= pairFreeFailures {
		wait = max(wait, times[0].Add(pairDelay(n)).Sub(now))
	}

	// The address across accounts.
	oldest, full, err := nthNewest(ctx, tx, a.addr, now.Add(-throttleWindow), maxAddressFailures)
	if err != nil {
		return 0, err
	}
	if full {
		wait = max(wait, oldest.Add(throttleWindow).Sub(now))
	}

	// The account across addresses, for addresses it was never signed in from.
	oldest, full, err = nthNewest(ctx, tx, a.acct, now.Add(-spreadWindow), maxSpreadFailures)
	if err != nil {
		return 0, err
	}
	if full {
		known, err := s.knownAddress(ctx, tx, a)
		if err != nil {
			return 0, err
		}
		if !known {
			wait = max(wait, oldest.Add(spreadWindow).Sub(now))
		}
	}
	return wait, nil
}

// pairDelay is the wait after the n-th failure of one account at one address.
func pairDelay(n int) time.Duration {
	d := pairFirstDelay
	for i := pairFreeFailures; i < n && d < pairMaxDelay; i++ {
		d *= 2
	}
	return min(d, pairMaxDelay)
}

// failureTimes lists the times of key's rows since since, newest first.
func failureTimes(ctx context.Context, tx *db.Tx, key string, since time.Time) ([]time.Time, error) {
	rows, err := tx.QueryContext(ctx, "SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at DESC", key, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			return nil, err
		}
		out = append(out, at)
	}
	return out, rows.Err()
}

// nthNewest returns the time of the max-th newest row of key since since, and
// whether there are that many.
func nthNewest(ctx context.Context, tx *db.Tx, key string, since time.Time, max int) (time.Time, bool, error) {
	var at time.Time
	err := tx.QueryRowContext(ctx, "SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?", key, since, max-1).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	return at, err == nil, err
}

// knownAddress reports whether the account of a was signed in from a's
// address lately (the audit trail keeps every sign-in with its address).
func (s *Service) knownAddress(ctx context.Context, tx *db.Tx, a attempt) (bool, error) {
	if a.userID == 0 || a.ip == "" {
		return false, nil
	}
	var one int
	err := tx.QueryRowContext(ctx, "SELECT 1 FROM audit_log WHERE actor_id = ? AND action = 'session.login' AND ip = ? AND at > ? LIMIT 1",
		a.userID, a.ip, tx.Now.Add(-knownAddressMemory)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// liftLock forgets every counted failure of the account userID, at every
// address: after a password reset the guesses at the old password are moot,
// and the owner must be able to sign in with the new one at once.
func (s *Service) liftLock(ctx context.Context, tx *db.Tx, userID int64) error {
	acct := fmt.Sprintf("u%d", userID)
	// The pairs are found by prefix, reading the day's rows: a reset is rare,
	// and a key range would depend on PostgreSQL's collation.
	_, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE key = ? OR substr(key, 1, ?) = ?", "acct:"+acct, len("pair:"+acct+"@"), "pair:"+acct+"@")
	return err
}

var errTooManyRegistrations = apperr.New(apperr.TooMany, "account.registrations_throttled",
	"Terlalu banyak pendaftaran dari alamat ini. Coba lagi dalam satu jam, atau daftar di meja galeri.",
	"Too many registrations from this address. Try again in an hour, or register at the gallery's desk.")

// countRegistration refuses a registration when its address has made too
// many lately, and otherwise counts it, in tx. Registrations share the
// sign-in throttle's table (and its purge) under their own key.
func (s *Service) countRegistration(ctx context.Context, tx *db.Tx, ip string) error {
	key := "reg:" + ip
	if tx.Engine() == db.Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtext(?))", key); err != nil {
			return err
		}
	}
	oldest, full, err := nthNewest(ctx, tx, key, tx.Now.Add(-registrationWindow), max(s.RegistrationsPerHour, 1))
	if err != nil {
		return err
	}
	if full {
		e := *errTooManyRegistrations
		e.RetryAfter = oldest.Add(registrationWindow).Sub(tx.Now)
		return &e
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO login_failures (key, at) VALUES (?, ?)", key, tx.Now)
	return err
}
