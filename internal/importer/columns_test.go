package importer

import "testing"

// The titles seen in the Office's forms and in forms like it, and what each
// means; a title that means nothing the import keeps is reported, not guessed.
func TestColumnTitles(t *testing.T) {
	for title, want := range map[string]string{
		"Timestamp": "Timestamp", "Stempel waktu": "Timestamp", "Cap waktu": "Timestamp",
		"Nama Pemilik": "Nama Pemilik", "NAMA LENGKAP": "Nama Pemilik", "Nama Pemilik Usaha (sesuai KTP)": "Nama Pemilik", "Full name": "Nama Pemilik",
		"NIK": "NIK", "No. KTP": "NIK", "Nomor Induk Kependudukan (NIK)": "NIK", "NIK Pemilik": "NIK",
		"Nama Usaha": "Nama Usaha", "Nama UMKM": "Nama Usaha", "Nama Usaha / Merek": "Nama Usaha", "Business name": "Nama Usaha",
		"NIB": "NIB", "NIB (Nomor Induk Berusaha)": "NIB", "No.NIB": "NIB",
		"Alamat Usaha": "Alamat Usaha", "Alamat": "Alamat Usaha", "Alamat Lengkap Usaha": "Alamat Usaha",
		"Kabupaten/Kota": "Kabupaten/Kota", "Kab/Kota": "Kabupaten/Kota", "KOTA / KABUPATEN": "Kabupaten/Kota", "Domisili Usaha": "Kabupaten/Kota",
		"No. WhatsApp": "No. WhatsApp", "Nomor WA": "No. WhatsApp", "No HP/WA": "No. WhatsApp", "Nomor WhatsApp yang aktif": "No. WhatsApp", "Phone number": "No. WhatsApp",
		"Email": "Email", "Alamat email": "Email", "E-mail": "Email", "Email Address": "Email", "Alamat Email Aktif": "Email",
		"Kategori Produk": "Kategori Produk", "Jenis Produk": "Kategori Produk",
		"Nama Produk": "Nama Produk", "Produk Unggulan": "Nama Produk",
		"Harga Jual": "Harga Jual", "Harga Jual (Rp)": "Harga Jual", "Harga": "Harga Jual", "Price": "Harga Jual",
		"Isi Bersih/Netto": "Isi Bersih/Netto", "Netto": "Isi Bersih/Netto", "Berat Bersih (gram)": "Isi Bersih/Netto",
		"Kemasan": "Kemasan", "Jenis Kemasan": "Kemasan",
		"Masa Simpan (hari)": "Masa Simpan (hari)", "Masa Simpan": "Masa Simpan (hari)", "Daya Tahan Produk": "Masa Simpan (hari)",
		"No. P-IRT": "No. P-IRT", "Nomor PIRT": "No. P-IRT", "SPP-IRT": "No. P-IRT", "No. SPP-IRT (jika ada)": "No. P-IRT",
		"No. Sertifikat Halal": "No. Sertifikat Halal", "Sertifikat Halal (jika ada)": "No. Sertifikat Halal",
		"No. BPOM": "No. BPOM", "Komposisi": "Komposisi", "Bahan Baku": "Komposisi",
		"Upload Foto Produk": "", "Catatan": "", "Nama": "", "No": "", "Tanggal Lahir": "", "Foto KTP": "",
	} {
		f, ok := matchTitle(title)
		got := ""
		if ok {
			got = fields[f].Label
		}
		if got != want {
			t.Errorf("%q means %q, want %q", title, got, want)
		}
	}
}

func TestMatchHeaderReportsUnknownAndSecondColumns(t *testing.T) {
	c := matchHeader([]string{"Nama Pemilik", "Foto Produk", "", "No. WhatsApp", "No. HP", "Nama Usaha", "Nama Produk"})
	if c.index[fOwner] != 0 || c.index[fWhatsApp] != 3 || len(c.missing()) != 0 {
		t.Fatalf("index %v missing %v", c.index, c.missing())
	}
	if len(c.unknown) != 2 || c.unknown[0] != "Foto Produk" || c.unknown[1] != "No. HP" {
		t.Fatalf("unknown %q", c.unknown)
	}
	if m := matchHeader([]string{"Nama Pemilik", "Nama Usaha"}).missing(); len(m) != 2 || m[0] != "Nama Produk" || m[1] != "No. WhatsApp / Email" {
		t.Fatalf("missing %q", m)
	}
}

func TestCellsReadLeniently(t *testing.T) {
	for in, want := range map[string]string{"180": "180", "180 hari": "180", "6 bulan": "180", "1 tahun": "365", "2 minggu": "14", "1,5 tahun": "548", "± 3 bln": "90", "lama": "lama", "": ""} {
		if got := shelfLifeDays(in); got != want {
			t.Errorf("shelfLifeDays(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"3.573054107850003E+15": "3573054107850003", "8.5233100202E10": "85233100202", "1E5": "100000",
		"18.000": "18.000", "Eko": "Eko", "2.5E-1": "2.5E-1", "ID35E": "ID35E"} {
		if got := rawNumber(in); got != want {
			t.Errorf("rawNumber(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"Makanan ringan": "Makanan", "Keripik": "Makanan", "Kopi": "Minuman", "Jamu": "Herbal dan jamu",
		"Batik tulis": "Batik dan tenun", "Kerajinan anyaman": "Kerajinan", "Mainan": "Lainnya", "": ""} {
		if got := category(in); got != want {
			t.Errorf("category(%q) = %q, want %q", in, got, want)
		}
	}
	if got := answered("44960.38543981482"); got != "2023-02-03 09:15:02" {
		t.Errorf("answered(serial) = %q", got)
	}
	if got := answered("3/2/2023 9:15:02"); got != "3/2/2023 9:15:02" {
		t.Errorf("answered(text) = %q", got)
	}
}
