package importer

import (
	"strings"
	"unicode"
)

// field is a value the import understands.
type field int

const (
	fTimestamp field = iota
	fOwner
	fNIK
	fBusiness
	fNIB
	fAddress
	fRegency
	fWhatsApp
	fEmail
	fCategory
	fSize
	fYearStarted
	fLinks
	fProduct
	fDescription
	fPrice
	fNetContent
	fPackaging
	fShelfLife
	fCapacity
	fPIRT
	fHalal
	fBPOM
	fComposition
	numFields
)

// fields names each value as the Google Form titled it (Label, used in messages
// when the file has no such column) and lists the titles it is known by, in
// Indonesian and English. Titles are compared by their letters and digits only,
// without case: "No. WhatsApp", "NO WHATSAPP" and "No.WhatsApp" are one title.
var fields = [numFields]struct {
	Label   string
	Aliases []string
}{
	fTimestamp:   {"Timestamp", []string{"Timestamp", "Stempel waktu", "Cap waktu", "Tanggal pengisian", "Waktu pengisian"}},
	fOwner:       {"Nama Pemilik", []string{"Nama Pemilik", "Nama Pemilik Usaha", "Nama Lengkap", "Nama Lengkap Pemilik", "Nama Pemohon", "Nama Pengusaha", "Pemilik", "Owner", "Owner name", "Full name", "Name"}},
	fNIK:         {"NIK", []string{"NIK", "NIK KTP", "NIK Pemilik", "No. KTP", "Nomor KTP", "Nomor NIK", "No. NIK", "Nomor Induk Kependudukan", "ID number"}},
	fBusiness:    {"Nama Usaha", []string{"Nama Usaha", "Nama UKM", "Nama UMKM", "Nama Perusahaan", "Nama Toko", "Business name", "Business", "Company"}},
	fNIB:         {"NIB", []string{"NIB", "No. NIB", "Nomor NIB", "Nomor Induk Berusaha", "NIB OSS", "Business ID number"}},
	fAddress:     {"Alamat Usaha", []string{"Alamat Usaha", "Alamat", "Alamat Lengkap", "Alamat Lengkap Usaha", "Alamat Produksi", "Alamat Tempat Usaha", "Address", "Business address"}},
	fRegency:     {"Kabupaten/Kota", []string{"Kabupaten/Kota", "Kota/Kabupaten", "Kab/Kota", "Kota/Kab", "Kabupaten", "Kota", "Asal Kabupaten/Kota", "Kabupaten/Kota Asal", "Kabupaten/Kota Usaha", "Domisili", "Domisili Usaha", "Asal Daerah", "Regency", "Regency/City", "City"}},
	fWhatsApp:    {"No. WhatsApp", []string{"No. WhatsApp", "Nomor WhatsApp", "No. WA", "Nomor WA", "WhatsApp", "WA", "No. HP", "Nomor HP", "No. HP/WA", "No. HP/WhatsApp", "No. Telepon", "Nomor Telepon", "Telepon", "No. Telp", "Telp", "HP", "Handphone", "Phone", "Phone number", "Mobile"}},
	fEmail:       {"Email", []string{"Email", "E-mail", "Alamat Email", "Alamat E-mail", "Email Address", "Surel", "Alamat Surel"}},
	fCategory:    {"Kategori Produk", []string{"Kategori Produk", "Kategori", "Jenis Produk", "Jenis Usaha", "Bidang Usaha", "Sektor Usaha", "Category", "Product category"}},
	fSize:        {"Skala Usaha", []string{"Skala Usaha", "Skala", "Business size"}},
	fYearStarted: {"Tahun Berdiri", []string{"Tahun Berdiri", "Tahun Mulai Usaha", "Tahun Mulai", "Berdiri Sejak", "Year started"}},
	fLinks:       {"Media Sosial", []string{"Media Sosial", "Instagram", "Akun Instagram", "Marketplace", "Link Marketplace", "Website", "Social media"}},
	fProduct:     {"Nama Produk", []string{"Nama Produk", "Produk", "Nama Produk Unggulan", "Produk Unggulan", "Product", "Product name"}},
	fDescription: {"Deskripsi Produk", []string{"Deskripsi Produk", "Deskripsi", "Keterangan Produk", "Description", "Product description"}},
	fPrice:       {"Harga Jual", []string{"Harga Jual", "Harga", "Harga Produk", "Harga Jual Produk", "Harga Eceran", "Price", "Selling price"}},
	fNetContent:  {"Isi Bersih/Netto", []string{"Isi Bersih/Netto", "Isi Bersih", "Netto", "Berat Bersih", "Berat", "Ukuran", "Isi", "Net content", "Net weight", "Weight"}},
	fPackaging:   {"Kemasan", []string{"Kemasan", "Jenis Kemasan", "Bahan Kemasan", "Packaging"}},
	fShelfLife:   {"Masa Simpan (hari)", []string{"Masa Simpan (hari)", "Masa Simpan", "Daya Tahan", "Daya Simpan", "Umur Simpan", "Masa Kedaluwarsa", "Masa Kadaluarsa", "Shelf life"}},
	fCapacity:    {"Kapasitas Produksi", []string{"Kapasitas Produksi", "Kapasitas Produksi per Bulan", "Kapasitas", "Production capacity"}},
	fPIRT:        {"No. P-IRT", []string{"No. P-IRT", "No. PIRT", "Nomor P-IRT", "Nomor PIRT", "P-IRT", "PIRT", "SPP-IRT", "No. SPP-IRT", "Nomor SPP-IRT", "Izin P-IRT", "Izin PIRT"}},
	fHalal:       {"No. Sertifikat Halal", []string{"No. Sertifikat Halal", "Nomor Sertifikat Halal", "Sertifikat Halal", "Halal", "No. Halal", "Nomor Halal", "Halal certificate"}},
	fBPOM:        {"No. BPOM", []string{"No. BPOM", "Nomor BPOM", "BPOM", "BPOM MD", "No. BPOM MD", "Izin Edar BPOM", "No. Izin Edar", "Nomor Izin Edar"}},
	fComposition: {"Komposisi", []string{"Komposisi", "Komposisi Produk", "Bahan", "Bahan Baku", "Bahan-bahan", "Composition", "Ingredients"}},
}

