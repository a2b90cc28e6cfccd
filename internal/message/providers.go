package message

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Provider sends a message on one channel.
type Provider interface {
	// Name is what the log records (manual, smtp, whatsapp_cloud, gateway).
	Name() string
	// Send delivers m and returns the provider's id for it. An error wrapped
	// in Permanent means the recipient was refused (not retried, the profile
	// flagged); any other error is retried with backoff.
	Send(ctx context.Context, m Message) (string, error)
}

// PermanentError is a refusal retrying cannot change: a number not on
// WhatsApp, an address the mail server refuses.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent marks err as a refusal of the recipient.
func Permanent(err error) error { return &PermanentError{Err: err} }

// ManualProvider is the default: nothing is sent; the message waits for the
// clerk, who opens its link and records the send.
type ManualProvider struct{}

func (ManualProvider) Name() string { return "manual" }
func (ManualProvider) Send(context.Context, Message) (string, error) {
	return "", errManualSend
}

var errManualSend = errors.New("manual: waiting for the clerk")

// Link is the link the clerk opens to send m by hand: wa.me with the text
// filled in, or mailto with subject and body.
func Link(m Message) string {
	if m.Channel == WhatsApp {
		return "https://wa.me/" + strings.TrimPrefix(m.Recipient, "+") + "?text=" + url.QueryEscape(m.Body)
	}
	return "mailto:" + m.Recipient + "?subject=" + url.PathEscape(m.Subject) + "&body=" + url.PathEscape(m.Body)
}

// SMTP sends e-mail, plain text with an HTML alternative, from the Office's
// sender name.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string // the address
	FromName string // the Office's name as the sender
	// Security is "starttls" (required), "tls" (implicit, port 465),
	// "opportunistic" or "none".
	Security string
	Timeout  time.Duration
}

func (SMTP) Name() string { return "smtp" }

func (p SMTP) Send(ctx context.Context, m Message) (string, error) {
	msg := mail.NewMsg()
	if err := msg.FromFormat(p.FromName, p.From); err != nil {
		return "", fmt.Errorf("sender %q: %w", p.From, err)
	}
	if err := msg.To(m.Recipient); err != nil {
		return "", Permanent(fmt.Errorf("recipient %q: %w", m.Recipient, err))
	}
	msg.Subject(m.Subject)
	msg.SetMessageID()
	msg.SetBodyString(mail.TypeTextPlain, m.Body)
	msg.AddAlternativeString(mail.TypeTextHTML, htmlBody(m.Body))
	opts := []mail.Option{mail.WithPort(p.Port), mail.WithTimeout(p.timeout())}
	switch p.Security {
	case "tls":
		opts = append(opts, mail.WithSSL())
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case "opportunistic":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if p.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(p.Username), mail.WithPassword(p.Password))
	}
	c, err := mail.NewClient(p.Host, opts...)
	if err != nil {
		return "", err
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *mail.SendError
		if errors.As(err, &se) && se.Reason == mail.ErrSMTPRcptTo && !se.IsTemp() {
			return "", Permanent(err)
		}
		return "", err
	}
	return msg.GetMessageID(), nil
}

func (p SMTP) timeout() time.Duration {
	if p.Timeout > 0 {
		return p.Timeout
	}
	return 30 * time.Second
}

// htmlBody is the plain text as simple HTML: escaped, lines kept.
func htmlBody(s string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">`)
	for _, p := range strings.Split(s, "\n\n") {
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(p), "\n", "<br>"))
		b.WriteString("</p>")
	}
	b.WriteString("</body></html>")
	return b.String()
}

// CloudAPI is the WhatsApp Business Cloud API: approved template messages
// in the message's language, from the Office's phone-number id.
type CloudAPI struct {
	BaseURL       string // https://graph.facebook.com
	Version       string // v21.0
	PhoneNumberID string
	Token         string
	// TemplateName maps our template id to the approved template's name;
	// missing ids use "etalase_" + id.
	TemplateName map[string]string
	Client       *http.Client
}

func (CloudAPI) Name() string { return "whatsapp_cloud" }

type cloudParam struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type cloudComponent struct {
	Type       string       `json:"type"`
	Parameters []cloudParam `json:"parameters"`
}

type cloudTemplate struct {
	Name     string `json:"name"`
	Language struct {
		Code string `json:"code"`
	} `json:"language"`
	Components []cloudComponent `json:"components"`
}

type cloudRequest struct {
	MessagingProduct string         `json:"messaging_product"`
	RecipientType    string         `json:"recipient_type"`
	To               string         `json:"to"`
	Type             string         `json:"type"`
	Template         *cloudTemplate `json:"template,omitempty"`
	Text             *struct {
		Body string `json:"body"`
	} `json:"text,omitempty"`
}

