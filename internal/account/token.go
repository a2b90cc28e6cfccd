package account

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/role"
)

// APIToken is a personal token for the JSON API. The secret is shown once, at
// creation; only its hash is kept.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

const tokenPrefix = "etl_"

// CreateToken makes a token for u and returns it with its secret.
func (s *Service) CreateToken(ctx context.Context, u User, name string) (APIToken, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 100 {
		return APIToken{}, "", apperr.InvalidField("token.name", "name", i18n.Text{
			ID: "Beri nama token (1–100 karakter), misalnya \"Laporan Excel bulanan\".",
			EN: "Name the token (1–100 characters), e.g. \"Monthly Excel report\"."})
	}
	secret := tokenPrefix + rand.Text() + rand.Text()
	t := APIToken{UserID: u.ID, Name: name, Prefix: secret[:len(tokenPrefix)+6]}
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		t.CreatedAt = tx.Now
		if err := tx.QueryRowContext(ctx, "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			u.ID, name, hashToken(secret), t.Prefix, tx.Now).Scan(&t.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "token.create", "api_token", fmt.Sprint(t.ID), "Token API dibuat: "+name, nil, map[string]any{"user_id": u.ID, "name": name, "prefix": t.Prefix})
	})
	return t, secret, err
}

const tokenColumns = "id, user_id, name, prefix, created_at, last_used_at, revoked_at"

func scanToken(row interface{ Scan(...any) error }) (APIToken, error) {
	var t APIToken
	var used, revoked sql.NullTime
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &used, &revoked)
	if used.Valid {
		t.LastUsedAt = &used.Time
	}
	if revoked.Valid {
		t.RevokedAt = &revoked.Time
	}
	return t, err
}

// Tokens lists a user's tokens, newest first.
func (s *Service) Tokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE user_id = ? ORDER BY id DESC", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ErrTokenNotFound answers a token id that does not exist and, alike, one that
// is another user's: which token ids exist is nobody else's business.
var ErrTokenNotFound = apperr.New(apperr.NotFound, "token.not_found", "Token tidak ditemukan.", "Token not found.")

// Token returns one token, if actor may see it: their own, or any for an admin.
// Any other id is answered as not found and audited, whether or not it exists,
// so that neither the answer nor its cost tells which ids exist.
func (s *Service) Token(ctx context.Context, actor User, id int64) (APIToken, error) {
	t, err := scanToken(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE id = ?", id))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return APIToken{}, err
	}
	if err == nil && (t.UserID == actor.ID || actor.Role == role.Admin) {
		return t, nil
	}
	if err := audit.Write(ctx, s.DB, "access.denied", "api_token", fmt.Sprint(id), "Token API diminta oleh yang bukan pemiliknya"); err != nil {
		return APIToken{}, err
	}
	return APIToken{}, ErrTokenNotFound
}

// RevokeToken stops a token from working.
func (s *Service) RevokeToken(ctx context.Context, actor User, id int64) error {
	t, err := s.Token(ctx, actor, id)
	if err != nil {
		return err
	}
	if t.RevokedAt != nil {
		return nil
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", tx.Now, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "token.revoke", "api_token", fmt.Sprint(id), "Token API dicabut: "+t.Name, nil, nil)
	})
}

// ErrBadToken means the API token is unknown, revoked, or its user deactivated.
var ErrBadToken = apperr.New(apperr.Unauthorized, "token.invalid",
	"Token API tidak valid atau sudah dicabut.", "The API token is invalid or revoked.")

// TokenUser returns the user a token acts for.
func (s *Service) TokenUser(ctx context.Context, secret string) (User, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return User{}, ErrBadToken
	}
	h := hashToken(secret)
	var id int64
	var revoked, used sql.NullTime
	// The token and its user in one query: every API call asks.
	u, err := scanUser(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT t.id, t.revoked_at, t.last_used_at, "+userColumnsU+
		" FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?", h), &id, &revoked, &used)
	if errors.Is(err, sql.ErrNoRows) || revoked.Valid {
		return User{}, ErrBadToken
	}
	if err != nil {
		return User{}, err
	}
	if !u.Active {
		return User{}, ErrBadToken
	}
	if now := s.DB.Clock(ctx); !used.Valid || now.Sub(used.Time) > apiTokenTouchEvery {
		err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", tx.Now, id)
			return err
		})
	}
	return u, err
}
