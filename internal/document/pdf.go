package document

import (
	"bytes"
	"compress/zlib"
	"io"
	"iter"
)

// PDFs are stored as uploaded (re-writing one needs a full PDF library), so they
// are checked instead:
//
//   - "%PDF-" at byte 0 and "%%EOF" in the last 1024 bytes (where the PDF
//     specification's readers look for it): anything else is not a whole PDF.
//   - No HTML anywhere: "<html", "<script", "<!doctype", "<svg", "<body"
//     (any case, followed by a space, "/" or ">" as a tag is). Such a file is a
//     polyglot — a PDF that a browser, sniffing, would run as a web page.
//     Requiring the tag terminator keeps false alarms in compressed or image
//     data rare (for "<svg", about 1 in 4000 files of 5 MB of random bytes;
//     the longer markers far less).
//   - No active content or attachments: the names /JavaScript, /JS (scripts),
//     /Launch (runs a program), /EmbeddedFile(s) and /FileAttachment (files
//     carried inside the PDF). A KTP scan, a business licence or a halal
//     certificate — printed by the OSS, the district health office or BPJPH, or
//     scanned at the Office — never needs any of them, and a refused applicant
//     can always print the document again to a plain PDF; the cost of a false
//     refusal is one more upload, the cost of a missed one is a script in a
//     verifier's PDF viewer. Names are matched after #xx escapes are decoded
//     (/J#61vaScript is /JavaScript) and also inside compressed object streams,
//     where PDF 1.5 writers put most dictionaries. The long names are looked for
//     everywhere; /JS, short enough to occur by chance in image data, only
//     outside stream data.
//   - An encrypted PDF whose object streams therefore cannot be read is refused:
//     what cannot be checked is not accepted. Encrypted PDFs without object
//     streams keep their dictionaries in clear text and are checked as usual.

// inflateBudget bounds the bytes inflated from object streams in one PDF, against
// compression bombs; normal object streams are kilobytes.
const inflateBudget = 64 << 20

var (
	kwStream    = []byte("stream")
	kwEndstream = []byte("endstream")
	kwObj       = []byte("obj")
	kwEOF       = []byte("%%EOF")
)

// htmlMarkers are matched case-insensitively at each "<".
var htmlMarkers = [][]byte{[]byte("<html"), []byte("<script"), []byte("<!doctype"), []byte("<svg"), []byte("<body")}

// activeNames are refused wherever a dictionary can hold them.
var activeNames = map[string]bool{
	"JavaScript": true, "JS": true, "Launch": true,
	"EmbeddedFile": true, "EmbeddedFiles": true, "FileAttachment": true,
}

func checkPDF(data []byte) error {
	if !bytes.Contains(data[max(0, len(data)-1024):], kwEOF) {
		return errDamaged
	}
	if hasHTML(data) {
		return errUnsafe
	}
	// Long names, everywhere (including stream data, in case a fake "stream"
	// keyword in a comment hides real dictionaries from the scan below).
	for n := range pdfNames(data) {
		if len(n) > 2 && activeNames[string(n)] {
			return errUnsafe
		}
	}

	var (
		encrypted, unreadable bool
		budget                int64 = inflateBudget
	)
	// scan checks dictionaries' names, all of them, and notes encryption.
	scan := func(b []byte) bool {
		for n := range pdfNames(b) {
			if activeNames[string(n)] {
				return false
			}
			if string(n) == "Encrypt" {
				encrypted = true
			}
		}
		return true
	}
	prev, pos := 0, 0
	for {
		k := bytes.Index(data[pos:], kwStream)
		if k < 0 {
			break
		}
		k += pos
		start, ok := streamStart(data, k)
		if !ok {
			pos = k + len(kwStream)
			continue
		}
		e := bytes.Index(data[start:], kwEndstream)
		if e < 0 {
			return errDamaged
		}
		end := start + e
		outside := data[prev:k]
		if !scan(outside) {
			return errUnsafe
		}
		dict := outside
		if o := bytes.LastIndex(outside, kwObj); o >= 0 {
			dict = outside[o:]
		}
		if hasName(dict, "ObjStm") {
			body, ok := objStmBody(dict, data[start:end], &budget)
			if budget < 0 {
				return errDamaged
			}
			if !ok {
				unreadable = true
			} else if !scan(body) {
				return errUnsafe
			}
		}
		prev = end + len(kwEndstream)
		pos = prev
	}
	if !scan(data[prev:]) {
		return errUnsafe
	}
	if unreadable {
		if encrypted {
			return errEncrypted
		}
		return errDamaged
	}
	return nil
}

