// Package document stores uploaded files — KTP scans, NIB/P-IRT/halal certificates,
// product photos — on local disk, outside any served folder. It knows nothing of the
// database: the intake service calls Put, keeps the returned Stored in its
// `documents` row, and later serves the file through a handler that checks who is
// asking and calls Open.
//
// What is accepted is decided by the content, never by the file name or the
// Content-Type the browser sent: PDF, JPEG and PNG only. Images are decoded and
// re-encoded, so what is stored is pixels we produced ourselves: EXIF (a phone
// photo's GPS position is the applicant's home) and anything appended to or hidden
// in the file are gone. They are also made smaller on the way (at most
// MaxStoredSide pixels a side), so a photo straight from a phone's camera is
// accepted and stored at a size a verifier's screen can show. PDFs cannot be
// re-encoded without a PDF library, so they are stored as uploaded after the
// checks in pdf.go.
//
// Files are named by a random 128-bit key, sharded as ab/cd/<key>, written to a
// temporary file in the same directory and renamed into place, mode 0600 in
// directories of mode 0700. Every access goes through os.Root, so neither a key nor
// a symbolic link can lead outside Root. Sweep removes, once they are old, the
// temporary files a crash leaves and the stored files no row references.
package document

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/etalase-id/etalase/internal/apperr"
)

// DefaultMaxBytes is the limit on a stored document (and so on an uploaded PDF)
// when none is configured: 5 MB.
const DefaultMaxBytes int64 = 5 << 20

// DefaultMaxImageBytes is the limit on an uploaded image when none is
// configured: 25 MB, above the 12–50 megapixel photos phones save (4–15 MB).
// An image may be larger than MaxBytes on the way in because it is made smaller
// before it is stored; what is stored still fits MaxBytes.
const DefaultMaxImageBytes int64 = 25 << 20

// Content types a stored document can have (the `documents.content_type` check).
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
)

// Store keeps documents under Root (<data dir>/documents). Its methods are safe
// for concurrent use; a Store must not be copied once used.
type Store struct {
	Root string
	// MaxBytes is the largest document stored, and so the largest PDF
	// accepted, in bytes; <= 0 means DefaultMaxBytes.
	MaxBytes int64
	// MaxImageBytes is the largest JPEG or PNG accepted before it is made
	// smaller, in bytes; <= 0 means DefaultMaxImageBytes or MaxBytes, whichever
	// is larger.
	MaxImageBytes int64
	// MaxDecoding is how many uploads may be checked at the same time: images
	// decoded and re-encoded, PDFs' object streams inflated. That work takes a
	// core and up to a few hundred MB each, so it is what is bounded; reading an
	// upload is not, so a slow client ties up only its own request. <= 0 means
	// DefaultMaxDecoding. Set it before the first Put.
	MaxDecoding int

	slotsOnce sync.Once
	slots     chan struct{}

	noSync       bool               // tests only: skip fsync, which makes fuzzing crawl
	decodingHook func(ctype string) // tests only: called while holding a decoding slot
}

// DefaultMaxDecoding is how many uploads are checked at once when MaxDecoding
// is not set: one per core of the small servers the Office runs.
const DefaultMaxDecoding = 2

// Stored describes a stored document: what the `documents` row keeps.
type Stored struct {
	Key          string // storage_key: 32 lowercase hex digits
	SHA256       string // of the stored bytes, lowercase hex
	Size         int64  // of the stored bytes (for images, the re-encoded ones)
	ContentType  string // TypePDF, TypeJPEG or TypePNG
	OriginalName string // the client's file name, through SafeName, for display only
}

// NewStore returns a Store under root, creating it (mode 0700) when missing.
// maxBytes <= 0 means DefaultMaxBytes; images may arrive up to
// DefaultMaxImageBytes, or up to maxBytes when that is larger.
func NewStore(root string, maxBytes int64) (*Store, error) {
	if root == "" {
		return nil, errors.New("document: empty root")
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, fmt.Errorf("document: %w", err)
	}
	return &Store{Root: root, MaxBytes: maxBytes, MaxImageBytes: max(DefaultMaxImageBytes, maxBytes), MaxDecoding: DefaultMaxDecoding}, nil
}

// maxStored is the largest document stored, and so the largest PDF accepted.
func (s *Store) maxStored() int64 {
	if s.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return s.MaxBytes
}

