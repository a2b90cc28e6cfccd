package importer

import (
	"encoding/csv"
	"io"

	"github.com/xuri/excelize/v2"
)

// help says, for the template's guide, whether a column is required and what
// goes in it.
var help = [numFields]struct {
	Required string
	Note     string
}{
	fTimestamp:   {"", "Waktu jawaban (diisi Google Form); boleh kosong."},
	fOwner:       {"wajib", "Nama lengkap pemilik usaha."},
	fNIK:         {"", "16 angka, seperti di KTP. Ketik sebagai teks agar angka nol di depan tidak hilang."},
	fBusiness:    {"wajib", "Nama usaha atau merek."},
	fNIB:         {"", "13 angka dari OSS. Tulis \"-\" atau kosongkan bila belum punya."},
	fAddress:     {"", "Alamat tempat usaha."},
	fRegency:     {"", "Kabupaten/kota di Jawa Timur, misalnya \"Kota Malang\" atau \"Kabupaten Malang\"."},
	fWhatsApp:    {"wajib (atau Email)", "Nomor WhatsApp, misalnya 0812 3456 7890. Nomor ini menjadi akun pemohon."},
	fEmail:       {"wajib (atau No. WhatsApp)", "Alamat e-mail pemohon."},
	fCategory:    {"", "Makanan, Minuman, Kerajinan, Fesyen, Batik dan tenun, Kosmetik dan perawatan, Herbal dan jamu, atau Lainnya."},
	fSize:        {"", "Mikro, Kecil, Menengah, atau Besar."},
	fYearStarted: {"", "Tahun usaha mulai, 4 angka."},
	fLinks:       {"", "Instagram, marketplace atau situs, satu per baris."},
	fProduct:     {"wajib", "Nama produk yang diajukan, dengan ukurannya, misalnya \"Keripik Tempe 250 g\"."},
	fDescription: {"", "Keterangan singkat produk."},
	fPrice:       {"", "Harga jual ke konsumen dalam rupiah, misalnya 25000 atau Rp 25.000."},
	fNetContent:  {"", "Isi bersih seperti pada label, misalnya 250 g atau 330 ml."},
	fPackaging:   {"", "Jenis kemasan, misalnya standing pouch."},
	fShelfLife:   {"", "Masa simpan: jumlah hari, atau misalnya \"6 bulan\"."},
	fCapacity:    {"", "Kapasitas produksi per bulan, misalnya 500."},
	fPIRT:        {"", "Nomor P-IRT (makanan dan minuman olahan rumah tangga)."},
	fHalal:       {"", "Nomor sertifikat halal, misalnya ID35110000123450724."},
	fBPOM:        {"", "Nomor izin edar BPOM, misalnya MD 123456789012."},
	fComposition: {"", "Bahan, dipisah koma."},
}

// templateHeader is the template's first row: every column the import knows,
// titled as the Google Form titled it.
func templateHeader() []string {
	out := make([]string, numFields)
	for f := range numFields {
		out[f] = fields[f].Label
	}
	return out
}

// TemplateCSV writes an empty form export with every column the import
// knows, UTF-8 with a byte-order mark so Excel reads it right.
func TemplateCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(templateHeader()); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// TemplateXLSX writes the same as a workbook: the first sheet for the answers
// (the import reads only the first), with identifier columns formatted as
// text so NIKs and phone numbers keep their digits, and a second sheet that
// says what goes in each column.
func TemplateXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const answers, guide = "Jawaban", "Petunjuk"
	if err := f.SetSheetName("Sheet1", answers); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDE7E4"}, Pattern: 1}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": text
	if err != nil {
		return err
	}
	for i, title := range templateHeader() {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetCellStr(answers, col+"1", title); err != nil {
			return err
		}
		if err := f.SetColWidth(answers, col, col, max(14, float64(len(title))+2)); err != nil {
			return err
		}
		switch field(i) {
		case fNIK, fNIB, fWhatsApp, fPIRT, fHalal, fBPOM:
			if err := f.SetColStyle(answers, col, text); err != nil {
				return err
			}
		}
	}
	last, _ := excelize.ColumnNumberToName(int(numFields))
	if err := f.SetCellStyle(answers, "A1", last+"1", bold); err != nil {
		return err
	}
	if err := f.SetPanes(answers, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if _, err := f.NewSheet(guide); err != nil {
		return err
	}
	rows := [][]any{{"Kolom", "Wajib?", "Isi"}}
	for i := range numFields {
		rows = append(rows, []any{fields[i].Label, help[i].Required, help[i].Note})
	}
	for r, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow(guide, cell, &row); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(guide, "A1", "C1", bold); err != nil {
		return err
	}
	for col, width := range map[string]float64{"A": 22, "B": 24, "C": 90} {
		if err := f.SetColWidth(guide, col, col, width); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}
