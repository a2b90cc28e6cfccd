package document

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/print"
)

// objStm is an object stream holding objs as objects first, first+1, ...,
// Flate-compressed as PDF 1.5 writers do.
func objStm(first int, objs ...string) string {
	var hdr, body strings.Builder
	for i, o := range objs {
		fmt.Fprintf(&hdr, "%d %d ", first+i, body.Len())
		body.WriteString(o + "\n")
	}
	h := hdr.String()
	return streamObj(fmt.Sprintf("/Type /ObjStm /N %d /First %d /Filter /FlateDecode", len(objs), len(h)), zlibBytes([]byte(h+body.String())))
}

// escaped writes name with its last letter as a #xx escape: /J#53, /Launc#68.
func escaped(name string) string {
	return fmt.Sprintf("%s#%02X", name[:len(name)-1], name[len(name)-1])
}

func checkCode(data []byte) string {
	if err := checkPDF(data); err != nil {
		return code(err)
	}
	return "accepted"
}

func TestPDFActionsAndAttachmentsAreRefusedHoweverTheyAreWritten(t *testing.T) {
	// Each object holds the name N as it is written; none is reachable only
	// through /OpenAction, so each name is refused on its own.
	link := "<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /A << /S /%s /F (x) >> >>"
	for _, c := range []struct{ name, obj string }{
		{"JavaScript", link},
		{"JS", "<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /A << /S /JavaScript /%s (app.alert(1)) >> >>"},
		{"Launch", link},
		{"SubmitForm", link},
		{"GoToR", link},
		{"GoToE", link},
		{"ImportData", link},
		{"RichMediaExecute", link},
		{"RichMedia", "<< /Type /Annot /Subtype /%s /Rect [72 700 300 720] >>"},
		{"Rendition", "<< /Type /Annot /Subtype /Screen /Rect [72 700 300 720] /A << /S /%s /OP 0 >> >>"},
		{"XFA", "<< /Fields [] /%s [(template) 3 0 R] >>"},
		{"AA", "<< /Type /Annot /Subtype /Widget /Rect [72 700 300 720] /%s << /Fo << /S /GoTo /D [3 0 R /Fit] >> >> >>"},
		{"FileAttachment", "<< /Type /Annot /Subtype /%s /Rect [72 700 300 720] /FS 3 0 R >>"},
		{"EmbeddedFile", "<< /Type /%s /Length 0 >>"},
		{"EF", "<< /Type /Filespec /F (a.exe) /%s << /F 3 0 R >> >>"},
	} {
		if c.name == "JS" {
			// JavaScript is refused on its own; this case must test /JS.
			c.obj = strings.Replace(c.obj, "/JavaScript", "/Jav#61Script", 1)
			c.obj = strings.Replace(c.obj, "/S /Jav#61Script", "/S /Named", 1)
		}
		for _, w := range []struct {
			variant string
			pdf     []byte
		}{
			{"plain", buildPDF(pdfObjs("", fmt.Sprintf(c.obj, c.name)), "", "")},
			{"#-escaped", buildPDF(pdfObjs("", fmt.Sprintf(c.obj, escaped(c.name))), "", "")},
			{"in an object stream", buildPDF(pdfObjs("", objStm(7, fmt.Sprintf(c.obj, c.name))), "", "")},
			{"#-escaped in an object stream", buildPDF(pdfObjs("", objStm(7, fmt.Sprintf(c.obj, escaped(c.name)))), "", "")},
		} {
			if got := checkCode(w.pdf); got != "document.unsafe" {
				t.Errorf("/%s, %s: %s", c.name, w.variant, got)
			}
		}
	}
}

