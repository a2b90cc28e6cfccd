package message

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
)

// Template is a message as data: its text in each language with {variables},
// the variables it takes in order (the order of a WhatsApp template's body
// parameters), and the name of the approved WhatsApp template it maps to.
type Template struct {
	ID      string
	Vars    []string
	Subject map[i18n.Lang]string // e-mail subject
	Body    map[i18n.Lang]string
	// Edited says an admin changed the built-in text (in either language).
	Edited bool
}

// The events that send messages.
const (
	ApplicationReceived = "application_received"
	DocumentsReturned   = "documents_returned"
	SamplesReceived     = "samples_received"
	ResultPassed        = "result_passed"
	ResultNotPassed     = "result_not_passed"
	Feedback            = "feedback"
	ReferralMade        = "referral_made"
	ReferralOutcome     = "referral_outcome"
	StaffDueTomorrow    = "staff_due_tomorrow"
	StaffLate           = "staff_late"
	PasswordReset       = "password_reset"
	AccountActivation   = "account_activation"
	StatusReply         = "status_reply"
	TestMessage         = "test_message"
	OnDisplay           = "on_display"
	StockExpiring       = "stock_expiring"
	StockLow            = "stock_low"
)

// builtIn are the templates a fresh installation has. An admin's edits are
// kept in message_templates and win over these.
var builtIn = []Template{
	{ID: ApplicationReceived, Vars: []string{"name", "number", "business", "due"},
		Subject: map[i18n.Lang]string{i18n.ID: "Permohonan {number} diterima", i18n.EN: "Application {number} received"},
		Body: map[i18n.Lang]string{
			i18n.ID: "Yth. {name},\n\npermohonan kemitraan galeri {number} untuk {business} telah kami terima. Petugas memeriksa dokumen Anda paling lambat {due}.\n\nDinas Koperasi dan UKM Provinsi Jawa Timur",
			i18n.EN: "Dear {name},\n\nwe have received the gallery partnership application {number} for {business}. Our staff will check your documents by {due}.\n\nEast Java Cooperatives and SME Office",
		}},
	{ID: DocumentsReturned, Vars: []string{"name", "number", "documents", "link"},
		Subject: map[i18n.Lang]string{i18n.ID: "Dokumen permohonan {number} perlu diperbaiki", i18n.EN: "Documents of application {number} need correcting"},
		Body: map[i18n.Lang]string{
			i18n.ID: "Yth. {name},\n\ndokumen berikut pada permohonan {number} dikembalikan:\n{documents}\n\nSilakan perbaiki dan ajukan kembali: {link}\n\nDinas Koperasi dan UKM Provinsi Jawa Timur",
			i18n.EN: "Dear {name},\n\nthe following documents of application {number} were returned:\n{documents}\n\nPlease correct them and submit again: {link}\n\nEast Java Cooperatives and SME Office",
		}},
	{ID: SamplesReceived, Vars: []string{"name", "number", "products"},
		Subject: map[i18n.Lang]string{i18n.ID: "Sampel produk permohonan {number} diterima", i18n.EN: "Product samples of application {number} received"},
		Body: map[i18n.Lang]string{
			i18n.ID: "Yth. {name},\n\nsampel produk berikut telah kami terima untuk kurasi: {products}. Hasil kurasi akan kami umumkan melalui WhatsApp dan e-mail.\n\nDinas Koperasi dan UKM Provinsi Jawa Timur",
			i18n.EN: "Dear {name},\n\nwe have received the samples of these products for curation: {products}. We will announce the results by WhatsApp and e-mail.\n\nEast Java Cooperatives and SME Office",
		}},
	{ID: ResultPassed, Vars: []string{"name", "number", "products", "link"},
		Subject: map[i18n.Lang]string{i18n.ID: "Hasil kurasi {number}: lolos", i18n.EN: "Curation result {number}: passed"},
		Body: map[i18n.Lang]string{
			i18n.ID: "Yth. {name},\n\nselamat, produk berikut lolos kurasi galeri: {products}. Langkah berikutnya: {link}\n\nDinas Koperasi dan UKM Provinsi Jawa Timur",
			i18n.EN: "Dear {name},\n\ncongratulations: these products passed the gallery's curation: {products}. Next step: {link}\n\nEast Java Cooperatives and SME Office",
		}},
	{ID: ResultNotPassed, Vars: []string{"name", "number", "products", "reasons", "documents", "link"},
		Subject: map[i18n.Lang]string{i18n.ID: "Hasil kurasi {number}: belum lolos", i18n.EN: "Curation result {number}: not passed"},
		Body: map[i18n.Lang]string{
			i18n.ID: "Yth. {name},\n\nproduk berikut belum lolos kurasi galeri: {products}.\nAlasan:\n{reasons}\nDokumen yang belum lengkap: {documents}\n\nAnda dapat melengkapi dan mengajukan kembali: {link}\n\nDinas Koperasi dan UKM Provinsi Jawa Timur",
			i18n.EN: "Dear {name},\n\nthese products did not pass the gallery's curation: {products}.\nReasons:\n{reasons}\nDocuments still missing: {documents}\n\nYou may complete them and apply again: {link}\n\nEast Java Cooperatives and SME Office",
		}},
	{ID: Feedback, Vars: []string{"name", "number", "reasons", "documents", "link"},
		Subject: map[i18n.Lang]string{i18n.ID: "Masukan kurasi untuk {number}", i18n.EN: "Curation feedback for {number}"},
		Body: map[i18n.Lang]string{
			i18n.ID: "Yth. {name},\n\nmasukan tenaga ahli kurasi untuk permohonan {number}:\n{reasons}\nDokumen yang belum lengkap: {documents}\n\nAjukan kembali: {link}\n\nDinas Koperasi dan UKM Provinsi Jawa Timur",
			i18n.EN: "Dear {name},\n\nthe curation expert's feedback on application {number}:\n{reasons}\nDocuments still missing: {documents}\n\nApply again: {link}\n\nEast Java Cooperatives and SME Office",
		}},
	{ID: ReferralMade, Vars: []string{"name", "business", "division", "reason"},
		Subject: map[i18n.Lang]string{i18n.ID: "{business} dirujuk ke {division}", i18n.EN: "{business} referred to {division}"},
		Body: map[i18n.Lang]string{
			i18n.ID: "Yth. {name},\n\nusaha Anda {business} kami rujuk ke {division} untuk pendampingan: {reason}. Petugas bidang akan menghubungi Anda.\n\nDinas Koperasi dan UKM Provinsi Jawa Timur",
			i18n.EN: "Dear {name},\n\nwe have referred your business {business} to {division} for assistance: {reason}. An officer of the division will contact you.\n\nEast Java Cooperatives and SME Office",
		}},
	{ID: ReferralOutcome, Vars: []string{"name", "division", "status", "note"},
		Subject: map[i18n.Lang]string{i18n.ID: "Rujukan {division}: {status}", i18n.EN: "Referral to {division}: {status}"},
		Body: map[i18n.Lang]string{
			i18n.ID: "Yth. {name},\n\nrujukan Anda ke {division}: {status}. {note}\n\nDinas Koperasi dan UKM Provinsi Jawa Timur",
			i18n.EN: "Dear {name},\n\nyour referral to {division}: {status}. {note}\n\nEast Java Cooperatives and SME Office",
		}},
	{ID: StaffDueTomorrow, Vars: []string{"name", "count", "items", "link"},
		Subject: map[i18n.Lang]string{i18n.ID: "{count} permohonan jatuh tempo besok", i18n.EN: "{count} applications due tomorrow"},
		Body: map[i18n.Lang]string{
			i18n.ID: "{name}, {count} permohonan jatuh tempo besok:\n{items}\n\n{link}",
			i18n.EN: "{name}, {count} applications are due tomorrow:\n{items}\n\n{link}",
		}},
	{ID: StaffLate, Vars: []string{"name", "count", "items", "link"},
		Subject: map[i18n.Lang]string{i18n.ID: "{count} permohonan terlambat", i18n.EN: "{count} applications late"},
		Body: map[i18n.Lang]string{
			i18n.ID: "{name}, {count} permohonan melewati batas waktu:\n{items}\n\n{link}",
			i18n.EN: "{name}, {count} applications are past their time standard:\n{items}\n\n{link}",
		}},
	{ID: PasswordReset, Vars: []string{"name", "link"},
		Subject: map[i18n.Lang]string{i18n.ID: "Atur ulang kata sandi Etalase", i18n.EN: "Reset your Etalase password"},
		Body: map[i18n.Lang]string{
			i18n.ID: "{name}, buka tautan ini dalam 30 menit untuk membuat kata sandi baru: {link}\nAbaikan pesan ini jika Anda tidak memintanya.",
			i18n.EN: "{name}, open this link within 30 minutes to choose a new password: {link}\nIgnore this message if you did not ask for it.",
		}},
	{ID: AccountActivation, Vars: []string{"name", "link"},
		Subject: map[i18n.Lang]string{i18n.ID: "Aktifkan akun Etalase Anda", i18n.EN: "Activate your Etalase account"},
		Body: map[i18n.Lang]string{
			i18n.ID: "{name}, data pendaftaran galeri Anda sudah kami pindahkan ke Etalase. Buka tautan ini untuk membuat kata sandi: {link}",
			i18n.EN: "{name}, your gallery registration has moved to Etalase. Open this link to choose a password: {link}",
		}},
	{ID: StatusReply, Vars: []string{"name", "items"},
		Subject: map[i18n.Lang]string{i18n.ID: "Status permohonan", i18n.EN: "Application status"},
		Body: map[i18n.Lang]string{
			i18n.ID: "{name}, status permohonan Anda:\n{items}",
			i18n.EN: "{name}, the status of your applications:\n{items}",
		}},
	{ID: OnDisplay, Vars: []string{"name", "number", "products", "link"},
		Subject: map[i18n.Lang]string{i18n.ID: "Produk Anda dipajang di galeri", i18n.EN: "Your products are on display in the gallery"},
		Body: map[i18n.Lang]string{
			i18n.ID: "Yth. {name},\n\nproduk Anda dari permohonan {number} kini dipajang dan dijual di galeri: {products}. Lihat di katalog: {link}\n\nDinas Koperasi dan UKM Provinsi Jawa Timur",
			i18n.EN: "Dear {name},\n\nyour products from application {number} are now on display and for sale in the gallery: {products}. See them in the catalogue: {link}\n\nEast Java Cooperatives and SME Office",
		}},
	{ID: StockExpiring, Vars: []string{"name", "item", "qty", "lot", "expires"},
		Subject: map[i18n.Lang]string{i18n.ID: "Stok {item} di galeri mendekati kedaluwarsa", i18n.EN: "Stock of {item} in the gallery nears its expiry"},
		Body: map[i18n.Lang]string{
			i18n.ID: "Yth. {name},\n\n{qty} unit {item} (lot {lot}) di galeri kedaluwarsa {expires}. Mohon diambil dan diganti dengan stok baru.\n\nDinas Koperasi dan UKM Provinsi Jawa Timur",
			i18n.EN: "Dear {name},\n\n{qty} units of {item} (lot {lot}) in the gallery expire on {expires}. Please collect them and bring fresh stock.\n\nEast Java Cooperatives and SME Office",
		}},
	{ID: StockLow, Vars: []string{"name", "item", "qty"},
		Subject: map[i18n.Lang]string{i18n.ID: "Stok {item} di galeri hampir habis", i18n.EN: "Stock of {item} in the gallery is running low"},
		Body: map[i18n.Lang]string{
			i18n.ID: "Yth. {name},\n\nstok {item} di galeri tinggal {qty}. Silakan kirim stok tambahan.\n\nDinas Koperasi dan UKM Provinsi Jawa Timur",
			i18n.EN: "Dear {name},\n\nonly {qty} of {item} are left in the gallery. Please send more stock.\n\nEast Java Cooperatives and SME Office",
		}},
	{ID: TestMessage, Vars: []string{"name"},
		Subject: map[i18n.Lang]string{i18n.ID: "Pesan uji Etalase", i18n.EN: "Etalase test message"},
		Body: map[i18n.Lang]string{
			i18n.ID: "Pesan uji dari Etalase untuk {name}: pengaturan pengiriman berfungsi.",
			i18n.EN: "A test message from Etalase for {name}: sending works.",
		}},
}

