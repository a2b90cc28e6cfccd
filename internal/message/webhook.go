package message

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/sop"
)

// ErrWebhookRefused is the answer to a webhook call that is not WhatsApp's: a
// wrong verify token or signature. Nothing is changed.
var ErrWebhookRefused = errors.New("webhook: bad verify token or signature")

// VerifyWebhook answers WhatsApp's GET check: the challenge back when the mode
// is subscribe and the token is the one configured.
func (s *Service) VerifyWebhook(ctx context.Context, mode, token, challenge string) (string, error) {
	want, err := s.Setting(ctx, SetCloudVerifyToken)
	if err != nil {
		return "", err
	}
	if mode != "subscribe" || want == "" || subtle.ConstantTimeCompare([]byte(token), []byte(want)) != 1 {
		return "", ErrWebhookRefused
	}
	return challenge, nil
}

// CheckSignature reports whether signature (the X-Hub-Signature-256 header,
// "sha256=<hex>") is the HMAC-SHA256 of body under the app secret.
func (s *Service) CheckSignature(ctx context.Context, body []byte, signature string) error {
	secret, err := s.Setting(ctx, SetCloudAppSecret)
	if err != nil {
		return err
	}
	got, ok := strings.CutPrefix(signature, "sha256=")
	if secret == "" || !ok {
		return ErrWebhookRefused
	}
	sum, err := hex.DecodeString(got)
	if err != nil {
		return ErrWebhookRefused
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	if !hmac.Equal(sum, mac.Sum(nil)) {
		return ErrWebhookRefused
	}
	return nil
}

type webhookBody struct {
	Entry []struct {
		Changes []struct {
			Value struct {
				Contacts []struct {
					Profile struct {
						Name string `json:"name"`
					} `json:"profile"`
					WaID string `json:"wa_id"`
				} `json:"contacts"`
				Messages []struct {
					From      string `json:"from"`
					ID        string `json:"id"`
					Timestamp string `json:"timestamp"`
					Type      string `json:"type"`
				} `json:"messages"`
				Statuses []struct {
					ID     string `json:"id"`
					Status string `json:"status"`
					Errors []struct {
						Code  int    `json:"code"`
						Title string `json:"title"`
					} `json:"errors"`
				} `json:"statuses"`
			} `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

// statusRank orders delivery statuses: a late "delivered" never undoes "read".
var statusRank = map[Status]int{Queued: 0, Sending: 1, Manual: 1, Sent: 2, Delivered: 3, Read: 4, Failed: 5}

// HandleWebhook applies a signed webhook call (check the signature first):
// delivery statuses update the log, each (message, status) once however often
// it is replayed; a message from an applicant gets the status of their
// applications as a reply, found by the number they write from.
func (s *Service) HandleWebhook(ctx context.Context, body []byte) error {
	var wb webhookBody
	if err := json.Unmarshal(body, &wb); err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		for _, e := range wb.Entry {
			for _, c := range e.Changes {
				v := c.Value
				for _, st := range v.Statuses {
					if err := s.applyStatus(ctx, tx, st.ID, Status(st.Status), st.Errors); err != nil {
						return err
					}
				}
				for i, in := range v.Messages {
					name := ""
					if i < len(v.Contacts) {
						name = v.Contacts[i].Profile.Name
					}
					if err := s.replyStatus(ctx, tx, in.From, in.ID, name); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

func (s *Service) applyStatus(ctx context.Context, tx *db.Tx, pid string, st Status, errs []struct {
	Code  int    `json:"code"`
	Title string `json:"title"`
}) error {
	if _, known := statusRank[st]; !known || pid == "" {
		return nil
	}
	var fresh int
	err := tx.QueryRowContext(ctx, "INSERT INTO message_statuses (provider_id, status, at) VALUES (?, ?, ?) ON CONFLICT (provider_id, status) DO NOTHING RETURNING 1", pid, string(st), tx.Now).Scan(&fresh)
	if err != nil {
		if isNoRows(err) {
			return nil // applied before: a replay
		}
		return err
	}
	m, err := scanMessage(tx.QueryRowContext(ctx, "SELECT "+messageCols+" FROM messages WHERE provider_id = ?", pid))
	if isNoRows(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if statusRank[st] <= statusRank[m.Status] && st != Failed {
		return nil
	}
	detail := ""
	for _, e := range errs {
		detail += fmt.Sprintf("%d %s; ", e.Code, e.Title)
	}
	detail = strings.TrimSuffix(detail, "; ")
	if _, err := tx.ExecContext(ctx, "UPDATE messages SET status = ?, error = ?, updated_at = ? WHERE id = ?", string(st), detail, tx.Now, m.ID); err != nil {
		return err
	}
	if st == Failed && m.UserID != 0 {
		if _, err := tx.ExecContext(ctx, "INSERT INTO contact_problems (user_id, channel, recipient, detail, at) VALUES (?, ?, ?, ?, ?)", m.UserID, string(m.Channel), m.Recipient, "WhatsApp: "+detail, tx.Now); err != nil {
			return err
		}
	}
	return nil
}

// replyStatus answers an applicant's WhatsApp message with the state and next
// step of their applications (or, for a number nobody registered, how to
// apply). The reply is free text, allowed only inside the 24-hour window the
// applicant's message opened: send refuses it later than that.
func (s *Service) replyStatus(ctx context.Context, tx *db.Tx, from, inboundID, profileName string) error {
	phone := "+" + strings.TrimPrefix(from, "+")
	u, err := s.Accounts.ByLogin(ctx, phone)
	base, _ := s.Setting(ctx, SetBaseURL)
	base = strings.TrimRight(base, "/")
	var items string
	if err != nil || !u.Active {
		u = account.User{Name: firstNonEmpty(profileName, "Bapak/Ibu"), Lang: i18n.ID}
		items = "Nomor ini belum terdaftar di galeri. Daftar dan ajukan permohonan di " + base + "/register , atau datang ke loket Galeri Dinas Koperasi dan UKM Provinsi Jawa Timur."
	} else {
		items, err = s.statusLines(ctx, tx, u, base)
		if err != nil {
			return err
		}
	}
	_, err = s.Enqueue(ctx, tx, Notice{Event: StatusReply, Key: "inbound:" + inboundID, User: u, To: phone, Vars: map[string]string{"name": u.Name, "items": items}})
	return err
}

func (s *Service) statusLines(ctx context.Context, tx *db.Tx, u account.User, base string) (string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.number, a.state, b.name FROM applications a JOIN businesses b ON b.id = a.business_id
		WHERE b.owner_id = ? ORDER BY a.id DESC LIMIT 5`, u.ID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id int64
		var number, state, business string
		if err := rows.Scan(&id, &number, &state, &business); err != nil {
			return "", err
		}
		lines = append(lines, fmt.Sprintf("- %s (%s): %s. %s/applications/%d", number, business, stateWords(sop.State(state), u.Lang), base, id))
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	if len(lines) == 0 {
		if u.Lang == i18n.EN {
			return "You have no application yet: " + base + "/applications", nil
		}
		return "Anda belum memiliki permohonan: " + base + "/applications", nil
	}
	return strings.Join(lines, "\n"), nil
}

// stateWords says where an application stands and what comes next.
func stateWords(s sop.State, l i18n.Lang) string {
	if l == i18n.EN {
		return englishState[s]
	}
	return indonesianState[s]
}

var indonesianState = map[sop.State]string{
	sop.Draft: "draf, belum diajukan", sop.Submitted: "dokumen sedang diperiksa petugas",
	sop.DocumentsReturned: "dokumen dikembalikan, mohon diperbaiki lalu ajukan kembali", sop.AwaitingSample: "dokumen lengkap, mohon serahkan sampel produk ke galeri",
	sop.InCuration: "dalam kurasi", sop.Decided: "kurasi selesai, menunggu pengumuman", sop.Announced: "hasil telah diumumkan",
	sop.FeedbackSent: "masukan kurasi telah dikirim", sop.AwaitingDisplay: "lolos, menunggu dipajang", sop.OnDisplay: "dipajang di galeri",
	sop.Referred: "dirujuk ke bidang lain", sop.Withdrawn: "ditarik",
}

var englishState = map[sop.State]string{
	sop.Draft: "draft, not submitted yet", sop.Submitted: "documents being checked by staff",
	sop.DocumentsReturned: "documents returned: please correct and submit again", sop.AwaitingSample: "documents complete: please bring product samples to the gallery",
	sop.InCuration: "in curation", sop.Decided: "curation done, awaiting the announcement", sop.Announced: "result announced",
	sop.FeedbackSent: "curation feedback sent", sop.AwaitingDisplay: "passed, awaiting display", sop.OnDisplay: "on display in the gallery",
	sop.Referred: "referred to another division", sop.Withdrawn: "withdrawn",
}

// replyWindow is WhatsApp's customer-service window: free text only within
// 24 hours of the applicant's last message.
const replyWindow = 24 * time.Hour