func (s *Store) imageLimit() int64 {
	if s.MaxImageBytes <= 0 {
		return max(DefaultMaxImageBytes, s.maxStored())
	}
	return s.MaxImageBytes
}

// limitFor is the largest upload of content type ctype.
func (s *Store) limitFor(ctype string) int64 {
	if ctype == TypePDF {
		return s.maxStored()
	}
	return s.imageLimit()
}

// limit is the largest file Put may accept, whatever its type, and so what
// UploadLimit tells the web layer to read of one upload (plus room for the
// form's other fields). Put itself holds each type to its own limit.
func (s *Store) limit() int64 { return max(s.maxStored(), s.imageLimit()) }

// Put reads r, checks what it is, and stores it (images re-encoded and made
// smaller). A PDF may be MaxBytes long; a JPEG or PNG may be MaxImageBytes long
// as long as its re-encoded copy fits MaxBytes. Reading stops right after the
// limit of the type the first bytes show. name is
// the client's file name: a name holding a path separator, "..", or a control
// character is refused, anything else is only kept, through SafeName, for
// display. A refusal is an *apperr.Error of kind Invalid and leaves nothing on
// disk.
//
// The upload is read in full first, holding nothing but its own memory (at most
// 1 MB, the rest in an unlinked temporary file under Root); only then does Put
// wait for one of MaxDecoding slots to check and re-encode it, and it gives the
// slot back before writing the result. So the caller needs no limit of its own
// around Put, and should not hold one while the body arrives.
func (s *Store) Put(r io.Reader, name string) (Stored, error) {
	return s.PutContext(context.Background(), r, name)
}

// PutContext is Put that stops waiting for a decoding slot when ctx is done
// (the client has gone), returning an error that wraps ctx's.
func (s *Store) PutContext(ctx context.Context, r io.Reader, name string) (Stored, error) {
	if err := checkName(name); err != nil {
		return Stored{}, err
	}
	in, err := s.read(r)
	if err != nil {
		return Stored{}, err
	}
	defer in.close()
	ctype, data, err := s.check(ctx, in)
	if err != nil {
		return Stored{}, err
	}
	in.close() // the upload is no longer needed: what is stored is in data

	key, err := s.write(data)
	if err != nil {
		return Stored{}, err
	}
	sum := sha256.Sum256(data)
	return Stored{
		Key:          key,
		SHA256:       hex.EncodeToString(sum[:]),
		Size:         int64(len(data)),
		ContentType:  ctype,
		OriginalName: SafeName(name),
	}, nil
}

// check runs the checks of in's type, holding a decoding slot, and returns
// what is to be stored.
func (s *Store) check(ctx context.Context, in *incoming) (ctype string, data []byte, err error) {
	s.slotsOnce.Do(func() {
		n := s.MaxDecoding
		if n <= 0 {
			n = DefaultMaxDecoding
		}
		s.slots = make(chan struct{}, n)
	})
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return "", nil, fmt.Errorf("document: waiting to check the upload: %w", ctx.Err())
	}
	defer func() { <-s.slots }()
	if s.decodingHook != nil {
		s.decodingHook(in.ctype)
	}

	switch in.ctype {
	case TypePDF:
		if data, err = in.bytes(); err != nil {
			return "", nil, err
		}
		return TypePDF, data, checkPDF(data)
	case TypeJPEG:
		data, err = reencodeJPEG(in, s.maxStored())
		return TypeJPEG, data, err
	default:
		return reencodePNG(in, s.maxStored())
	}
}

// write stores data under a new key: a temporary file in the final directory,
// synced, renamed into place, then the directory synced, so a key the caller
// records always names a complete file.
func (s *Store) write(data []byte) (key string, err error) {
	root, err := os.OpenRoot(s.Root)
	if err != nil {
		return "", fmt.Errorf("document: %w", err)
	}
	defer root.Close()

	key = randomHex()
	dir := shardDir(key)
	if err := root.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("document: %w", err)
	}
	tmp := filepath.Join(dir, tmpPrefix+randomHex())
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("document: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			root.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return "", fmt.Errorf("document: %w", err)
	}
	if !s.noSync {
		if err = f.Sync(); err != nil {
			return "", fmt.Errorf("document: %w", err)
		}
	}
	if err = f.Close(); err != nil {
		return "", fmt.Errorf("document: %w", err)
	}
	// A 128-bit random key does not collide in practice, so a plain rename
	// (which would replace an existing file) is acceptable.
	if err = root.Rename(tmp, filepath.Join(dir, key)); err != nil {
		return "", fmt.Errorf("document: %w", err)
	}
	if d, derr := root.Open(dir); derr == nil && !s.noSync {
		d.Sync() // best effort: makes the rename durable
		d.Close()
	}
	return key, nil
}