// BuiltIn returns the template id as shipped.
func BuiltIn(id string) (Template, bool) {
	i := slices.IndexFunc(builtIn, func(t Template) bool { return t.ID == id })
	if i < 0 {
		return Template{}, false
	}
	return clone(builtIn[i]), true
}

func clone(t Template) Template {
	out := t
	out.Vars = slices.Clone(t.Vars)
	out.Subject = map[i18n.Lang]string{}
	out.Body = map[i18n.Lang]string{}
	for k, v := range t.Subject {
		out.Subject[k] = v
	}
	for k, v := range t.Body {
		out.Body[k] = v
	}
	return out
}

// Render fills the template's {variables} from vars; a variable without a
// value is left empty, and text in braces that is no variable stays as typed.
func Render(text string, vars map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			b.WriteString(text)
			return b.String()
		}
		name := text[i+1 : i+j]
		b.WriteString(text[:i])
		if v, ok := vars[name]; ok {
			b.WriteString(v)
		} else if isVarName(name) {
			// a known shape with no value: empty
		} else {
			b.WriteString(text[i : i+j+1])
		}
		text = text[i+j+1:]
	}
}

func isVarName(s string) bool {
	if s == "" || len(s) > 30 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && r != '_' {
			return false
		}
	}
	return true
}

