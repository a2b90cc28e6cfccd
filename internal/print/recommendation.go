package print

import (
	"errors"
	"io"
	"strings"
	"time"
)

// RecommendationData is what the recommendation letter ("Surat Rekomendasi
// UKM Binaan", SOP step 8) prints: the Office recommends an SME it assists to
// the Directorate General of Intellectual Property (DJKI), which grants such
// SMEs its reduced fee for registering a mark.
type RecommendationData struct {
	Office       Office
	Number       string // REK-HKI-2026-00001; required
	IssuedAt     time.Time
	BusinessName string
	OwnerName    string
	NIB          string
	Address      string
	Products     []string
	Reason       string // why the SME is referred, as the referral states it
	Signatory    string // the head of division who signs; empty leaves dots
	// VerifyURL is the public page confirming the letter, printed as a QR code.
	VerifyURL   string
	Fingerprint string // of the letter's content, printed under the code
}

// RecommendationLetter writes the recommendation letter as PDF.
func RecommendationLetter(w io.Writer, r RecommendationData) error {
	if strings.TrimSpace(r.Number) == "" {
		return errors.New("print: recommendation letter without a number")
	}
	const title = "Surat Rekomendasi UKM Binaan"
	d := newDoc(r.Office, title, r.Number, r.IssuedAt)
	d.title(title, "Fasilitasi Pendaftaran Kekayaan Intelektual")
	if err := d.idBlock([]field{
		{"Nomor surat", r.Number},
		{"Tanggal", Tanggal(r.IssuedAt)},
		{"Nama usaha", r.BusinessName},
		{"Nama pemilik", r.OwnerName},
		{"NIB", orDash(r.NIB)},
		{"Alamat", orDash(r.Address)},
	}, r.VerifyURL, "Pindai untuk memeriksa keaslian surat ini:"); err != nil {
		return err
	}
	d.f.SetY(d.f.GetY() + 3)
	d.paragraph("Yang bertanda tangan di bawah ini, "+d.office.Division+" "+d.office.Name+
		", menerangkan bahwa usaha tersebut di atas adalah Usaha Kecil dan Menengah (UKM) binaan "+d.office.Name+
		" dalam program Fasilitasi Pemasaran Produk Melalui Galeri.", "", 9.5, 5)
	d.f.SetY(d.f.GetY() + 2)
	d.paragraph("Produk: "+orDash(strings.Join(r.Products, ", "))+".", "", 9.5, 5)
	if strings.TrimSpace(r.Reason) != "" {
		d.f.SetY(d.f.GetY() + 2)
		d.paragraph("Keterangan: "+r.Reason, "", 9.5, 5)
	}
	d.f.SetY(d.f.GetY() + 2)
	d.paragraph("Surat rekomendasi ini diberikan untuk keperluan permohonan pendaftaran merek pada Direktorat Jenderal Kekayaan Intelektual (DJKI) dengan tarif Usaha Mikro dan Usaha Kecil, dan tidak berlaku untuk keperluan lain.", "", 9.5, 5)
	if r.Fingerprint != "" {
		d.f.SetY(d.f.GetY() + 2)
		d.paragraph("Sidik isi surat (SHA-256): "+r.Fingerprint, "", 7.5, 4)
	}
	d.f.SetY(d.f.GetY() + 6)
	d.signatures(d.office.City+", "+Tanggal(r.IssuedAt), signer{"Mengetahui, Staf Galeri", ""}, signer{"Kepala " + d.office.Division, r.Signatory})
	return d.output(w)
}