func TestPDFOpenActionIsAcceptedOnlyWhenItSaysWhereToOpen(t *testing.T) {
	uri := "<< /S /URI /URI (https://tracker.example/open) >>"
	goTo := "<< /S /GoTo /D [3 0 R /Fit] >>"
	for _, c := range []struct {
		name string
		pdf  []byte
		want string
	}{
		{"a destination (fpdf, office suites)", buildPDF(pdfObjs(" /OpenAction [3 0 R /Fit]"), "", ""), "accepted"},
		{"a destination with a zoom", buildPDF(pdfObjs(" /OpenAction [3 0 R /XYZ null null 1]"), "", ""), "accepted"},
		{"a GoTo action", buildPDF(pdfObjs(" /OpenAction "+goTo), "", ""), "accepted"},
		{"a reference to a destination", buildPDF(pdfObjs(" /OpenAction 6 0 R", "[3 0 R /FitH 842]"), "", ""), "accepted"},
		{"a reference to a GoTo in an object stream (pdfTeX)", buildPDF(pdfObjs(" /OpenAction 7 0 R", objStm(7, goTo)), "", ""), "accepted"},
		{"null", buildPDF(pdfObjs(" /OpenAction null"), "", ""), "accepted"},

		{"a web page", buildPDF(pdfObjs(" /OpenAction "+uri), "", ""), "document.unsafe"},
		{"a web page, #-escaped", buildPDF(pdfObjs(" /Op#65nAction << /#53 /URI /URI (https://tracker.example/) >>"), "", ""), "document.unsafe"},
		{"a reference to a web page", buildPDF(pdfObjs(" /OpenAction 6 0 R", uri), "", ""), "document.unsafe"},
		{"a reference to a web page in an object stream", buildPDF(pdfObjs(" /OpenAction 7 0 R", objStm(7, uri)), "", ""), "document.unsafe"},
		{"in an object stream itself", buildPDF(pdfObjs("", objStm(7, "<< /Type /Catalog /OpenAction "+uri+" >>")), "", ""), "document.unsafe"},
		{"printing by itself", buildPDF(pdfObjs(" /OpenAction << /S /Named /N /Print >>"), "", ""), "document.unsafe"},
		{"a GoTo with a web page next", buildPDF(pdfObjs(" /OpenAction << /S /GoTo /D [3 0 R /Fit] /Next "+uri+" >>"), "", ""), "document.unsafe"},
		{"a reference to no object", buildPDF(pdfObjs(" /OpenAction 99 0 R"), "", ""), "document.unsafe"},
		{"an object defined twice, the second a web page", buildPDF(pdfObjs(" /OpenAction 6 0 R", "[3 0 R /Fit]", "<< >>\nendobj\n6 0 obj\n"+uri), "", ""), "document.unsafe"},
	} {
		if got := checkCode(c.pdf); got != c.want {
			t.Errorf("/OpenAction, %s: %s, want %s", c.name, got, c.want)
		}
	}
}