// Templates returns every template with the admin's edits applied.
func (s *Service) Templates(ctx context.Context) ([]Template, error) {
	out := make([]Template, 0, len(builtIn))
	for _, t := range builtIn {
		tt, err := s.Template(ctx, t.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, tt)
	}
	return out, nil
}

// Template returns template id with the admin's edits applied.
func (s *Service) Template(ctx context.Context, id string) (Template, error) {
	t, ok := BuiltIn(id)
	if !ok {
		return Template{}, errNoTemplate
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT lang, subject, body FROM message_templates WHERE id = ?", id)
	if err != nil {
		return Template{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var lang, subject, body string
		if err := rows.Scan(&lang, &subject, &body); err != nil {
			return Template{}, err
		}
		t.Subject[i18n.Lang(lang)], t.Body[i18n.Lang(lang)] = subject, body
		t.Edited = true
	}
	return t, rows.Err()
}

var (
	errNoTemplate    = apperr.New(apperr.NotFound, "message.no_template", "Templat pesan tidak ditemukan.", "No such message template.")
	errTemplateEmpty = apperr.New(apperr.Invalid, "message.template_empty", "Isi templat tidak boleh kosong (maksimal 4000 karakter).", "The template's text must not be empty (4000 characters at most).")
	errTemplateVar   = apperr.New(apperr.Invalid, "message.template_var", "Templat memakai variabel yang tidak dikenal.", "The template uses a variable it does not have.")
)

// UnknownVars returns the {variables} in text that t does not have.
func (t Template) UnknownVars(text string) []string {
	var out []string
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			return out
		}
		name := text[i+1 : i+j]
		if isVarName(name) && !slices.Contains(t.Vars, name) {
			out = append(out, name)
		}
		text = text[i+j+1:]
	}
}

