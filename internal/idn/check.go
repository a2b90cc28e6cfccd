package idn

import (
	"errors"
	"strconv"
	"time"
)

// Kind names an identifier Check knows.
type Kind string

const (
	KindNIK    Kind = "nik"
	KindNIB    Kind = "nib"
	KindPIRT   Kind = "pirt"
	KindHalal  Kind = "halal"
	KindBPOM   Kind = "bpom"
	KindPhone  Kind = "phone"
	KindRupiah Kind = "rupiah"
)

// Kinds lists what Check knows, for an API to offer.
var Kinds = []Kind{KindNIK, KindNIB, KindPIRT, KindHalal, KindBPOM, KindPhone, KindRupiah}

// Checked is an identifier after Check: its canonical written form (a NIK as its
// 16 digits, a phone number in E.164, Rupiah as a plain number) and warnings.
type Checked struct {
	Normal   string
	Warnings []Problem
}

// ErrUnknownKind is Check's answer for a kind it does not know.
var ErrUnknownKind = errors.New("idn: unknown kind of identifier")

// Check parses value as an identifier of kind. A refusal is a *Problem. It is the
// one place forms, imports and the API turn a typed identifier into a stored one.
func Check(kind Kind, value string, now time.Time) (Checked, error) {
	var c Checked
	var err error
	switch kind {
	case KindNIK:
		var n NIK
		n, c.Warnings, err = ParseNIK(value)
		c.Normal = n.Digits
	case KindNIB:
		var n NIB
		n, err = ParseNIB(value)
		c.Normal = n.String()
	case KindPIRT:
		var p PIRT
		p, c.Warnings, err = ParsePIRT(value, now)
		c.Normal = p.String()
	case KindHalal:
		var h Halal
		h, c.Warnings, err = ParseHalal(value)
		c.Normal = h.String()
	case KindBPOM:
		var b BPOM
		b, c.Warnings, err = ParseBPOM(value)
		c.Normal = b.String()
	case KindPhone:
		var p Phone
		p, err = ParsePhone(value)
		c.Normal = p.E164
	case KindRupiah:
		var n int64
		n, err = ParseRupiah(value)
		c.Normal = strconv.FormatInt(n, 10)
	default:
		return c, ErrUnknownKind
	}
	if err != nil {
		return Checked{}, err
	}
	return c, nil
}
