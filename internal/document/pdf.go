package document

import (
	"bytes"
	"compress/zlib"
	"io"
	"iter"
	"strconv"
)

// PDFs are stored as uploaded (re-writing one needs a full PDF library), so they
// are checked instead:
//
//   - "%PDF-" at byte 0 and "%%EOF" in the last 1024 bytes (where the PDF
//     specification's readers look for it): anything else is not a whole PDF.
//   - No HTML: "<html", "<script", "<!doctype", "<svg", "<body" anywhere, and
//     after the last %%EOF also "<iframe", "<object", "<embed", "<img", "<a",
//     "<meta", "<style", "<link", "<form" and "<?xml" (any case, followed by a
//     space, "/" or ">" as a tag is). Such a file is a polyglot — a PDF that a
//     browser, sniffing, would run as a web page. Requiring the tag terminator
//     keeps false alarms in compressed or image data rare (for "<svg", about 1
//     in 4000 files of 5 MB of random bytes; the longer markers far less). The
//     markers of the second list are looked for only after %%EOF, where a PDF
//     has nothing but line ends, because "<a " occurs in image data and
//     "<?xml" or "<style" in the XMP metadata and XML forms of ordinary PDFs.
//   - No active content, automatic actions or attachments. Refused wherever
//     they occur: /JavaScript and /JS (scripts), /Rendition (media actions,
//     which may carry a script), /Launch (runs a program), /SubmitForm (sends
//     the form's contents away), /GoToR and /GoToE (open another file),
//     /ImportData, /RichMedia and /RichMediaExecute (Flash and other media
//     players), /XFA (XML forms, which carry their own scripts), /AA (actions
//     run on opening a page, focusing a field...), and /EmbeddedFile, /EF and
//     /FileAttachment (files carried inside the PDF).
//     /OpenAction is refused unless it is what PDF writers use it for: a
//     destination (the page and zoom to open at; go-pdf/fpdf, LaTeX and office
//     suites write one) or a plain /GoTo action to one. /EmbeddedFiles is
//     refused unless its name tree is empty, as go-pdf/fpdf writes it into
//     every PDF, Etalase's own forms included.
//     A KTP scan, a business licence or a halal certificate — printed by the
//     OSS, the district health office or BPJPH, or scanned at the Office — never
//     needs any of these, and a refused applicant can always print the document
//     again to a plain PDF; the cost of a false refusal is one more upload, the
//     cost of a missed one is a script in a verifier's PDF viewer.
//   - Links (/URI actions) are accepted: the NIB from the OSS, a BPJPH halal
//     certificate and every "print to PDF" of a web page carry link
//     annotations, and refusing them would refuse the very documents we ask
//     for, and our own advice to print again. A link runs only when the
//     verifier clicks it (viewers ask first), and the download is served with a
//     sandboxing CSP. What is refused is a link that opens by itself: it
//     could only do so through /OpenAction or /AA, refused above.
//   - Names are matched after #xx escapes are decoded (/J#61vaScript is
//     /JavaScript), in the whole file — stream data included, since the
//     cross-reference table may send a reader to an object placed inside
//     another's stream data — and also inside compressed object streams, where
//     PDF 1.5 writers put most dictionaries; every "stream" keyword is
//     considered on its own, so a fake one cannot hide a real object stream.
//     The two-letter names are short enough to occur by chance in image data,
//     so they count only before a value of theirs: /AA and /EF before a
//     dictionary or a reference (about 1 false alarm in 100,000 files of 5 MB
//     of random bytes), /JS before a string or a reference and only outside
//     stream data (in stream data that would be 1 file in 400); a /JS hidden
//     in stream data runs nothing, as a script needs /S /JavaScript or
//     /S /Rendition, refused anywhere. What is stream data is decided by
//     lexing from the object's "N G obj", as a reader does, so a "stream"
//     keyword in a comment or a string hides nothing.
//   - An encrypted PDF whose object streams therefore cannot be read is refused:
//     what cannot be checked is not accepted. Encrypted PDFs without object
//     streams keep their dictionaries in clear text and are checked as usual.

