package web_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/message"
	"github.com/etalase-id/etalase/internal/role"
)

func TestMessageSettingsNeverShowASecretBackAndTheTestMessageReachesTheManualQueue(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@galeri.id")
		b := e.signIn("admin@galeri.id", pw)
		form := url.Values{"message.whatsapp.provider": {"cloud"}, "message.email.provider": {"manual"},
			"message.whatsapp.cloud.token": {"EAAG-very-secret-token-9876"}, "message.whatsapp.cloud.phone_number_id": {"1122334455"}}
		if a := b.post("/admin/messages", form); a.Status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", a.Status, a.Body)
		}
		page := b.get("/admin/messages")
		if strings.Contains(page.Body, "EAAG-very-secret") || !strings.Contains(page.Body, "••••9876") || !strings.Contains(page.Body, "1122334455") {
			t.Fatalf("the settings page shows the token, or not its last characters")
		}
		// Saving again without retyping the token keeps it.
		form.Del("message.whatsapp.cloud.token")
		form.Set("message.whatsapp.provider", "manual")
		b.post("/admin/messages", form)
		if v, _ := e.app.Messages.Setting(context.Background(), message.SetCloudToken); v != "EAAG-very-secret-token-9876" {
			t.Fatalf("token after a save without it: %q", v)
		}
		if a := b.post("/admin/messages", url.Values{"message.whatsapp.provider": {"sms"}, "message.email.provider": {"manual"}}); a.Status != http.StatusUnprocessableEntity {
			t.Fatalf("an unknown provider: %d", a.Status)
		}
		if a := b.post("/admin/messages/test", url.Values{"to": {"0812-3456-7890"}}); a.Status != http.StatusSeeOther {
			t.Fatalf("test message: %d %s", a.Status, a.Body)
		}
		list, _, err := e.app.Messages.List(context.Background(), message.Filter{Event: message.TestMessage})
		if err != nil || len(list) != 1 || list[0].Recipient != "+6281234567890" {
			t.Fatalf("test message in the log: %+v %v", list, err)
		}
		// Manual mode: the clerk sees it with its wa.me link once the job ran.
		if _, err := d(e).SQL().Exec("UPDATE messages SET status = 'manual' WHERE id = " + itoa(list[0].ID)); err != nil {
			t.Fatal(err)
		}
		clerk := e.user(account.NewUser{Email: "siti@galeri.id", Role: role.StafGaleri})
		cb := e.signIn(clerk.Email, pw)
		q := cb.get("/messages/manual")
		if !strings.Contains(q.Body, "https://wa.me/6281234567890?text=") {
			t.Fatalf("manual queue without the wa.me link:\n%s", q.Body)
		}
		if a := cb.post("/messages/"+itoa(list[0].ID)+"/sent", url.Values{}); a.Status != http.StatusSeeOther {
			t.Fatalf("mark sent: %d", a.Status)
		}
		m, _ := e.app.Messages.Get(context.Background(), list[0].ID)
		if m.Status != message.Sent || m.SentBy != clerk.ID {
			t.Fatalf("after mark sent: %+v", m)
		}
		if a := cb.get("/messages?status=sent&channel=whatsapp"); !strings.Contains(a.Body, "6281234567890") || !strings.Contains(a.Body, "terkirim") {
			t.Fatal("the filtered log misses the message")
		}
		// Applicants see none of it.
		e.user(account.NewUser{Email: "sri@keripik.id"})
		if a := e.signIn("sri@keripik.id", pw).get("/messages"); a.Status != http.StatusForbidden {
			t.Fatalf("an applicant opened the log: %d", a.Status)
		}
	})
}

func TestTemplateEditorPreviewsSavesAndRefusesUnknownVariables(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@galeri.id")
		b := e.signIn("admin@galeri.id", pw)
		if a := b.get("/admin/messages/templates"); a.Status != http.StatusOK || !strings.Contains(a.Body, "/admin/messages/templates/result_passed?lang=en") {
			t.Fatalf("template list %d", a.Status)
		}
		prev := b.post("/admin/messages/templates/result_passed", url.Values{"lang": {"id"}, "op": {"preview"}, "subject": {"Lolos: {number}"}, "body": {"Halo {name}, {products} lolos."}})
		if !strings.Contains(prev.Body, "Halo Siti Aminah, Keripik tempe original") {
			t.Fatalf("preview does not fill the variables:\n%s", prev.Body)
		}
		if a := b.post("/admin/messages/templates/result_passed", url.Values{"lang": {"id"}, "op": {"save"}, "subject": {"x"}, "body": {"Halo {nama}"}}); a.Status != http.StatusUnprocessableEntity {
			t.Fatalf("unknown variable saved: %d", a.Status)
		}
		if a := b.post("/admin/messages/templates/result_passed", url.Values{"lang": {"id"}, "op": {"save"}, "subject": {"Lolos: {number}"}, "body": {"Halo {name}, {products} lolos."}}); a.Status != http.StatusSeeOther {
			t.Fatalf("save %d", a.Status)
		}
		tp, _ := e.app.Messages.Template(context.Background(), message.ResultPassed)
		if tp.Body["id"] != "Halo {name}, {products} lolos." || !tp.Edited || !strings.HasPrefix(tp.Body["en"], "Dear {name}") {
			t.Fatalf("after save: %+v", tp)
		}
	})
}

func TestWhatsAppWebhookRefusesBadTokensAndSignatures(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		for k, v := range map[string]string{message.SetCloudVerifyToken: "verify-me-please", message.SetCloudAppSecret: "app-secret-0123456789"} {
			if err := e.app.Messages.SetSetting(ctx, 0, k, v); err != nil {
				t.Fatal(err)
			}
		}
		b := e.browser()
		if a := b.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me-please&hub.challenge=42424242"); a.Status != http.StatusOK || a.Body != "42424242" {
			t.Fatalf("verify: %d %q", a.Status, a.Body)
		}
		if a := b.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1"); a.Status != http.StatusForbidden {
			t.Fatalf("wrong verify token: %d", a.Status)
		}
		body := `{"entry":[{"changes":[{"value":{"statuses":[{"id":"wamid.X","status":"delivered"}]}}]}]}`
		mac := hmac.New(sha256.New, []byte("app-secret-0123456789"))
		mac.Write([]byte(body))
		good := "sha256=" + hex.EncodeToString(mac.Sum(nil))
		if a := b.do(b.request("POST", "/webhooks/whatsapp", strings.NewReader(body), "Content-Type", "application/json", "X-Hub-Signature-256", "sha256=00")); a.Status != http.StatusForbidden {
			t.Fatalf("bad signature: %d", a.Status)
		}
		if a := b.do(b.request("POST", "/webhooks/whatsapp", strings.NewReader(body), "Content-Type", "application/json", "X-Hub-Signature-256", good)); a.Status != http.StatusOK {
			t.Fatalf("good signature: %d %s", a.Status, a.Body)
		}
		var n int
		if err := d(e).Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM message_statuses").Scan(&n); err != nil || n != 1 {
			t.Fatalf("statuses recorded %d %v", n, err)
		}
	})
}

func d(e *env) *db.DB { return e.d }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