func (p CloudAPI) Send(ctx context.Context, m Message) (string, error) {
	req := cloudRequest{MessagingProduct: "whatsapp", RecipientType: "individual", To: strings.TrimPrefix(m.Recipient, "+")}
	if m.Template == StatusReply {
		// A reply inside the customer-service window the applicant opened:
		// free text is allowed there.
		req.Type = "text"
		req.Text = &struct {
			Body string `json:"body"`
		}{m.Body}
	} else {
		t := &cloudTemplate{Name: p.templateName(m.Template)}
		t.Language.Code = string(m.Lang)
		params := make([]cloudParam, len(m.Params))
		for i, v := range m.Params {
			if v == "" {
				v = "-" // the Cloud API refuses empty parameters
			}
			params[i] = cloudParam{Type: "text", Text: v}
		}
		t.Components = []cloudComponent{{Type: "body", Parameters: params}}
		req.Type, req.Template = "template", t
	}
	body, _ := json.Marshal(req)
	u := strings.TrimRight(p.BaseURL, "/") + "/" + p.Version + "/" + url.PathEscape(p.PhoneNumberID) + "/messages"
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	hr.Header.Set("Authorization", "Bearer "+p.Token)
	hr.Header.Set("Content-Type", "application/json")
	resp, err := p.client().Do(hr)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var out struct {
		Messages []struct {
			ID string `json:"id"`
		} `json:"messages"`
		Error struct {
			Message string `json:"message"`
			Code    int    `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal(raw, &out)
	if resp.StatusCode/100 != 2 || len(out.Messages) == 0 {
		err := fmt.Errorf("WhatsApp Cloud API %d: %s (code %d)", resp.StatusCode, firstNonEmpty(out.Error.Message, strings.TrimSpace(string(raw))), out.Error.Code)
		if cloudRecipientRefused(out.Error.Code) {
			return "", Permanent(err)
		}
		return "", err
	}
	return out.Messages[0].ID, nil
}

// cloudRecipientRefused are the Cloud API's error codes that say the number
// cannot receive the message: not on WhatsApp, not a valid number.
func cloudRecipientRefused(code int) bool {
	switch code {
	case 131026, 131021, 131030, 1006:
		return true
	}
	return false
}

func (p CloudAPI) templateName(id string) string {
	if n := p.TemplateName[id]; n != "" {
		return n
	}
	return "etalase_" + id
}

func (p CloudAPI) client() *http.Client {
	if p.Client != nil {
		return p.Client
	}
	return &http.Client{Timeout: 30 * time.Second}
}

// Gateway is a Fonnte-style WhatsApp gateway: it drives an ordinary WhatsApp
// account, not the Business API, and bulk sending risks the number being
// banned. Offered for an Office without a Cloud API account, never the default.
type Gateway struct {
	URL    string // https://api.fonnte.com/send
	Token  string
	Client *http.Client
}

func (Gateway) Name() string { return "gateway" }

func (p Gateway) Send(ctx context.Context, m Message) (string, error) {
	form := url.Values{"target": {strings.TrimPrefix(m.Recipient, "+")}, "message": {m.Body}, "countryCode": {"62"}}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	hr.Header.Set("Authorization", p.Token)
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c := p.Client
	if c == nil {
		c = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := c.Do(hr)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var out struct {
		Status bool            `json:"status"`
		Reason string          `json:"reason"`
		ID     json.RawMessage `json:"id"`
	}
	_ = json.Unmarshal(raw, &out)
	if resp.StatusCode/100 != 2 || !out.Status {
		err := fmt.Errorf("gateway %d: %s", resp.StatusCode, firstNonEmpty(out.Reason, strings.TrimSpace(string(raw))))
		if strings.Contains(strings.ToLower(out.Reason), "invalid") || strings.Contains(strings.ToLower(out.Reason), "not registered") {
			return "", Permanent(err)
		}
		return "", err
	}
	var ids []any
	if json.Unmarshal(out.ID, &ids) == nil && len(ids) > 0 {
		return fmt.Sprint(ids[0]), nil
	}
	return strings.Trim(string(out.ID), `"`), nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// The settings that configure the providers. Secrets are sealed with the
// data key before they are stored (and so in the audit trail too), and shown
// back only as their last characters.
const (
	SetWhatsAppProvider = "message.whatsapp.provider" // manual | cloud | gateway
	SetCloudBaseURL     = "message.whatsapp.cloud.base_url"
	SetCloudVersion     = "message.whatsapp.cloud.version"
	SetCloudPhoneID     = "message.whatsapp.cloud.phone_number_id"
	SetCloudToken       = "message.whatsapp.cloud.token"        // secret
	SetCloudAppSecret   = "message.whatsapp.cloud.app_secret"   // secret: the webhook's signature key
	SetCloudVerifyToken = "message.whatsapp.cloud.verify_token" // secret: the webhook's GET check
	SetCloudTemplates   = "message.whatsapp.cloud.templates"    // id=name lines
	SetGatewayURL       = "message.whatsapp.gateway.url"
	SetGatewayToken     = "message.whatsapp.gateway.token" // secret
	SetEmailProvider    = "message.email.provider"         // manual | smtp
	SetSMTPHost         = "message.email.smtp.host"
	SetSMTPPort         = "message.email.smtp.port"
	SetSMTPUsername     = "message.email.smtp.username"
	SetSMTPPassword     = "message.email.smtp.password" // secret
	SetSMTPFrom         = "message.email.smtp.from"
	SetSMTPFromName     = "message.email.smtp.from_name"
	SetSMTPSecurity     = "message.email.smtp.security"
	SetBaseURL          = "message.base_url" // where links in messages point
)

// Secret reports whether the setting key holds a secret.
func Secret(key string) bool {
	switch key {
	case SetCloudToken, SetCloudAppSecret, SetCloudVerifyToken, SetGatewayToken, SetSMTPPassword:
		return true
	}
	return false
}

var settingDefaults = map[string]string{
	SetWhatsAppProvider: "manual",
	SetCloudBaseURL:     "https://graph.facebook.com",
	SetCloudVersion:     "v21.0",
	SetGatewayURL:       "https://api.fonnte.com/send",
	SetEmailProvider:    "manual",
	SetSMTPPort:         "587",
	SetSMTPFromName:     "Dinas Koperasi dan UKM Provinsi Jawa Timur",
	SetSMTPSecurity:     "starttls",
	SetBaseURL:          "http://localhost:8080",
}

const sealedPrefix = "sealed:"

// Setting returns a provider setting, a secret opened.
func (s *Service) Setting(ctx context.Context, key string) (string, error) {
	v, err := s.Settings.Get(ctx, key)
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(v, sealedPrefix) && s.Vault != nil {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(v, sealedPrefix))
		if err != nil {
			return "", err
		}
		plain, err := s.Vault.Open(raw, key)
		if err != nil {
			return "", fmt.Errorf("open setting %s: %w", key, err)
		}
		return string(plain), nil
	}
	if v == "" && key == SetBaseURL && s.BaseURL != "" {
		return s.BaseURL, nil
	}
	if v == "" {
		return settingDefaults[key], nil
	}
	return v, nil
}

// SetSetting stores a provider setting, a secret sealed. An empty value for a
// secret keeps the one stored (the form never shows it back).
func (s *Service) SetSetting(ctx context.Context, by int64, key, value string) error {
	value = strings.TrimSpace(value)
	if Secret(key) {
		if value == "" {
			return nil
		}
		value = sealedPrefix + base64.StdEncoding.EncodeToString(s.Vault.Seal([]byte(value), key))
	}
	return s.Settings.Set(ctx, key, value, by)
}

// Masked is a secret as the settings page shows it: its last four characters.
func Masked(secret string) string {
	if secret == "" {
		return ""
	}
	r := []rune(secret)
	if len(r) <= 8 {
		return "••••"
	}
	return "••••" + string(r[len(r)-4:])
}

// Provider returns the configured provider for channel c.
func (s *Service) Provider(ctx context.Context, c Channel) (Provider, error) {
	if s.Providers != nil {
		return s.Providers(ctx, c)
	}
	get := func(k string) string { v, _ := s.Setting(ctx, k); return v }
	if c == Email {
		if get(SetEmailProvider) != "smtp" {
			return ManualProvider{}, nil
		}
		port, _ := strconv.Atoi(get(SetSMTPPort))
		return SMTP{Host: get(SetSMTPHost), Port: port, Username: get(SetSMTPUsername), Password: get(SetSMTPPassword),
			From: get(SetSMTPFrom), FromName: get(SetSMTPFromName), Security: get(SetSMTPSecurity)}, nil
	}
	switch get(SetWhatsAppProvider) {
	case "cloud":
		names := map[string]string{}
		for _, line := range strings.Split(get(SetCloudTemplates), "\n") {
			if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
				names[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
		return CloudAPI{BaseURL: get(SetCloudBaseURL), Version: get(SetCloudVersion), PhoneNumberID: get(SetCloudPhoneID), Token: get(SetCloudToken), TemplateName: names}, nil
	case "gateway":
		return Gateway{URL: get(SetGatewayURL), Token: get(SetGatewayToken)}, nil
	}
	return ManualProvider{}, nil
}
