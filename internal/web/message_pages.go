package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/message"
)

// messageView is a message as the log and the manual queue show it.
type messageView struct {
	message.Message
	Link string // wa.me or mailto, for a message waiting for the clerk
}

type messageListData struct {
	Messages []messageView
	Status   string
	Channel  string
	Event    string
	Statuses []message.Status
	Events   []string
	NextURL  string
	FirstURL string
	Manual   bool // the manual queue, not the whole log
}

var messageStatuses = []message.Status{message.Queued, message.Sending, message.Manual, message.Sent, message.Delivered, message.Read, message.Failed}

func messageViews(ms []message.Message) []messageView {
	out := make([]messageView, len(ms))
	for i, m := range ms {
		out[i] = messageView{Message: m}
		if m.Status == message.Manual {
			out[i].Link = message.Link(m)
		}
	}
	return out
}

// messageList is the log of every message, filtered, newest first, a page at
// a time after the last row shown.
func (s *Server) messageList(w http.ResponseWriter, r *http.Request) {
	s.renderMessages(w, r, false)
}

// messageManual is the clerk's queue in manual mode: each message with its
// wa.me (or mailto) link and a button to record it sent.
func (s *Server) messageManual(w http.ResponseWriter, r *http.Request) {
	s.renderMessages(w, r, true)
}

func (s *Server) renderMessages(w http.ResponseWriter, r *http.Request, manual bool) {
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("cursor"), 10, 64)
	f := message.Filter{Status: message.Status(q.Get("status")), Channel: message.Channel(q.Get("channel")), Event: q.Get("event"), Before: before}
	path, title := "/messages", "msg.log.title"
	if manual {
		f.Status, path, title = message.Manual, "/messages/manual", "msg.manual.title"
	}
	ms, next, err := s.app.Messages.List(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := messageListData{Messages: messageViews(ms), Status: string(f.Status), Channel: string(f.Channel), Event: f.Event, Statuses: messageStatuses, Manual: manual}
	d.Events = message.TemplateIDs()
	n := ""
	if next > 0 {
		n = strconv.FormatInt(next, 10)
	}
	d.NextURL, d.FirstURL = pageURLs(r, path, n)
	s.render(w, r, http.StatusOK, "message/list", page{Title: title, Data: d})
}