// required are the columns without which a file is refused: who, what business,
// which product. A way to reach the applicant (WhatsApp or e-mail) is required
// too; see columns.missing.
var required = []field{fOwner, fBusiness, fProduct}

// squash keeps the letters and digits of s, lower-cased.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// withoutParentheses drops "(...)" parts: "NIB (Nomor Induk Berusaha)" → "NIB".
func withoutParentheses(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(' || r == '[':
			depth++
		case (r == ')' || r == ']') && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var aliasIndex = func() map[string]field {
	m := map[string]field{}
	for f := range numFields {
		for _, a := range fields[f].Aliases {
			m[squash(a)] = f
		}
	}
	return m
}()

// minPrefix is the shortest alias that may match the start of a longer title:
// "Nama Usaha / Merek" is the business's name, but "No" must not swallow
// every "No. something".
const minPrefix = 5

// matchTitle finds the field a column title means, leniently: the title as it
// is; then without its parenthesised parts ("Harga Jual (Rp)"); then the
// longest known title that the column's title starts with ("Nomor WhatsApp
// yang aktif"), when no other field's title is as long.
func matchTitle(title string) (field, bool) {
	for _, t := range []string{squash(title), squash(withoutParentheses(title))} {
		if f, ok := aliasIndex[t]; ok {
			return f, true
		}
	}
	t := squash(withoutParentheses(title))
	best, bestLen, tie := field(-1), 0, false
	for a, f := range aliasIndex {
		if len(a) < minPrefix || !strings.HasPrefix(t, a) {
			continue
		}
		switch {
		case len(a) > bestLen:
			best, bestLen, tie = f, len(a), false
		case len(a) == bestLen && f != best:
			tie = true
		}
	}
	if best < 0 || tie {
		return 0, false
	}
	return best, true
}

// columns says which column of the file holds each field.
type columns struct {
	index   [numFields]int // -1: not in the file
	header  []string
	unknown []string // titles not understood, or a second column for a field already found
}

func matchHeader(header []string) columns {
	c := columns{header: header}
	for f := range c.index {
		c.index[f] = -1
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		f, ok := matchTitle(h)
		if !ok || c.index[f] >= 0 {
			c.unknown = append(c.unknown, h)
			continue
		}
		c.index[f] = i
	}
	return c
}

// missing lists the labels of the required columns the file lacks.
func (c columns) missing() []string {
	var out []string
	for _, f := range required {
		if c.index[f] < 0 {
			out = append(out, fields[f].Label)
		}
	}
	if c.index[fWhatsApp] < 0 && c.index[fEmail] < 0 {
		out = append(out, fields[fWhatsApp].Label+" / "+fields[fEmail].Label)
	}
	return out
}

// title is the column's title as the file writes it, or the field's label.
func (c columns) title(f field) string {
	if i := c.index[f]; i >= 0 {
		return strings.TrimSpace(c.header[i])
	}
	return fields[f].Label
}

// get returns the trimmed cell of field f in row.
func (c columns) get(row []string, f field) string {
	if i := c.index[f]; i >= 0 && i < len(row) {
		return strings.TrimSpace(row[i])
	}
	return ""
}