// inflateBudget bounds the bytes inflated from object streams in one PDF, against
// compression bombs; normal object streams are kilobytes.
const inflateBudget = 64 << 20

// maxPDFDepth bounds nesting followed while reading values (arrays in arrays,
// references to references), against inputs built to exhaust the stack.
const maxPDFDepth = 32

var (
	kwStream    = []byte("stream")
	kwEndstream = []byte("endstream")
	kwObj       = []byte("obj")
	kwEOF       = []byte("%%EOF")
)

// htmlMarkers are matched case-insensitively at each "<" of the file;
// trailingHTMLMarkers as well after the last %%EOF.
var (
	htmlMarkers         = markers("<html", "<script", "<!doctype", "<svg", "<body")
	trailingHTMLMarkers = append(markers("<iframe", "<object", "<embed", "<img", "<a", "<meta", "<style", "<link", "<form", "<?xml"), htmlMarkers...)
)

func markers(m ...string) [][]byte {
	out := make([][]byte, len(m))
	for i, s := range m {
		out[i] = []byte(s)
	}
	return out
}

// refusedNames are refused wherever a dictionary can hold them; the two-letter
// ones only before a value of theirs, and /JS only outside stream data (see
// above).
var refusedNames = map[string]bool{
	"JavaScript": true, "JS": true, "Launch": true, "SubmitForm": true,
	"GoToR": true, "GoToE": true, "ImportData": true, "RichMedia": true,
	"RichMediaExecute": true, "Rendition": true, "XFA": true, "AA": true,
	"EmbeddedFile": true, "EF": true, "FileAttachment": true,
}

func checkPDF(data []byte) error {
	if !bytes.Contains(data[max(0, len(data)-1024):], kwEOF) {
		return errDamaged
	}
	if hasHTML(data, htmlMarkers) || hasHTML(data[bytes.LastIndex(data, kwEOF):], trailingHTMLMarkers) {
		return errUnsafe
	}
	p := &pdfFile{data: data, objects: map[int][]pdfLoc{}, checked: map[pdfCheck]checkState{}, budget: inflateBudget}
	if err := p.readStreams(); err != nil {
		return err
	}
	p.indexObjects()
	if !p.safe(data, p.streamData) {
		return errUnsafe
	}
	for _, body := range p.objStms {
		if !p.safe(body, nil) {
			return errUnsafe
		}
	}
	if p.unreadable {
		if p.encrypted {
			return errEncrypted
		}
		return errDamaged
	}
	return nil
}

// pdfFile is what the checks learn of a PDF on the way: where stream data is,
// the decoded object streams, and where each object is defined.
type pdfFile struct {
	data       []byte
	streamData [][2]int         // [start, end) of each stream's data, in order
	objStms    [][]byte         // decoded object streams
	objects    map[int][]pdfLoc // every definition found of each object number
	checked    map[pdfCheck]checkState
	budget     int64 // bytes that may still be inflated
	inflated   int   // bytes of the file given to the inflater so far
	encrypted  bool
	unreadable bool
}

// pdfCheck is one check applied to one object, remembered so that a file
// full of references to one object costs one check.
type pdfCheck struct{ num, what int }

type checkState uint8

const (
	checking checkState = iota + 1 // a reference back to an object being checked fails
	passed
	failed
)

// What resolve checks the objects it reaches for.
const (
	checkOpenAction = iota
	checkEmbeddedFiles
	checkEmptyArray
)

// pdfLoc is where an object's value starts: in the file or in an object stream.
type pdfLoc struct {
	b   []byte
	off int
}