// streamStart reports whether the "stream" at k is the keyword opening stream
// data (after a dictionary's ">>", followed by an end of line), and where the
// data starts.
func streamStart(data []byte, k int) (int, bool) {
	j := k - 1
	for j >= 0 && isPDFSpace(data[j]) {
		j--
	}
	if j < 1 || data[j] != '>' || data[j-1] != '>' {
		return 0, false
	}
	rest := data[k+len(kwStream):]
	switch {
	case bytes.HasPrefix(rest, []byte("\r\n")):
		return k + len(kwStream) + 2, true
	case bytes.HasPrefix(rest, []byte("\n")), bytes.HasPrefix(rest, []byte("\r")):
		return k + len(kwStream) + 1, true
	}
	return 0, false
}

// objStmBody returns the decoded content of an object stream: raw when it has no
// filter, inflated when its filter is FlateDecode (within *budget, which it
// decreases), or false when it cannot be read (another filter, encrypted data).
// A Flate stream that breaks off is scanned as far as it decodes, as far as a PDF
// reader would get.
func objStmBody(dict, raw []byte, budget *int64) ([]byte, bool) {
	if !hasName(dict, "Filter") {
		return raw, true
	}
	if !hasName(dict, "FlateDecode") {
		return nil, false
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, false
	}
	var out bytes.Buffer
	n, _ := io.Copy(&out, io.LimitReader(zr, *budget+1))
	*budget -= n
	return out.Bytes(), n > 0
}

func hasName(b []byte, name string) bool {
	for n := range pdfNames(b) {
		if string(n) == name {
			return true
		}
	}
	return false
}

// pdfNames yields the PDF names (after "/") in b, with #xx escapes decoded. It
// is a lexer, not a parser: names inside strings are yielded too, which only
// makes the checks stricter.
func pdfNames(b []byte) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		var buf []byte
		for i := 0; i < len(b); i++ {
			if b[i] != '/' {
				continue
			}
			j := i + 1
			for j < len(b) && !isPDFSpace(b[j]) && !isPDFDelim(b[j]) {
				j++
			}
			name := b[i+1 : j]
			if bytes.IndexByte(name, '#') >= 0 {
				buf = buf[:0]
				for x := 0; x < len(name); x++ {
					if name[x] == '#' && x+2 < len(name) && isHex(name[x+1]) && isHex(name[x+2]) {
						buf = append(buf, unhex(name[x+1])<<4|unhex(name[x+2]))
						x += 2
						continue
					}
					buf = append(buf, name[x])
				}
				name = buf
			}
			if !yield(name) {
				return
			}
			i = j - 1
		}
	}
}

// hasHTML reports whether b holds the start of an HTML tag a browser would act on.
func hasHTML(b []byte) bool {
	for i := bytes.IndexByte(b, '<'); i >= 0; {
		for _, m := range htmlMarkers {
			if len(b)-i >= len(m) && bytes.EqualFold(b[i:i+len(m)], m) {
				if e := i + len(m); e == len(b) || isPDFSpace(b[e]) || b[e] == '>' || b[e] == '/' {
					return true
				}
			}
		}
		next := bytes.IndexByte(b[i+1:], '<')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
