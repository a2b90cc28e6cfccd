package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/apperr"
)

// Table is a spreadsheet as read: the header row (row 1) and the rows under it
// (row 2 onwards), every cell as text.
type Table struct {
	Header []string
	Rows   [][]string
}

// MaxRows bounds one import: the old form had a few hundred responses; a
// file ten times that size is a mistake more likely than an export.
const MaxRows = 5000

// MaxBytes bounds the file read.
const MaxBytes = 20 << 20

// An XLSX of MaxBytes may unpack to this much at most: a real export of MaxRows
// rows is a few megabytes; anything far beyond is a zip bomb.
const maxUnzipped = 256 << 20

var (
	zipMagic = []byte("PK\x03\x04")
	// OLE2 compound file: the old .xls format, or an encrypted .xlsx.
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

var errUnreadable = apperr.New(apperr.Invalid, "import.unreadable",
	"Berkas tidak dapat dibaca. Unduh jawaban Google Form sebagai CSV atau XLSX (Microsoft Excel), lalu unggah berkas itu.",
	"The file cannot be read. Download the Google Form responses as CSV or XLSX (Microsoft Excel) and upload that file.")

var errOldExcel = apperr.New(apperr.Invalid, "import.xls",
	"Berkas ini format Excel lama (.xls) atau dilindungi kata sandi. Buka di Excel, lalu simpan sebagai \"Excel Workbook (.xlsx)\" tanpa kata sandi.",
	"This file is in the old Excel format (.xls) or password-protected. Open it in Excel and save it as \"Excel Workbook (.xlsx)\" without a password.")

var errTooMany = apperr.New(apperr.Invalid, "import.too_many",
	fmt.Sprintf("Terlalu banyak baris (maksimal %d); bagi berkasnya menjadi beberapa.", MaxRows),
	fmt.Sprintf("Too many rows (%d at most); split the file.", MaxRows))

// Read reads the responses of a Google Form as exported: XLSX, or CSV with
// comma, semicolon (Excel in an Indonesian locale) or tab between the cells, in
// UTF-8 with or without a BOM (UTF-16 with a BOM and Windows-1252, as older
// Excel saves CSV, are read too). The format is recognised by content, never by
// the file's name. Only the first worksheet of a workbook is read. Cells come
// as typed: numbers in an XLSX keep all their digits (a NIK typed as a number
// is not turned into 3.57305E+15) and dates come as Excel serial numbers,
// which the importer reads as dates where it expects one.
func Read(r io.Reader) (Table, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return Table{}, err
	}
	if len(data) > MaxBytes {
		return Table{}, apperr.New(apperr.Invalid, "import.too_large",
			fmt.Sprintf("Berkas terlalu besar (maksimal %d MB).", MaxBytes>>20), fmt.Sprintf("The file is too large (%d MB at most).", MaxBytes>>20))
	}
	var rows [][]string
	switch {
	case bytes.HasPrefix(data, zipMagic):
		rows, err = readXLSX(data)
	case bytes.HasPrefix(data, oleMagic):
		err = errOldExcel
	default:
		rows, err = readCSV(data)
	}
	if err != nil {
		return Table{}, err
	}
	for len(rows) > 0 && blank(rows[len(rows)-1]) {
		rows = rows[:len(rows)-1]
	}
	if len(rows) == 0 {
		return Table{}, errEmpty
	}
	if blank(rows[0]) {
		return Table{}, apperr.New(apperr.Invalid, "import.no_header",
			"Baris pertama harus berisi judul kolom (seperti \"Nama Pemilik\", \"Nama Usaha\"); baris pertama berkas ini kosong.",
			"The first row must hold the column titles (such as \"Nama Pemilik\", \"Nama Usaha\"); this file's first row is empty.")
	}
	if len(rows) < 2 {
		return Table{}, errEmpty
	}
	if len(rows)-1 > MaxRows {
		// Within the limit but spread out: a stray cell far below the
		// answers, or thousands of empty rows between them.
		return Table{}, apperr.New(apperr.Invalid, "import.stray_row",
			fmt.Sprintf("Ada isian di baris %d, jauh di bawah jawaban lainnya (maksimal %d baris). Hapus isian nyasar itu atau baris kosong di atasnya, lalu unggah lagi.", len(rows), MaxRows+1),
			fmt.Sprintf("Row %d holds something, far below the other answers (%d rows at most). Delete that stray cell or the empty rows above it, and upload again.", len(rows), MaxRows+1))
	}
	header := make([]string, len(rows[0]))
	for i, h := range rows[0] {
		header[i] = strings.Join(strings.Fields(strings.TrimPrefix(h, "\ufeff")), " ")
	}
	return Table{Header: header, Rows: rows[1:]}, nil
}