// The NIB printed by the OSS, a halal certificate from BPJPH and any page
// printed to PDF carry link annotations; they run only when clicked, and are
// accepted. A link that opens by itself needs /OpenAction or /AA, refused.
func TestPDFLinksAreAcceptedWhenTheyWaitForAClick(t *testing.T) {
	link := "<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /Border [0 0 0] /A << /Type /Action /S /URI /URI (https://oss.go.id/informasi/nib?no=9120301234567) >> >>"
	for _, c := range []struct {
		name string
		pdf  []byte
		want string
	}{
		{"a link annotation", buildPDF(pdfObjs("", link), "", ""), "accepted"},
		{"a link annotation, #-escaped", buildPDF(pdfObjs("", strings.ReplaceAll(link, "/URI", "/UR#49")), "", ""), "accepted"},
		{"a link annotation in an object stream", buildPDF(pdfObjs("", objStm(7, link)), "", ""), "accepted"},
		{"a link run when the page opens", buildPDF(pdfObjs("", "<< /Type /Page /AA << /O << /S /URI /URI (https://tracker.example/) >> >> >>"), "", ""), "document.unsafe"},
	} {
		if got := checkCode(c.pdf); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestPDFEmbeddedFilesArePassedOnlyWhenEmpty(t *testing.T) {
	names := func(tree string, extra ...string) []byte {
		return buildPDF(pdfObjs(" /Names << /EmbeddedFiles "+tree+" >>", extra...), "", "")
	}
	for _, c := range []struct {
		name string
		pdf  []byte
		want string
	}{
		{"an empty tree, as fpdf writes it", names("<< /Names [\n  \n] >>"), "accepted"},
		{"an empty tree without /Names", names("<< >>"), "accepted"},
		{"an empty tree behind references", names("6 0 R", "<< /Names 7 0 R >>", "[ ]"), "accepted"},
		{"an empty tree in an object stream", names("7 0 R", objStm(7, "<< /Names [] >>")), "accepted"},

		{"a tree naming a file", names("<< /Names [(faktur.pdf) 6 0 R] >>", "<< /Type /Filespec /F (faktur.pdf) >>"), "document.unsafe"},
		{"a tree with kids", names("<< /Kids [6 0 R] >>", "<< /Limits [(a) (z)] >>"), "document.unsafe"},
		{"a reference to a non-empty array", names("<< /Names 6 0 R >>", "[(a.exe) 7 0 R]"), "document.unsafe"},
		{"a tree naming a file, #-escaped", buildPDF(pdfObjs(" /Names << /Embedded#46iles << /Names [(a.exe) 6 0 R] >> >>", "<< /Type /Filespec /F (a.exe) >>"), "", ""), "document.unsafe"},
		{"a reference to no object", names("99 0 R"), "document.unsafe"},
	} {
		if got := checkCode(c.pdf); got != c.want {
			t.Errorf("/EmbeddedFiles, %s: %s, want %s", c.name, got, c.want)
		}
	}
}

// fpdfPDF makes a one-page PDF with fpdf, as internal/print does; change
// adds what a case needs.
func fpdfPDF(t *testing.T, change func(*fpdf.Fpdf)) []byte {
	t.Helper()
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCreationDate(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	f.AddPage()
	f.SetFont("Helvetica", "", 12)
	f.Cell(0, 10, "Nomor Induk Berusaha 9120301234567")
	if change != nil {
		change(f)
	}
	var b bytes.Buffer
	if err := f.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestPDFsMadeByFpdfAreAcceptedUnlessTheyCarryFiles(t *testing.T) {
	attachment := fpdf.Attachment{Content: []byte("MZ\x90\x00 a program"), Filename: "update.exe", Description: "pembaruan"}
	for _, c := range []struct {
		name   string
		change func(*fpdf.Fpdf)
		want   string
	}{
		{"plain", nil, "accepted"},
		{"with a link", func(f *fpdf.Fpdf) { f.LinkString(10, 10, 80, 10, "https://oss.go.id/") }, "accepted"},
		{"opening at a zoom", func(f *fpdf.Fpdf) { f.SetDisplayMode("fullpage", "single") }, "accepted"},
		{"uncompressed", func(f *fpdf.Fpdf) { f.SetCompression(false) }, "accepted"},
		{"with an attached file", func(f *fpdf.Fpdf) { f.SetAttachments([]fpdf.Attachment{attachment}) }, "document.unsafe"},
		{"with a file attached to the page", func(f *fpdf.Fpdf) { f.AddAttachmentAnnotation(&attachment, 10, 30, 10, 10) }, "document.unsafe"},
		{"with JavaScript", func(f *fpdf.Fpdf) { f.SetJavascript("app.alert(1)") }, "document.unsafe"},
	} {
		pdf := fpdfPDF(t, c.change)
		if got := checkCode(pdf); got != c.want {
			t.Errorf("fpdf, %s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestEtalasesOwnOfflineFormIsAccepted(t *testing.T) {
	var b bytes.Buffer
	err := print.OfflineForm(&b, print.OfflineFormData{
		ApplicationNumber: "GAL-2026-00012",
		PrintedAt:         time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC),
		URL:               "https://etalase.diskopukm.jatimprov.go.id/permohonan/GAL-2026-00012",
		Business:          print.Business{Name: "Kripik Tempe Sanan", OwnerName: "Siti Nur Hasanah", NIB: "9120301234567"},
		Products:          []print.Product{{Name: "Kripik tempe original", NetContent: "250 g", Price: 15000}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := newStore(t, 0).Put(bytes.NewReader(b.Bytes()), "formulir.pdf")
	if err != nil || got.ContentType != TypePDF {
		t.Fatalf("the offline form Etalase prints: %v", err)
	}
}

func TestHTMLAfterTheEndOfAPDFIsRefusedButNotInsideIt(t *testing.T) {
	for _, m := range []string{
		"<iframe src=https://evil.example>", "<object data=x>", "<embed src=x>", "<img src=x onerror=alert(1)>",
		"<a href=https://evil.example>klik</a>", "<meta http-equiv=refresh content=0>", "<style>body{}</style>",
		"<link rel=stylesheet href=x>", "<form action=x>", "<?xml version=\"1.0\"?><x/>", "<IMG SRC=x>", "<script>alert(1)</script>",
	} {
		if got := checkCode(buildPDF(pdfObjs(""), "", m)); got != "document.unsafe" {
			t.Errorf("%q after %%%%EOF: %s", m, got)
		}
	}
	// The same text inside the document — XMP metadata, image data — is
	// ordinary and accepted.
	xmp := []byte(`<?xml version="1.0"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><a rel="x"/><img /><style /></rdf:RDF></x:xmpmeta>`)
	pdf := buildPDF(pdfObjs("", streamObj("/Type /Metadata /Subtype /XML", xmp), streamObj("/Type /XObject /Subtype /Image /Filter /DCTDecode", []byte("\xff\xd8<a \x00<meta>\xff\xd9"))), "", "\r\n")
	if got := checkCode(pdf); got != "accepted" {
		t.Errorf("XMP and image data with tags: %s", got)
	}
}

func TestTwoLetterNamesCountOnlyWhereTheyCanDoSomething(t *testing.T) {
	image := func(data string) string {
		return streamObj("/Type /XObject /Subtype /Image /Filter /DCTDecode", []byte("\xff\xd8"+data+"\xff\xd9"))
	}
	for _, c := range []struct {
		name string
		pdf  []byte
		want string
	}{
		{"by chance in image data", buildPDF(pdfObjs("", image(" /AA (x /JS (x) /EF\x00\x01 /JS 1 0 R /AA [")), "", ""), "accepted"},
		{"in a document title", buildPDF(pdfObjs("", "<< /Title (Panduan /AA dan /JS) >>"), "", ""), "accepted"},
		// The cross-reference table can send a reader to an object placed
		// inside another's stream data: /AA and /EF count there too.
		{"an /AA hidden in image data", buildPDF(pdfObjs("", image("\n9 0 obj << /Type /Page /AA << /O 10 0 R >> >> endobj\n")), "", ""), "document.unsafe"},
		{"an /EF hidden in image data", buildPDF(pdfObjs("", image("\n9 0 obj << /F (a.exe) /EF << /F 10 0 R >> >> endobj\n")), "", ""), "document.unsafe"},
		// A "stream" keyword a reader would not see as one hides nothing.
		{"after a stream keyword in a comment", buildPDF(pdfObjs("", "<< /A 1 >> % >>stream\n/JS (app.alert(1))\n% endstream"), "", ""), "document.unsafe"},
		{"after a stream keyword in a string", buildPDF(pdfObjs("", "<< /T (x>>stream\n) /JS (app.alert(1)) /U (endstream) >>"), "", ""), "document.unsafe"},
		{"a fake stream swallowing an object stream", buildPDF(pdfObjs("", "<< /A 1 >> % >>stream\n", objStm(8, "<< /S /JavaScript >>")), "", ""), "document.unsafe"},
	} {
		if got := checkCode(c.pdf); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestScansFullOfImageDataAreAccepted(t *testing.T) {
	// Four PDFs holding 5 MB of random bytes each, like the JPEG data of a
	// scan: none may be refused by a name or tag occurring by chance.
	r := rand.New(rand.NewPCG(7, 7))
	for i := range 4 {
		data := make([]byte, 5<<20)
		for j := range data {
			data[j] = byte(r.Uint32())
		}
		data = bytes.ReplaceAll(data, kwEndstream, []byte("endstreaM"))
		pdf := buildPDF(pdfObjs("", streamObj("/Type /XObject /Subtype /Image /Filter /DCTDecode", data)), "", "")
		if got := checkCode(pdf); got != "accepted" {
			t.Errorf("scan %d: %s", i, got)
		}
	}
}

// Files built so that the checks would go over the same bytes again and again
// finish at once; were the work quadratic, each would take hours.
func TestPDFsBuiltToMakeTheChecksSlowAreCheckedQuickly(t *testing.T) {
	for _, c := range []struct {
		name string
		pdf  string
		want string
	}{
		{"250,000 stream keywords before one endstream", strings.Repeat("1 0 obj <<>>stream\n", 250000) + "endstream\n", "accepted"},
		{"80,000 object streams sharing their data", strings.Repeat("1 0 obj << /Type /ObjStm /Filter /FlateDecode >>stream\n\x78\x01\x00\x00\x00\xff\xff", 80000) + "endstream\n", "document.damaged"},
		{"150,000 references to an object defined 100,000 times", strings.Repeat("/OpenAction 6 0 R ", 150000) + strings.Repeat("6 0 obj [3 0 R /Fit] endobj ", 100000), "accepted"},
		{"150,000 nested actions", strings.Repeat("/OpenAction << /S /GoTo /D ", 150000), "document.unsafe"},
		{"an object referring to itself", "/OpenAction 6 0 R 6 0 obj 6 0 R endobj ", "document.unsafe"},
	} {
		if got := checkCode([]byte("%PDF-1.4\n" + c.pdf + "%%EOF\n")); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// FuzzCheckPDF looks for inputs that crash or hang the PDF checks, which read
// values and follow references in files built to mislead them.
func FuzzCheckPDF(f *testing.F) {
	for _, seed := range []string{
		string(minimalPDF),
		string(buildPDF(pdfObjs(" /OpenAction 7 0 R /Names << /EmbeddedFiles 8 0 R >>", objStm(7, "<< /S /GoTo /D [3 0 R /Fit] >>", "<< /Names [] >>")), "", "")),
		string(buildPDF(pdfObjs(" /OpenAction 6 0 R", "6 0 R"), "", "")),
		string(buildPDF(pdfObjs("", "<< /T (x>>stream\n) /AA << >> >>"), "", "")),
		"%PDF-1.4\n1 0 obj << /OpenAction [[[[[[[[ >> %%EOF",
		"%PDF-1.4\n/EmbeddedFiles << /Names [ (a) <4142> ] /Kids >> %%EOF",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, pdfMagic) {
			data = append(bytes.Clone(pdfMagic), data...)
		}
		if err := checkPDF(data); err != nil && !apperr.IsKind(err, apperr.Invalid) {
			t.Fatalf("not a refusal: %v", err)
		}
	})
}