// readStreams finds every stream keyword that follows a dictionary, notes the
// data of those that are streams to a reader, and decodes object streams. Each
// keyword is considered on its own, not skipped over as part of the data of a
// stream before it, so a fake stream cannot swallow a real object stream.
func (p *pdfFile) readStreams() error {
	data := p.data
	prev := 0     // the previous stream keyword: dictionaries lie after it
	nextEnd := -1 // the first "endstream" at or after the latest stream's start
	for pos := 0; ; {
		k := bytes.Index(data[pos:], kwStream)
		if k < 0 {
			return nil
		}
		k += pos
		pos = k + len(kwStream)
		start, ok := streamStart(data, k)
		if !ok {
			continue
		}
		if nextEnd < start {
			// Searched again only past the last one found: many keywords
			// before one "endstream" do not make the search quadratic.
			e := bytes.Index(data[start:], kwEndstream)
			if e < 0 {
				return errDamaged
			}
			nextEnd = start + e
		}
		end := nextEnd
		dict := data[prev:k]
		if o := objHeader(dict); o >= 0 {
			dict = dict[o:]
			if opensStream(data, prev+o+len(kwObj), k) {
				p.streamData = append(p.streamData, [2]int{start, end})
			}
		}
		prev = k
		if hasName(dict, "ObjStm") {
			// Real object streams do not overlap: fake ones sharing data
			// cannot make the file inflated over and over.
			if p.inflated += end - start; p.inflated > len(data) {
				return errDamaged
			}
			body, ok := objStmBody(dict, data[start:end], &p.budget)
			if p.budget < 0 {
				return errDamaged
			}
			if !ok {
				p.unreadable = true
				continue
			}
			p.objStms = append(p.objStms, body)
			p.indexObjStm(dict, body)
		}
	}
}

// objHeader returns the offset of the "obj" of the last "N G obj" in b, or -1.
func objHeader(b []byte) int {
	for end := len(b); ; {
		o := bytes.LastIndex(b[:end], kwObj)
		if o < 0 {
			return -1
		}
		if objNumberBefore(b, o) >= 0 {
			return o
		}
		end = o
	}
}

// opensStream reports whether a reader that starts at an object's value (at
// i, just after "obj") reads one dictionary, white space, and then the stream
// keyword at k: the keyword is not inside a string or a comment.
func opensStream(b []byte, i, k int) bool {
	if kind, _, _ := pdfLex(b[:k], i); kind != '<' {
		return false
	}
	j, ok := skipValue(b[:k], i, 0)
	if !ok {
		return false
	}
	for ; j < k; j++ {
		if !isPDFSpace(b[j]) {
			return false
		}
	}
	return true
}

// indexObjects notes each "N G obj" of the file. Found by their text, not by
// the cross-reference table (which a hostile file may make lie), so every
// definition of an object is checked.
func (p *pdfFile) indexObjects() {
	data := p.data
	for pos := 0; ; {
		k := bytes.Index(data[pos:], kwObj)
		if k < 0 {
			return
		}
		k += pos
		pos = k + len(kwObj)
		if pos < len(data) && !isPDFSpace(data[pos]) && !isPDFDelim(data[pos]) {
			continue // "object", say
		}
		if num := objNumberBefore(data, k); num >= 0 {
			p.objects[num] = append(p.objects[num], pdfLoc{data, pos})
		}
	}
}

// objNumberBefore returns N of the "N G" before the "obj" at b[k:], or -1.
func objNumberBefore(b []byte, k int) int {
	j := k
	if digitsBefore(b, &j) < 0 { // G
		return -1
	}
	num := digitsBefore(b, &j)
	if num < 0 || j > 0 && !isPDFSpace(b[j-1]) && !isPDFDelim(b[j-1]) {
		return -1
	}
	return num
}

// digitsBefore reads backwards from *j over white space and then a run of
// digits, returning their value (or -1) and moving *j to the run's start.
func digitsBefore(b []byte, j *int) int {
	i := *j
	for i > 0 && isPDFSpace(b[i-1]) {
		i--
	}
	if i == *j {
		return -1 // tokens must be separated
	}
	e := i
	for i > 0 && '0' <= b[i-1] && b[i-1] <= '9' && e-i < 10 {
		i--
	}
	if i == e {
		return -1
	}
	n, _ := strconv.Atoi(string(b[i:e]))
	*j = i
	return n
}