var errEmpty = apperr.New(apperr.Invalid, "import.empty",
	"Berkas tidak berisi jawaban: perlu baris judul kolom dan minimal satu baris data.",
	"The file holds no responses: it needs a header row and at least one data row.")

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// readXLSX reads the first worksheet with raw cell values: the number formats
// of a sheet are for the eye, and would turn a 16-digit NIK into 3.57305E+15 and
// a date into whatever the sheet's locale prints.
func readXLSX(data []byte) (rows [][]string, err error) {
	// excelize parses a format full of corners; a file it chokes on is
	// unreadable, not a crash of the server.
	defer func() {
		if p := recover(); p != nil {
			rows, err = nil, errUnreadable
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, errUnreadable
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errUnreadable
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, errUnreadable
	}
	defer it.Close()
	filled := 0
	for it.Next() {
		cols, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, errUnreadable
		}
		if blank(cols) {
			// A sheet may carry thousands of formatted but empty rows: keep
			// the place (row numbers must match the sheet) but not the cells.
			rows = append(rows, nil)
			continue
		}
		if filled++; filled > MaxRows+1 {
			return nil, errTooMany
		}
		for i, c := range cols {
			cols[i] = rawNumber(c)
		}
		rows = append(rows, cols)
	}
	if it.Error() != nil {
		return nil, errUnreadable
	}
	return rows, nil
}

// rawNumber writes a whole number stored in exponent form (3.573054107850003E+15,
// as some writers store a long number) with all its digits.
func rawNumber(s string) string {
	if !strings.ContainsAny(s, "eE") || !isExponent(s) {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1e18 {
		return s
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// isExponent reports whether s is digits, a point and an exponent, nothing else.
func isExponent(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789.eE+-", r) {
			return false
		}
	}
	return true
}

// readCSV reads a CSV in whichever delimiter and encoding the file uses.
func readCSV(data []byte) ([][]string, error) {
	text := decodeText(data)
	if strings.IndexByte(text, 0) >= 0 {
		// Not text: a PDF, an image, an .ods... Say what we can read.
		return nil, errUnreadable
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = sniffDelimiter(text)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var rows [][]string
	filled := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errUnreadable
		}
		if blank(rec) {
			rows = append(rows, nil)
			continue
		}
		if filled++; filled > MaxRows+1 {
			return nil, errTooMany
		}
		rows = append(rows, rec)
	}
	return rows, nil
}

// decodeText returns data as UTF-8: without its BOM, from UTF-16 when a UTF-16
// BOM says so (Excel's "Unicode Text"), and from Windows-1252 when the bytes
// are not UTF-8 (Excel's plain "CSV" on an Indonesian Windows).
func decodeText(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		big := data[0] == 0xfe
		data = data[2:]
		u := make([]uint16, len(data)/2)
		for i := range u {
			if big {
				u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
			} else {
				u[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
			}
		}
		return string(utf16.Decode(u))
	}
	if utf8.Valid(data) {
		return string(data)
	}
	var b strings.Builder
	b.Grow(len(data) + len(data)/8)
	for _, c := range data {
		switch {
		case c < 0x80:
			b.WriteByte(c)
		case c < 0xa0:
			b.WriteRune(cp1252[c-0x80])
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

// cp1252 maps Windows-1252's bytes 0x80–0x9F; the five it leaves undefined keep
// their Latin-1 (C1) code points.
var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8d, 'Ž', 0x8f,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9d, 'ž', 'Ÿ',
}

// sniffDelimiter picks the delimiter that the header line (up to its first
// newline outside quotes) uses most: comma, semicolon or tab; comma on a tie.
func sniffDelimiter(text string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range text {
		if r == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if r == '\n' || r == '\r' {
			break
		}
		if r == ',' || r == ';' || r == '\t' {
			counts[r]++
		}
	}
	best := ','
	for _, d := range []rune{';', '\t'} {
		if counts[d] > counts[best] {
			best = d
		}
	}
	return best
}