// SaveTemplate stores an admin's text for template id in lang; an empty
// subject and body puts the built-in text back.
func (s *Service) SaveTemplate(ctx context.Context, by int64, id string, lang i18n.Lang, subject, body string) error {
	t, ok := BuiltIn(id)
	if !ok {
		return errNoTemplate
	}
	if lang != i18n.ID && lang != i18n.EN {
		return errNoTemplate
	}
	subject, body = strings.TrimSpace(subject), strings.TrimSpace(body)
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if subject == "" && body == "" {
			if _, err := tx.ExecContext(ctx, "DELETE FROM message_templates WHERE id = ? AND lang = ?", id, string(lang)); err != nil {
				return err
			}
			return auditRecord(ctx, tx, "message.template_reset", "message_template", id+"/"+string(lang), "Templat dikembalikan ke bawaan: "+id)
		}
		if body == "" || len([]rune(body)) > 4000 || len([]rune(subject)) > 200 {
			return errTemplateEmpty
		}
		if len(t.UnknownVars(subject+body)) > 0 {
			return errTemplateVar
		}
		var byID sql.NullInt64
		if by > 0 {
			byID = sql.NullInt64{Int64: by, Valid: true}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO message_templates (id, lang, subject, body, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (id, lang) DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			id, string(lang), subject, body, byID, tx.Now); err != nil {
			return err
		}
		return auditRecord(ctx, tx, "message.template_edit", "message_template", id+"/"+string(lang), "Templat diubah: "+id)
	})
}

// Preview renders template id in lang with example values.
func (s *Service) Preview(t Template, lang i18n.Lang) (subject, body string) {
	return Render(t.Subject[lang], exampleVars), Render(t.Body[lang], exampleVars)
}

var exampleVars = map[string]string{
	"name": "Siti Aminah", "number": "GAL-2026-00042", "business": "Keripik Tempe Bu Siti",
	"products": "Keripik tempe original, Keripik tempe pedas", "reasons": "- Keripik tempe pedas: kemasan belum mencantumkan tanggal kedaluwarsa",
	"documents": "- PIRT: nomor tidak terbaca", "due": "3 Desember 2026", "link": "https://etalase.example/aplikasi/42",
	"division": "Bidang Sertifikasi Halal", "reason": "belum memiliki sertifikat halal", "status": "selesai", "note": "Sertifikat ID35110000123450126",
	"count": "3", "items": "- GAL-2026-00042 (langkah 1)",
}

var _ = errors.New

// TemplateIDs lists the templates' ids in their order.
func TemplateIDs() []string {
	out := make([]string, len(builtIn))
	for i, t := range builtIn {
		out[i] = t.ID
	}
	return out
}
