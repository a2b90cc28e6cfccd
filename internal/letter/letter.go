// Package letter keeps the register of every letter Etalase issues (sample
// receipts, recommendation letters, announcements) so anyone holding one can
// check it is genuine: its number, date, subject, issuing office and a
// fingerprint of its content, and nothing personal beyond what the letter
// itself states. A QR code on the letter leads to the public verification page.
package letter

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/workday"
)

// Kind is what sort of letter it is.
type Kind string

const (
	SampleReceipt  Kind = "sample_receipt"
	Recommendation Kind = "recommendation"
	Announcement   Kind = "announcement"
)

// Letter is a letter as the register keeps it.
type Letter struct {
	Number      string    `json:"number"`
	Kind        Kind      `json:"kind"`
	IssuedOn    string    `json:"issued_on"` // YYYY-MM-DD, WIB
	Subject     string    `json:"subject"`
	Office      string    `json:"office"`
	Fingerprint string    `json:"fingerprint"`
	CreatedAt   time.Time `json:"-"`
	// Content is what the letter states (JSON), to print it again alike; the
	// verification page never shows it.
	Content string `json:"-"`
}

// Fingerprint is the SHA-256 of a letter's content, hex: the fields it
// states, one a line, in order.
func Fingerprint(content ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(content, "\n")))
	return hex.EncodeToString(sum[:])
}

// Register is the letters table.
type Register struct{ DB *db.DB }

// Issue records letter l (its number unique), in tx. Recording the same
// number again with the same fingerprint is a no-op (a receipt printed twice);
// with another fingerprint it is refused.
func (r Register) Issue(ctx context.Context, tx *db.Tx, l Letter, appID int64) (Letter, error) {
	if l.IssuedOn == "" {
		l.IssuedOn = workday.DateOf(tx.Now).String()
	}
	var app any
	if appID > 0 {
		app = appID
	}
	if l.Content == "" {
		l.Content = "{}"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO letters (number, kind, issued_on, subject, office, fingerprint, content, application_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (number) DO NOTHING`, l.Number, string(l.Kind), l.IssuedOn, l.Subject, l.Office, l.Fingerprint, l.Content, app, tx.Now)
	if err != nil {
		return Letter{}, err
	}
	got, found, err := r.Lookup(ctx, l.Number)
	if err != nil {
		return Letter{}, err
	}
	if !found || got.Fingerprint != l.Fingerprint {
		return got, ErrChanged
	}
	return got, nil
}

// ErrChanged means a letter of that number was issued with other content.
var ErrChanged = errors.New("letter: issued before with other content")

// Lookup finds letter number. A made-up or altered number is simply not
// found.
func (r Register) Lookup(ctx context.Context, number string) (Letter, bool, error) {
	var l Letter
	err := r.DB.Q(ctx).QueryRowContext(ctx, "SELECT number, kind, issued_on, subject, office, fingerprint, content, created_at FROM letters WHERE number = ?",
		strings.TrimSpace(number)).Scan(&l.Number, &l.Kind, &l.IssuedOn, &l.Subject, &l.Office, &l.Fingerprint, &l.Content, &l.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Letter{}, false, nil
	}
	return l, err == nil, err
}

// VerifyURL is the address a letter's QR code carries: the public page with
// its number and the first characters of its fingerprint.
func VerifyURL(base string, l Letter) string {
	return strings.TrimRight(base, "/") + "/verify?n=" + url.QueryEscape(l.Number) + "&f=" + l.Fingerprint[:16]
}