// indexObjStm notes the objects of a decoded object stream: its header is N
// pairs of object number and offset from /First.
func (p *pdfFile) indexObjStm(dict, body []byte) {
	lt := bytes.Index(dict, []byte("<<"))
	if lt < 0 {
		return
	}
	entries, ok := dictEntries(dict, lt)
	if !ok {
		return
	}
	n, ok1 := intAt(dict, entries["N"])
	first, ok2 := intAt(dict, entries["First"])
	if !ok1 || !ok2 || first < 0 || first > len(body) {
		return
	}
	i := 0
	for range min(n, len(body)/4+1) {
		num, e1, ok1 := intToken(body[:first], i)
		off, e2, ok2 := intToken(body[:first], e1)
		if !ok1 || !ok2 || first+off > len(body) || off < 0 {
			return
		}
		p.objects[num] = append(p.objects[num], pdfLoc{body, first + off})
		i = e2
	}
}

// safe checks the names of b (the file, or a decoded object stream). skip are
// the stream data ranges of b, where /JS does not count.
func (p *pdfFile) safe(b []byte, skip [][2]int) bool {
	for end, name := range pdfNames(b) {
		for len(skip) > 0 && skip[0][1] <= end { // names come in order
			skip = skip[1:]
		}
		switch {
		case string(name) == "Encrypt":
			p.encrypted = true
		case string(name) == "OpenAction":
			if !p.plainOpenAction(b, end, 0) {
				return false
			}
		case string(name) == "EmbeddedFiles":
			if !p.noEmbeddedFiles(b, end, 0) {
				return false
			}
		case !refusedNames[string(name)]:
		case len(name) > 2:
			return false
		case string(name) == "JS":
			if (len(skip) == 0 || end < skip[0][0]) && scriptValue(b, end) {
				return false
			}
		case dictValue(b, end): // /AA, /EF
			return false
		}
	}
	return true
}

// scriptValue reports whether what /JS can be set to — a string, or a
// reference to a stream — starts at i.
func scriptValue(b []byte, i int) bool {
	kind, s, _ := pdfLex(b, i)
	switch kind {
	case '(', 'h':
		return true
	case 'w':
		_, _, ok := refAt(b, s)
		return ok
	}
	return false
}

// dictValue reports whether a dictionary or a reference starts at i.
func dictValue(b []byte, i int) bool {
	kind, s, _ := pdfLex(b, i)
	switch kind {
	case '<':
		return true
	case 'w':
		_, _, ok := refAt(b, s)
		return ok
	}
	return false
}

// plainOpenAction reports whether the /OpenAction value at i only says where
// to open: a destination array, null, or a /GoTo action without /Next.
func (p *pdfFile) plainOpenAction(b []byte, i, depth int) bool {
	if depth > maxPDFDepth {
		return false
	}
	kind, s, e := pdfLex(b, i)
	switch kind {
	case '[':
		return true
	case '<':
		entries, ok := dictEntries(b, s)
		if !ok {
			return false
		}
		_, next := entries["Next"]
		sv, ok := entries["S"]
		if !ok || next {
			return false
		}
		name, ok := nameAt(b, sv)
		return ok && name == "GoTo"
	case 'w':
		if string(b[s:e]) == "null" {
			return true
		}
		return p.resolve(b, s, depth, checkOpenAction)
	}
	return false
}

// noEmbeddedFiles reports whether the /EmbeddedFiles value at i is an empty
// name tree: no /Kids, and /Names, if present, an empty array.
func (p *pdfFile) noEmbeddedFiles(b []byte, i, depth int) bool {
	if depth > maxPDFDepth {
		return false
	}
	kind, s, e := pdfLex(b, i)
	switch kind {
	case '<':
		entries, ok := dictEntries(b, s)
		if !ok {
			return false
		}
		if _, kids := entries["Kids"]; kids {
			return false
		}
		names, ok := entries["Names"]
		return !ok || p.emptyArray(b, names, depth+1)
	case 'w':
		if string(b[s:e]) == "null" {
			return true
		}
		return p.resolve(b, s, depth, checkEmbeddedFiles)
	}
	return false
}