func (s *Server) messageSentByHand(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok || !s.postForm(w, r) {
		if !ok {
			s.errorPage(w, r, http.StatusNotFound)
		}
		return
	}
	if err := s.app.Messages.MarkSentByHand(r.Context(), s.user(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, "msg.flash.sent")
	http.Redirect(w, r, backTo(r, "/messages/manual"), http.StatusSeeOther)
}

func (s *Server) messageRetry(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok || !s.postForm(w, r) {
		if !ok {
			s.errorPage(w, r, http.StatusNotFound)
		}
		return
	}
	if err := s.app.Messages.Retry(r.Context(), s.user(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, "msg.flash.retried")
	http.Redirect(w, r, backTo(r, "/messages"), http.StatusSeeOther)
}

// backTo is the page a form came from when it is one of ours (a path), else
// fallback.
func backTo(r *http.Request, fallback string) string {
	if b := r.PostForm.Get("back"); strings.HasPrefix(b, "/") && !strings.HasPrefix(b, "//") {
		return b
	}
	return fallback
}

// The provider settings as the form shows them.
type messageSettingsData struct {
	Values  map[string]string
	Secrets map[string]string // the stored secrets, masked
}

var messageSettingKeys = []string{
	message.SetWhatsAppProvider, message.SetCloudBaseURL, message.SetCloudVersion, message.SetCloudPhoneID, message.SetCloudToken,
	message.SetCloudAppSecret, message.SetCloudVerifyToken, message.SetCloudTemplates, message.SetGatewayURL, message.SetGatewayToken,
	message.SetEmailProvider, message.SetSMTPHost, message.SetSMTPPort, message.SetSMTPUsername, message.SetSMTPPassword,
	message.SetSMTPFrom, message.SetSMTPFromName, message.SetSMTPSecurity, message.SetBaseURL,
}

func (s *Server) messageSettingsForm(w http.ResponseWriter, r *http.Request) {
	s.renderMessageSettings(w, r, http.StatusOK, newForm(nil))
}

func (s *Server) renderMessageSettings(w http.ResponseWriter, r *http.Request, status int, f *form) {
	d := messageSettingsData{Values: map[string]string{}, Secrets: map[string]string{}}
	for _, k := range messageSettingKeys {
		v, err := s.app.Messages.Setting(r.Context(), k)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if message.Secret(k) {
			d.Secrets[k] = message.Masked(v)
			continue
		}
		d.Values[k] = v
		if f.values.Get(k) == "" {
			f.values.Set(k, v)
		}
	}
	s.render(w, r, status, "message/settings", page{Title: "msg.settings.title", Form: f, Data: d})
}

var errProviderChoice = apperr.New(apperr.Invalid, "msg.provider", "Pilih penyedia yang tersedia.", "Choose one of the providers offered.")

func (s *Server) messageSettingsSave(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	if p := r.PostForm.Get(message.SetWhatsAppProvider); p != "manual" && p != "cloud" && p != "gateway" {
		s.renderMessageSettingsError(w, r, errProviderChoice)
		return
	}
	if p := r.PostForm.Get(message.SetEmailProvider); p != "manual" && p != "smtp" {
		s.renderMessageSettingsError(w, r, errProviderChoice)
		return
	}
	uid := s.user(r).ID
	err := s.db.InTx(r.Context(), func(ctx2 context.Context, _ *db.Tx) error {
		for _, k := range messageSettingKeys {
			if !r.PostForm.Has(k) {
				continue
			}
			if err := s.app.Messages.SetSetting(ctx2, uid, k, r.PostForm.Get(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.renderMessageSettingsError(w, r, err)
		return
	}
	s.flash(w, "flash.saved")
	http.Redirect(w, r, "/admin/messages", http.StatusSeeOther)
}

func (s *Server) renderMessageSettingsError(w http.ResponseWriter, r *http.Request, err error) {
	if _, ok := apperr.As(err); !ok {
		s.serverError(w, r, err)
		return
	}
	f := newForm(r)
	f.setError(err, reqFrom(r.Context()).lang)
	s.renderMessageSettings(w, r, http.StatusUnprocessableEntity, f)
}

var errTestRecipient = apperr.InvalidField("msg.test_to", "to", i18n.Text{ID: "Isi nomor WhatsApp atau alamat e-mail yang benar.", EN: "Give a valid WhatsApp number or e-mail address."})

// messageTest sends a test message to the number or address the admin gives,
// through the configured provider, and shows it in the log.
func (s *Server) messageTest(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	to := strings.TrimSpace(r.PostForm.Get("to"))
	if e, ok := account.NormalizeEmail(to); ok && strings.Contains(to, "@") {
		to = e
	} else if p, err := idn.ParsePhone(to); err == nil {
		to = p.E164
	} else {
		s.renderMessageSettingsError(w, r, errTestRecipient)
		return
	}
	u := s.user(r)
	err := s.db.InTx(r.Context(), func(ctx2 context.Context, tx *db.Tx) error {
		_, err := s.app.Messages.Enqueue(ctx2, tx, message.Notice{Event: message.TestMessage, Key: fmt.Sprintf("test:%d:%d", u.ID, time.Now().UnixNano()),
			User: u, To: to, Vars: map[string]string{"name": u.Name}})
		return err
	})
	if err != nil {
		s.renderMessageSettingsError(w, r, err)
		return
	}
	s.flash(w, "msg.flash.test")
	http.Redirect(w, r, "/messages?event="+message.TestMessage, http.StatusSeeOther)
}

type templateListData struct {
	Templates []message.Template
}

func (s *Server) messageTemplates(w http.ResponseWriter, r *http.Request) {
	ts, err := s.app.Messages.Templates(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "message/templates", page{Title: "msg.templates.title", Data: templateListData{Templates: ts}})
}

type templateData struct {
	Template       message.Template
	Lang           i18n.Lang
	PreviewSubject string
	PreviewBody    string
}

func (s *Server) messageTemplateForm(w http.ResponseWriter, r *http.Request) {
	l := i18n.Lang(r.URL.Query().Get("lang"))
	if l != i18n.EN {
		l = i18n.ID
	}
	t, err := s.app.Messages.Template(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(nil)
	f.values.Set("subject", t.Subject[l])
	f.values.Set("body", t.Body[l])
	d := templateData{Template: t, Lang: l}
	d.PreviewSubject, d.PreviewBody = s.app.Messages.Preview(t, l)
	s.render(w, r, http.StatusOK, "message/template", page{Title: "msg.templates.title", Form: f, Data: d})
}

// messageTemplateSave saves an admin's text, or (the preview button) shows it
// filled with example values without saving.
func (s *Server) messageTemplateSave(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	id := r.PathValue("id")
	l := i18n.Lang(r.PostForm.Get("lang"))
	if l != i18n.EN {
		l = i18n.ID
	}
	t, err := s.app.Messages.Template(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	subject, body := r.PostForm.Get("subject"), r.PostForm.Get("body")
	if r.PostForm.Get("op") != "preview" {
		if r.PostForm.Get("op") == "reset" {
			subject, body = "", ""
		}
		err = s.app.Messages.SaveTemplate(r.Context(), s.user(r).ID, id, l, subject, body)
		if err == nil {
			s.flash(w, "flash.saved")
			http.Redirect(w, r, "/admin/messages/templates/"+url.PathEscape(id)+"?lang="+string(l), http.StatusSeeOther)
			return
		}
	}
	f := newForm(r)
	status := http.StatusOK
	if err != nil {
		if _, ok := apperr.As(err); !ok {
			s.serverError(w, r, err)
			return
		}
		f.setError(err, reqFrom(r.Context()).lang)
		status = http.StatusUnprocessableEntity
	}
	t.Subject[l], t.Body[l] = subject, body
	d := templateData{Template: t, Lang: l}
	d.PreviewSubject, d.PreviewBody = s.app.Messages.Preview(t, l)
	s.render(w, r, status, "message/template", page{Title: "msg.templates.title", Form: f, Data: d, Here: "/admin/messages/templates/" + url.PathEscape(id)})
}

// whatsappVerify answers the Cloud API's subscription check.
func (s *Server) whatsappVerify(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ch, err := s.app.Messages.VerifyWebhook(r.Context(), q.Get("hub.mode"), q.Get("hub.verify_token"), q.Get("hub.challenge"))
	if err != nil {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, ch)
}

// whatsappWebhook takes the Cloud API's delivery statuses and inbound
// messages, signed with the app secret (X-Hub-Signature-256); a body not
// signed so is refused with 403 and changes nothing.
func (s *Server) whatsappWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return
	}
	if err := s.app.Messages.CheckSignature(r.Context(), body, r.Header.Get("X-Hub-Signature-256")); err != nil {
		s.log.Warn("whatsapp webhook refused", "err", err)
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	if err := s.app.Messages.HandleWebhook(r.Context(), body); err != nil {
		s.log.Error("whatsapp webhook", "err", err)
		http.Error(w, "error", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}