// Open returns the stored bytes of key. A key that Put did not return — wrong
// shape, "../../etc/passwd", removed, or a link leading out of Root — is refused
// as NotFound; the caller is expected to have checked, through its row, that the
// asker may see the document.
func (s *Store) Open(key string) (io.ReadSeekCloser, error) {
	if !validKey(key) {
		return nil, errNotFound
	}
	f, err := os.OpenInRoot(s.Root, filepath.Join(shardDir(key), key))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || isEscape(err) {
			return nil, errNotFound
		}
		return nil, fmt.Errorf("document: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("document: %w", err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, errNotFound
	}
	return f, nil
}

// Remove deletes the stored file of key. Removing a key that is already gone is
// not an error, so a failed intake can always clean up after itself.
func (s *Store) Remove(key string) error {
	if !validKey(key) {
		return errNotFound
	}
	root, err := os.OpenRoot(s.Root)
	if err != nil {
		return fmt.Errorf("document: %w", err)
	}
	defer root.Close()
	if err := root.Remove(filepath.Join(shardDir(key), key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("document: %w", err)
	}
	return nil
}

// isEscape reports whether err is os.Root refusing a path that leads out of it.
// The error is not exported, so it is recognised by its text; anything else falls
// through to an internal error, which is still a refusal.
func isEscape(err error) bool {
	return strings.Contains(err.Error(), "path escapes from parent")
}

// tmpPrefix starts the name of every file that is not yet, or never will be,
// a stored document: what Sweep removes once it is old.
const tmpPrefix = ".tmp-"

func randomHex() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand since Go 1.24)
	return hex.EncodeToString(b[:])
}

func shardDir(key string) string { return filepath.Join(key[0:2], key[2:4]) }

// validKey accepts exactly what randomHex produces: 32 lowercase hex digits.
func validKey(key string) bool { return len(key) == 32 && lowerHex(key) }

func lowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// The refusals a user can see. Each says what to do next.
var (
	errEmpty = apperr.New(apperr.Invalid, "document.empty",
		"Berkas ini kosong (0 bait). Pilih berkas yang benar, lalu unggah lagi.",
		"This file is empty (0 bytes). Choose the right file and upload it again.")
	errType = apperr.New(apperr.Invalid, "document.type",
		"Unggah PDF, JPG atau PNG. Berkas ini bukan salah satunya.",
		"Upload a PDF, JPG or PNG. This file is none of those.")
	errDamaged = apperr.New(apperr.Invalid, "document.damaged",
		"Berkas ini rusak atau tidak lengkap sehingga tidak dapat dibaca. Simpan, pindai atau foto ulang, lalu unggah lagi.",
		"This file is damaged or incomplete and cannot be read. Save, scan or photograph it again, then upload it again.")
	errUnsafe = apperr.New(apperr.Invalid, "document.unsafe",
		"PDF ini berisi skrip, tindakan otomatis, lampiran atau kode halaman web, yang tidak kami terima. Pindai ulang dokumen aslinya atau cetak ulang ke PDF (Cetak → Simpan sebagai PDF), lalu unggah lagi.",
		"This PDF contains scripts, automatic actions, attachments or web-page code, which we do not accept. Scan the original again or print it to a new PDF (Print → Save as PDF), then upload it again.")
	errEncrypted = apperr.New(apperr.Invalid, "document.encrypted",
		"PDF ini terkunci (terenkripsi) sehingga isinya tidak dapat kami periksa. Buka lalu cetak ulang ke PDF tanpa kunci (Cetak → Simpan sebagai PDF), lalu unggah lagi.",
		"This PDF is locked (encrypted), so we cannot check its content. Open it and print it to a new PDF without a lock (Print → Save as PDF), then upload it again.")
	errDimensions = apperr.New(apperr.Invalid, "document.dimensions",
		fmt.Sprintf("Gambar ini terlalu besar (lebih dari %d piksel per sisi atau %d megapiksel). Perkecil ukurannya, lalu unggah lagi.", MaxSide, MaxPixels/1_000_000),
		fmt.Sprintf("This image is too large (over %d pixels a side or %d megapixels). Make it smaller, then upload it again.", MaxSide, MaxPixels/1_000_000))
	errName = apperr.New(apperr.Invalid, "document.name",
		"Nama berkas tidak boleh berisi garis miring (/ atau \\), dua titik berurutan (..) atau karakter kendali. Ganti nama berkasnya, lalu unggah lagi.",
		"The file name must not contain slashes (/ or \\), two dots in a row (..) or control characters. Rename the file, then upload it again.")
	errNotFound = apperr.New(apperr.NotFound, "document.not_found",
		"Dokumen tidak ditemukan.",
		"Document not found.")
)