func (p *pdfFile) emptyArray(b []byte, i, depth int) bool {
	if depth > maxPDFDepth {
		return false
	}
	kind, s, e := pdfLex(b, i)
	switch kind {
	case '[':
		kind, _, _ = pdfLex(b, e)
		return kind == ']'
	case 'w':
		return p.resolve(b, s, depth, checkEmptyArray)
	}
	return false
}

// resolve applies check what to every definition of the object referred to
// ("N G R") at b[i:]. A reference that is not one, to an object not found, or
// back to an object being checked fails: what cannot be checked is not
// accepted.
func (p *pdfFile) resolve(b []byte, i, depth, what int) bool {
	num, _, ok := refAt(b, i)
	if !ok || len(p.objects[num]) == 0 {
		return false
	}
	key := pdfCheck{num, what}
	if st := p.checked[key]; st != 0 {
		return st == passed
	}
	p.checked[key] = checking
	st := passed
	for _, loc := range p.objects[num] {
		var ok bool
		switch what {
		case checkOpenAction:
			ok = p.plainOpenAction(loc.b, loc.off, depth+1)
		case checkEmbeddedFiles:
			ok = p.noEmbeddedFiles(loc.b, loc.off, depth+1)
		default:
			ok = p.emptyArray(loc.b, loc.off, depth+1)
		}
		if !ok {
			st = failed
			break
		}
	}
	p.checked[key] = st
	return st == passed
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
	for _, n := range pdfNames(b) {
		if string(n) == name {
			return true
		}
	}
	return false
}

// pdfNames yields the PDF names (after "/") in b, with #xx escapes decoded,
// and the offset just after each. It is a lexer, not a parser: names inside
// strings and stream data are yielded too, which only makes the checks
// stricter.
func pdfNames(b []byte) iter.Seq2[int, []byte] {
	return func(yield func(int, []byte) bool) {
		var buf []byte
		for i := 0; i < len(b); i++ {
			if b[i] != '/' {
				continue
			}
			j := i + 1
			for j < len(b) && !isPDFSpace(b[j]) && !isPDFDelim(b[j]) {
				j++
			}
			name := decodeName(b[i+1:j], &buf)
			if !yield(j, name) {
				return
			}
			i = j - 1
		}
	}
}

// decodeName decodes the #xx escapes of a name's bytes, into *buf when there
// are any.
func decodeName(name []byte, buf *[]byte) []byte {
	if bytes.IndexByte(name, '#') < 0 {
		return name
	}
	*buf = (*buf)[:0]
	for x := 0; x < len(name); x++ {
		if name[x] == '#' && x+2 < len(name) && isHex(name[x+1]) && isHex(name[x+2]) {
			*buf = append(*buf, unhex(name[x+1])<<4|unhex(name[x+2]))
			x += 2
			continue
		}
		*buf = append(*buf, name[x])
	}
	return *buf
}

