package message

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/role"
)

// One-time links: a password reset asked for on the sign-in page, and the
// activation of an applicant the Google Form import created without a
// password. Only the token's hash is kept; a link works once, and not after
// it expires.
const (
	ResetLinkLife    = 30 * time.Minute
	ActivateLinkLife = 7 * 24 * time.Hour
	// linksPerAccount and linksPerAddress cap the requests in an hour.
	linksPerAccount = 3
	linksPerAddress = 10
)

var (
	errLinkThrottled = apperr.New(apperr.TooMany, "link.throttled", "Terlalu banyak permintaan dari alamat ini. Coba lagi dalam satu jam.", "Too many requests from this address. Try again in an hour.")
	errLinkInvalid   = apperr.New(apperr.NotFound, "link.invalid", "Tautan ini tidak berlaku lagi: sudah dipakai atau kedaluwarsa. Minta tautan baru.", "This link no longer works: it was used or has expired. Ask for a new one.")
)

func hashLinkToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// RequestReset sends a reset link to the account with this login (e-mail or
// phone number), on the channel the login names. The answer is the same
// whether the account exists or not; only too many requests from one address
// are refused.
func (s *Service) RequestReset(ctx context.Context, login, ip string) error {
	login = strings.TrimSpace(login)
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM login_failures WHERE key = ? AND at > ?", "link:"+ip, tx.Now.Add(-time.Hour)).Scan(&n); err != nil {
			return err
		}
		if n >= linksPerAddress {
			return errLinkThrottled
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO login_failures (key, at) VALUES (?, ?)", "link:"+ip, tx.Now); err != nil {
			return err
		}
		u, err := s.Accounts.ByLogin(ctx, login)
		if err != nil || !u.Active {
			return nil // the same answer: nothing says the account does not exist
		}
		ch := Email
		if !strings.Contains(login, "@") {
			ch = WhatsApp
		}
		return s.sendLink(ctx, tx, u, "reset", ch)
	})
}

// sendLink makes a link for u and enqueues its message, unless u had
// linksPerAccount links in the last hour.
func (s *Service) sendLink(ctx context.Context, tx *db.Tx, u account.User, purpose string, ch Channel) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM login_links WHERE user_id = ? AND created_at > ?", u.ID, tx.Now.Add(-time.Hour)).Scan(&n); err != nil {
		return err
	}
	if n >= linksPerAccount {
		return nil
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	life, event := ResetLinkLife, PasswordReset
	if purpose == "activate" {
		life, event = ActivateLinkLife, AccountActivation
	}
	var id int64
	if err := tx.QueryRowContext(ctx, "INSERT INTO login_links (user_id, purpose, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
		u.ID, purpose, hashLinkToken(token), tx.Now, tx.Now.Add(life)).Scan(&id); err != nil {
		return err
	}
	base, _ := s.Setting(ctx, SetBaseURL)
	n2 := Notice{Event: event, Key: fmt.Sprintf("link:%d", id), User: u,
		Vars: map[string]string{"name": u.Name, "link": strings.TrimRight(base, "/") + "/password/link/" + token}}
	if ch != "" {
		n2.Channels = []Channel{ch}
	}
	_, err := s.Enqueue(ctx, tx, n2)
	return err
}

// LinkPurpose says what the link token is for, or errLinkInvalid.
func (s *Service) LinkPurpose(ctx context.Context, token string) (string, error) {
	var purpose string
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT purpose FROM login_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
		hashLinkToken(token), s.DB.Clock(ctx)).Scan(&purpose)
	if isNoRows(err) {
		return "", errLinkInvalid
	}
	return purpose, err
}

// UseLink spends the link token and sets the new password of its account.
func (s *Service) UseLink(ctx context.Context, token, password string) error {
	var userID int64
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT user_id FROM login_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
		hashLinkToken(token), s.DB.Clock(ctx)).Scan(&userID)
	if isNoRows(err) {
		return errLinkInvalid
	}
	if err != nil {
		return err
	}
	u, err := s.Accounts.Get(ctx, userID)
	if err != nil {
		return err
	}
	// The password is checked before the link is spent: a weak one leaves the
	// link usable for a better one.
	if t, ok := account.CheckPassword(password, u.Email, strings.TrimPrefix(u.Phone, "+")); !ok {
		return apperr.InvalidField("account.weak_password", "password", t)
	}
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE login_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?", tx.Now, hashLinkToken(token), tx.Now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errLinkInvalid // spent by a second tab meanwhile
		}
		// Every other link of the account goes with it.
		_, err = tx.ExecContext(ctx, "UPDATE login_links SET used_at = ? WHERE user_id = ? AND used_at IS NULL", tx.Now, userID)
		return err
	})
	if err != nil {
		return err
	}
	return s.Accounts.SetPasswordByLink(ctx, userID, password)
}

// SendActivations sends an activation link to every applicant the import
// created without a password who has not been sent one, and returns how many.
func (s *Service) SendActivations(ctx context.Context, clerk account.User) (int, error) {
	if !staff(clerk) {
		return 0, errStaffOnly
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT u.id FROM users u WHERE u.role = ? AND u.active AND u.password_hash = '!'
		AND NOT EXISTS (SELECT 1 FROM login_links l WHERE l.user_id = u.id AND l.purpose = 'activate') ORDER BY u.id LIMIT 5000`, string(role.Pemohon))
	if err != nil {
		return 0, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	// In transactions of 100, so the one writer is never held long.
	for i := 0; i < len(ids); i += 100 {
		chunk := ids[i:min(i+100, len(ids))]
		err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			for _, id := range chunk {
				u, err := s.Accounts.Get(ctx, id)
				if err != nil {
					return err
				}
				if err := s.sendLink(ctx, tx, u, "activate", ""); err != nil {
					return err
				}
			}
			return auditRecord(ctx, tx, "message.activations", "user", "", fmt.Sprintf("Tautan aktivasi dikirim ke %d pemohon hasil impor", len(chunk)))
		})
		if err != nil {
			return i, err
		}
	}
	return len(ids), nil
}