// errTooLarge refuses an upload over the limit of its type, naming that limit;
// ctype "" (cut off before its type was seen) names both.
func (s *Store) errTooLarge(ctype string) error {
	pdfID, pdfEN := megabytes(s.maxStored())
	imgID, imgEN := megabytes(s.imageLimit())
	switch ctype {
	case TypePDF:
		return apperr.New(apperr.Invalid, "document.too_large",
			"PDF ini lebih dari "+pdfID+" MB. Perkecil ukurannya (misalnya pindai dengan resolusi lebih rendah, atau kirim fotonya sebagai JPG), lalu unggah lagi.",
			"This PDF is over "+pdfEN+" MB. Make it smaller (for example scan at a lower resolution, or send a photo as a JPG instead), then upload it again.")
	case TypeJPEG, TypePNG:
		return apperr.New(apperr.Invalid, "document.too_large",
			"Gambar ini lebih dari "+imgID+" MB. Kirim foto dengan ukuran lebih kecil (misalnya atur kamera ke resolusi lebih rendah), lalu unggah lagi.",
			"This image is over "+imgEN+" MB. Send a smaller photo (for example set the camera to a lower resolution), then upload it again.")
	}
	return apperr.New(apperr.Invalid, "document.too_large",
		"Berkas ini terlalu besar: foto (JPG atau PNG) paling besar "+imgID+" MB, PDF paling besar "+pdfID+" MB. Perkecil ukurannya, lalu unggah lagi.",
		"This file is too large: a photo (JPG or PNG) may be "+imgEN+" MB at most, a PDF "+pdfEN+" MB. Make it smaller, then upload it again.")
}

// errStoredTooLarge refuses an image that, made smaller and re-encoded at the
// lowest quality we accept, is still over MaxBytes: rare (noise-like pictures,
// or a small MaxBytes), so the advice is about the picture, not the camera.
func errStoredTooLarge(max int64) error {
	id, en := megabytes(max)
	return apperr.New(apperr.Invalid, "document.too_large",
		"Gambar ini masih lebih dari "+id+" MB setelah kami perkecil. Potong bagian yang tidak perlu, atau foto ulang dengan latar polos, lalu unggah lagi.",
		"This image is still over "+en+" MB after we made it smaller. Crop what is not needed, or photograph it again on a plain background, then upload it again.")
}

// errTransparentTooLarge refuses a PNG that is over MaxBytes after being made
// smaller and cannot become a JPEG, which has no transparency.
func errTransparentTooLarge(max int64) error {
	id, en := megabytes(max)
	return apperr.New(apperr.Invalid, "document.too_large",
		"Gambar PNG ini masih lebih dari "+id+" MB setelah kami perkecil, dan tidak dapat kami ubah ke JPG karena berlatar transparan. Simpan sebagai JPG atau tanpa latar transparan, lalu unggah lagi.",
		"This PNG image is still over "+en+" MB after we made it smaller, and cannot be turned into a JPG because it has a transparent background. Save it as a JPG or without transparency, then upload it again.")
}

// megabytes writes n bytes as MB for the Indonesian (decimal comma) and English
// texts: "5", or "2,5" / "2.5".
func megabytes(n int64) (id, en string) {
	en = strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64)
	if n%(1<<20) != 0 {
		en = strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)
	}
	return strings.Replace(en, ".", ",", 1), en
}