// pdfLex returns the token at b[i:], after white space and comments: its kind
// and where it starts and ends. Kinds: '/' name, '<' "<<", '>' ">>", '[' and
// ']', '(' literal string, 'h' hex string, 'w' a word (number, keyword), '?'
// any other delimiter, and 0 at the end of b.
func pdfLex(b []byte, i int) (kind byte, start, end int) {
	for i < len(b) {
		if isPDFSpace(b[i]) {
			i++
			continue
		}
		if b[i] == '%' {
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
			continue
		}
		break
	}
	if i >= len(b) {
		return 0, len(b), len(b)
	}
	switch c := b[i]; {
	case c == '/':
		j := i + 1
		for j < len(b) && !isPDFSpace(b[j]) && !isPDFDelim(b[j]) {
			j++
		}
		return '/', i, j
	case c == '<' && i+1 < len(b) && b[i+1] == '<':
		return '<', i, i + 2
	case c == '>' && i+1 < len(b) && b[i+1] == '>':
		return '>', i, i + 2
	case c == '<':
		j := bytes.IndexByte(b[i:], '>')
		if j < 0 {
			return 'h', i, len(b)
		}
		return 'h', i, i + j + 1
	case c == '[' || c == ']':
		return c, i, i + 1
	case c == '(':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '(':
				depth++
			case ')':
				if depth--; depth == 0 {
					return '(', i, j + 1
				}
			}
		}
		return '(', i, len(b)
	case isPDFDelim(c):
		return '?', i, i + 1
	}
	j := i
	for j < len(b) && !isPDFSpace(b[j]) && !isPDFDelim(b[j]) {
		j++
	}
	return 'w', i, j
}

// skipValue returns where the value at b[i:] ends.
func skipValue(b []byte, i, depth int) (int, bool) {
	if depth > maxPDFDepth {
		return 0, false
	}
	kind, s, e := pdfLex(b, i)
	switch kind {
	case '/', '(', 'h':
		return e, true
	case 'w':
		if _, re, ok := refAt(b, s); ok {
			return re, true
		}
		return e, true
	case '<', '[':
		closer := byte('>')
		if kind == '[' {
			closer = ']'
		}
		for j := e; ; {
			k, _, ke := pdfLex(b, j)
			switch k {
			case closer:
				return ke, true
			case 0, '>', ']':
				return 0, false
			}
			var ok bool
			if j, ok = skipValue(b, j, depth+1); !ok {
				return 0, false
			}
		}
	}
	return 0, false
}

// dictEntries returns the keys of the dictionary whose "<<" is at b[i:], each
// with the offset its value starts at, or false when it is not a whole
// dictionary.
func dictEntries(b []byte, i int) (map[string]int, bool) {
	kind, _, j := pdfLex(b, i)
	if kind != '<' {
		return nil, false
	}
	entries := map[string]int{}
	var buf []byte
	for {
		kind, s, e := pdfLex(b, j)
		switch kind {
		case '>':
			return entries, true
		case '/':
			entries[string(decodeName(b[s+1:e], &buf))] = e
			var ok bool
			if j, ok = skipValue(b, e, 1); !ok {
				return nil, false
			}
		default:
			return nil, false
		}
	}
}

// nameAt returns the name at b[i:].
func nameAt(b []byte, i int) (string, bool) {
	kind, s, e := pdfLex(b, i)
	if kind != '/' {
		return "", false
	}
	var buf []byte
	return string(decodeName(b[s+1:e], &buf)), true
}

// intToken returns the non-negative integer at b[i:] and where it ends.
func intToken(b []byte, i int) (int, int, bool) {
	kind, s, e := pdfLex(b, i)
	if kind != 'w' || e-s > 9 {
		return 0, 0, false
	}
	n, err := strconv.Atoi(string(b[s:e]))
	return n, e, err == nil && n >= 0
}

func intAt(b []byte, i int) (int, bool) {
	if i <= 0 {
		return 0, false
	}
	n, _, ok := intToken(b, i)
	return n, ok
}

// refAt reads a reference "N G R" at b[i:].
func refAt(b []byte, i int) (num, end int, ok bool) {
	num, e, ok := intToken(b, i)
	if !ok {
		return 0, 0, false
	}
	if _, e, ok = intToken(b, e); !ok {
		return 0, 0, false
	}
	kind, s, e := pdfLex(b, e)
	if kind != 'w' || string(b[s:e]) != "R" {
		return 0, 0, false
	}
	return num, e, true
}

// hasHTML reports whether b holds the start of an HTML tag a browser would act
// on: one of markers followed by white space, "/" or ">".
func hasHTML(b []byte, markers [][]byte) bool {
	for i := bytes.IndexByte(b, '<'); i >= 0; {
		for _, m := range markers {
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
