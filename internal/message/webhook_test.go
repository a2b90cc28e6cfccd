package message_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/message"
)

func sign(secret, body string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(body))
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func TestWebhookChecksTokenAndSignatureAndAppliesAStatusOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ms := w.app.Messages
		for k, v := range map[string]string{message.SetCloudVerifyToken: "verify-me-please", message.SetCloudAppSecret: "app-secret-0123456789"} {
			if err := ms.SetSetting(w.ctx, w.clerk.ID, k, v); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := ms.VerifyWebhook(w.ctx, "subscribe", "verify-me-please", "1158201444"); err != nil || got != "1158201444" {
			t.Fatalf("verify: %q %v", got, err)
		}
		if _, err := ms.VerifyWebhook(w.ctx, "subscribe", "guess", "1"); !errors.Is(err, message.ErrWebhookRefused) {
			t.Fatalf("a wrong verify token: %v", err)
		}
		ids := w.notice("wh")
		if _, err := d.SQL().ExecContext(w.ctx, fmt.Sprintf("UPDATE messages SET status = 'sent', provider_id = 'wamid.ABC' WHERE id = %d", ids[0])); err != nil {
			t.Fatal(err)
		}
		body := `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","statuses":[{"id":"wamid.ABC","status":"delivered","timestamp":"1764640000","recipient_id":"6285233100202"}]}}]}]}`
		if err := ms.CheckSignature(w.ctx, []byte(body), sign("wrong-secret", body)); !errors.Is(err, message.ErrWebhookRefused) {
			t.Fatalf("a body signed with another secret: %v", err)
		}
		if err := ms.CheckSignature(w.ctx, []byte(body+" "), sign("app-secret-0123456789", body)); !errors.Is(err, message.ErrWebhookRefused) {
			t.Fatalf("an altered body: %v", err)
		}
		if err := ms.CheckSignature(w.ctx, []byte(body), sign("app-secret-0123456789", body)); err != nil {
			t.Fatal(err)
		}
		for range 2 { // replayed: applied once
			if err := ms.HandleWebhook(w.ctx, []byte(body)); err != nil {
				t.Fatal(err)
			}
		}
		m, _ := ms.Get(w.ctx, ids[0])
		if m.Status != message.Delivered || w.count("SELECT COUNT(*) FROM message_statuses WHERE provider_id = 'wamid.ABC'") != 1 {
			t.Fatalf("after delivery: %+v", m)
		}
		// A late "sent" never undoes "delivered"; "read" moves it on.
		late := strings.Replace(body, `"delivered"`, `"sent"`, 1)
		read := strings.Replace(body, `"delivered"`, `"read"`, 1)
		for _, b := range []string{late, read} {
			if err := ms.HandleWebhook(w.ctx, []byte(b)); err != nil {
				t.Fatal(err)
			}
		}
		if m, _ = ms.Get(w.ctx, ids[0]); m.Status != message.Read {
			t.Fatalf("after sent and read: %s", m.Status)
		}
	})
}

func TestAnApplicantWhoWritesGetsTheStatusOfTheirApplications(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ms := w.app.Messages
		if _, err := w.app.Applications.CreateDraft(w.ctx, w.owner, w.biz.ID, []int64{w.prod.ID}, "online"); err != nil {
			t.Fatal(err)
		}
		in := `{"entry":[{"changes":[{"value":{"contacts":[{"profile":{"name":"Sri"},"wa_id":"%s"}],"messages":[{"from":"%s","id":"%s","timestamp":"1764640000","type":"text","text":{"body":"status"}}]}}]}]}`
		for range 2 {
			if err := ms.HandleWebhook(w.ctx, []byte(fmt.Sprintf(in, "6285233100202", "6285233100202", "wamid.IN1"))); err != nil {
				t.Fatal(err)
			}
		}
		if err := ms.HandleWebhook(w.ctx, []byte(fmt.Sprintf(in, "6281111111111", "6281111111111", "wamid.IN2"))); err != nil {
			t.Fatal(err)
		}
		list, _, err := ms.List(w.ctx, message.Filter{Event: message.StatusReply})
		if err != nil || len(list) != 2 {
			t.Fatalf("replies %d %v", len(list), err)
		}
		unknown, known := list[0], list[1]
		if known.Recipient != "+6285233100202" || !strings.Contains(known.Body, "GAL-2026-") || !strings.Contains(known.Body, "draf") {
			t.Fatalf("reply to the applicant: %+v", known)
		}
		if unknown.Recipient != "+6281111111111" || !strings.Contains(unknown.Body, "/register") || strings.Contains(unknown.Body, "GAL-") {
			t.Fatalf("reply to an unknown number: %+v", unknown)
		}
	})
}
