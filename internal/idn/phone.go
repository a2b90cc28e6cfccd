package idn

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/nyaruka/phonenumbers"
)

// Problem codes for phone numbers.
const (
	CodePhoneEmpty     = "phone.empty"
	CodePhoneNotDigits = "phone.not_digits"
	CodePhoneTooShort  = "phone.too_short"
	CodePhoneTooLong   = "phone.too_long"
	CodePhoneInvalid   = "phone.invalid"
)

// phoneMaxInput bounds what is handed to the phone library; no phone number
// with its separators comes near it.
const phoneMaxInput = 64

// Phone is a validated phone number.
type Phone struct {
	E164        string // "+6281234567890"
	CountryCode int    // 62
	Region      string // ISO 3166 region of the number, "ID"
	Mobile      bool   // a mobile number, or one the plan cannot tell from a landline (as in the US): worth a WhatsApp
}

// ParsePhone reads a phone number the way Indonesians write it: 0812…, 812…
// (the leading 0 dropped, as forms with a fixed +62 teach people), 62812…,
// +62 812…, with spaces, dashes, dots, slashes or parentheses. A number with
// an explicit +CC of another country is accepted too, for applicants abroad;
// Mobile then follows that country's numbering plan.
//
// A leading 00 is read as the plus it stands for abroad ("0062 812…"); no
// Indonesian national number starts with 00.
//
// "62…" without a plus is read as +62… when that is a valid number, even
// though a few North Sumatran area codes (062x) could read it otherwise: a
// leading 62 almost always means the country code.
//
// Letters are refused rather than read as a keypad word, since on a form they
// are always a typing mistake.
func ParsePhone(s string) (Phone, error) {
	s = strings.TrimSpace(s)
	var digits strings.Builder
	plus := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && digits.Len() == 0 && !plus: // a plus only before the digits
			plus = true
		case isSeparator(r) || r == '(' || r == ')' || r == '/':
		default:
			return Phone{}, notDigits(CodePhoneNotDigits, "Nomor telepon", "phone number", r)
		}
	}
	d := digits.String()
	if d == "" {
		return Phone{}, newProblem(CodePhoneEmpty,
			"Nomor telepon belum diisi.", "The phone number is empty.")
	}
	typed := len(d) // what the messages count: every digit the person typed
	if typed > phoneMaxInput {
		return Phone{}, tooLongPhone(typed, false)
	}
	if !plus && strings.HasPrefix(d, "00") { // "0062…": the ITU's international prefix
		plus, d = true, d[2:]
	}
	var num *phonenumbers.PhoneNumber
	if !plus && strings.HasPrefix(d, "62") {
		if n, err := phonenumbers.Parse("+"+d, "ID"); err == nil && phonenumbers.IsValidNumber(n) {
			num = n
		}
	}
	if num == nil {
		in := d
		if plus {
			in = "+" + d
		}
		n, err := phonenumbers.Parse(in, "ID")
		if err != nil {
			return Phone{}, phoneError(err, typed, !plus || strings.HasPrefix(d, "62"))
		}
		num = n
	}
	if !phonenumbers.IsValidNumber(num) {
		return Phone{}, whyInvalid(num, typed)
	}
	t := phonenumbers.GetNumberType(num)
	return Phone{
		E164:        phonenumbers.Format(num, phonenumbers.E164),
		CountryCode: int(num.GetCountryCode()),
		Region:      phonenumbers.GetRegionCodeForNumber(num),
		Mobile:      t == phonenumbers.MOBILE || t == phonenumbers.FIXED_LINE_OR_MOBILE,
	}, nil
}

// whyInvalid tells a too short or too long number from a merely wrong one.
// The library's own length test accepts lengths no Indonesian number has, so
// Indonesian numbers are judged by their national digits: 8 to 12 of them
// (after the leading 0), from a small town's landline to a long mobile number.
func whyInvalid(num *phonenumbers.PhoneNumber, typed int) *Problem {
	if num.GetCountryCode() == 62 {
		switch nsn := strings.TrimPrefix(phonenumbers.GetNationalSignificantNumber(num), "0"); {
		case len(nsn) < 8:
			return tooShortPhone(typed, true)
		case len(nsn) > 12:
			return tooLongPhone(typed, true)
		}
		return invalidPhone()
	}
	switch phonenumbers.IsPossibleNumberWithReason(num) {
	case phonenumbers.TOO_SHORT:
		return tooShortPhone(typed, false)
	case phonenumbers.TOO_LONG:
		return tooLongPhone(typed, false)
	}
	return invalidPhone()
}

// phoneError explains why the library could not parse a number at all.
func phoneError(err error, typed int, indonesian bool) *Problem {
	switch {
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return tooLongPhone(typed, indonesian)
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD), typed < 7:
		return tooShortPhone(typed, indonesian)
	}
	return invalidPhone()
}

// phoneHint is the example added to a length problem with an Indonesian number.
var phoneHint = i18n.Text{
	ID: " Nomor HP Indonesia biasanya 10–13 angka, misalnya 0812-3456-7890.",
	EN: " An Indonesian mobile number usually has 10–13 digits, e.g. 0812-3456-7890.",
}

func tooShortPhone(typed int, indonesian bool) *Problem {
	return phoneLength(CodePhoneTooShort, "terlalu pendek", "too short", typed, indonesian)
}

func tooLongPhone(typed int, indonesian bool) *Problem {
	return phoneLength(CodePhoneTooLong, "terlalu panjang", "too long", typed, indonesian)
}

func phoneLength(code, whatID, whatEN string, typed int, indonesian bool) *Problem {
	p := &Problem{Code: code, Text: i18n.Text{
		ID: fmt.Sprintf("Nomor telepon %s (%d angka).", whatID, typed),
		EN: fmt.Sprintf("The phone number is %s (%s).", whatEN, digitCountEN(typed)),
	}}
	if indonesian {
		p.Text.ID += phoneHint.ID
		p.Text.EN += phoneHint.EN
	}
	return p
}

func invalidPhone() *Problem {
	return newProblem(CodePhoneInvalid,
		"Nomor telepon ini tidak dikenal sebagai nomor yang berlaku. Mohon periksa kembali, misalnya 0812-3456-7890 atau +62 812-3456-7890.",
		"This is not a valid phone number. Please check it, e.g. 0812-3456-7890 or +62 812-3456-7890.")
}

// WhatsApp returns the number as wa.me links and the WhatsApp APIs want it:
// digits only, with the country code, "6281234567890".
func (p Phone) WhatsApp() string { return strings.TrimPrefix(p.E164, "+") }

// String returns the E.164 form.
func (p Phone) String() string { return p.E164 }

// Masked hides the middle of the number for lists: "+62 812-****-7890".
// The country code, the first three national digits (the operator, for a
// mobile) and the last four stay visible; the mask is always four stars so
// it does not reveal the length.
func (p Phone) Masked() string {
	cc := "+" + strconv.Itoa(p.CountryCode)
	nsn := strings.TrimPrefix(p.E164, cc)
	if p.CountryCode == 0 || len(nsn) == len(p.E164) {
		return ""
	}
	if len(nsn) < 8 { // too short to show both ends: keep only the last two
		return cc + " ****" + nsn[max(len(nsn)-2, 0):]
	}
	return cc + " " + nsn[:3] + "-****-" + nsn[len(nsn)-4:]
}
