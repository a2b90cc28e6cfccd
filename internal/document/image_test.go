package document

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/apperr"
)

func decodeStored(t *testing.T, s *Store, got Stored) image.Image {
	t.Helper()
	b := readStored(t, s, got.Key)
	var img image.Image
	var err error
	switch got.ContentType {
	case TypeJPEG:
		img, err = jpeg.Decode(bytes.NewReader(b))
	case TypePNG:
		img, err = png.Decode(bytes.NewReader(b))
	default:
		t.Fatalf("content type %q", got.ContentType)
	}
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestStoredSizeKeepsProportionsWithinMaxStoredSide(t *testing.T) {
	for _, c := range []struct{ w, h, ww, wh int }{
		{4000, 3000, 2000, 1500},
		{3000, 4000, 1500, 2000},
		{4032, 3024, 2000, 1500}, // a 12 MP phone sensor
		{8160, 6120, 2000, 1500}, // 50 MP
		{2000, 1000, 2000, 1000},
		{640, 480, 640, 480},
		{2001, 2001, 2000, 2000},
		{10000, 1, 2000, 1},
		{1, 10000, 1, 2000},
	} {
		if w, h := storedSize(c.w, c.h); w != c.ww || h != c.wh {
			t.Errorf("storedSize(%d, %d) = %d, %d, want %d, %d", c.w, c.h, w, h, c.ww, c.wh)
		}
	}
}

func TestAPhonePhotoIsStoredAtMaxStoredSideUprightAndWithoutEXIF(t *testing.T) {
	// A 12 MP photo taken upright: the sensor's 4000×3000 pixels and EXIF
	// orientation 6. The left quarter is red, so upright the top quarter is.
	src := photo(4000, 3000)
	for y := 0; y < 3000; y++ {
		for x := 0; x < 1000; x++ {
			src.Set(x, y, color.RGBA{230, 20, 20, 255})
		}
	}
	raw := withEXIF(encodeJPEG(t, src, 90), 6, "GPS -7.2575 112.7521")
	s := newStore(t, 0)
	got, err := s.Put(bytes.NewReader(raw), "IMG_20260301_101500.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if got.ContentType != TypeJPEG || got.Size > s.MaxBytes || got.Size >= int64(len(raw)) {
		t.Errorf("%+v from %d bytes", got, len(raw))
	}
	if b := readStored(t, s, got.Key); bytes.Contains(b, []byte("Exif")) || bytes.Contains(b, []byte("112.7521")) {
		t.Error("the stored copy still holds the EXIF block")
	}
	img := decodeStored(t, s, got)
	if img.Bounds() != image.Rect(0, 0, 1500, 2000) {
		t.Fatalf("stored %v, want 1500×2000 (made smaller and turned upright)", img.Bounds())
	}
	red := func(x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		return r > 0xC000 && g < 0x4000 && b < 0x4000
	}
	if !red(750, 200) || red(750, 1800) {
		t.Error("the red quarter is not the top of the upright photo")
	}
}

func TestShrinkingAveragesFineDetailInsteadOfAliasingIt(t *testing.T) {
	// One-pixel black and white stripes, 8000 pixels wide: stored at a quarter
	// of the width every pixel must be mid-grey. Sampling without averaging
	// (nearest neighbour, or one bilinear step) would keep black or white.
	const w, h = 8000, 16
	stripes := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x += 2 {
			stripes.Pix[y*w+x] = 255
		}
	}
	s := newStore(t, 0)
	got, err := s.Put(bytes.NewReader(encodePNG(t, stripes)), "scan.png")
	if err != nil {
		t.Fatal(err)
	}
	img := decodeStored(t, s, got)
	g, ok := img.(*image.Gray)
	if !ok {
		t.Fatalf("a grey scan was stored as %T, want grey", img)
	}
	if g.Bounds() != image.Rect(0, 0, 2000, 4) {
		t.Fatalf("stored %v", g.Bounds())
	}
	for i, v := range g.Pix {
		if v < 120 || v > 136 {
			t.Fatalf("pixel %d is %d, want about 128", i, v)
		}
	}
}

func TestSmallImagesKeepTheirSize(t *testing.T) {
	s := newStore(t, 0)
	for _, c := range []struct {
		name string
		data []byte
		want image.Rectangle
	}{
		{"a.jpg", encodeJPEG(t, photo(2000, 1200), 85), image.Rect(0, 0, 2000, 1200)},
		{"a.png", encodePNG(t, photo(300, 2000)), image.Rect(0, 0, 300, 2000)},
	} {
		got, err := s.Put(bytes.NewReader(c.data), c.name)
		if err != nil {
			t.Fatal(err)
		}
		if b := decodeStored(t, s, got).Bounds(); b != c.want {
			t.Errorf("%s stored at %v, want %v", c.name, b, c.want)
		}
	}
}

func TestAnImageLargerThanMaxBytesIsAcceptedWhenItsStoredCopyFits(t *testing.T) {
	raw := encodeJPEG(t, photo(4000, 3000), 95)
	s := newStore(t, 2<<20)
	if int64(len(raw)) <= s.MaxBytes {
		t.Fatalf("test photo of %d bytes is not over MaxBytes", len(raw))
	}
	got, err := s.Put(bytes.NewReader(raw), "foto.jpg")
	if err != nil {
		t.Fatalf("a %d-byte photo: %v", len(raw), err)
	}
	if got.Size > s.MaxBytes {
		t.Errorf("stored %d bytes, over MaxBytes %d", got.Size, s.MaxBytes)
	}
}

func TestTheJPEGQualityIsLoweredUntilTheImageFits(t *testing.T) {
	noisy := encodeJPEG(t, photo(1500, 1000), 95)
	var sizes []int
	img, _ := jpeg.Decode(bytes.NewReader(noisy))
	for _, q := range jpegQualities {
		var b bytes.Buffer
		jpeg.Encode(&b, img, &jpeg.Options{Quality: q})
		sizes = append(sizes, b.Len())
	}
	// A limit between the first and the last quality's size: stored, lower.
	s := newStore(t, int64(sizes[0]+sizes[len(sizes)-1])/2)
	got, err := s.Put(bytes.NewReader(noisy), "a.jpg")
	if err != nil {
		t.Fatalf("sizes %v, limit %d: %v", sizes, s.MaxBytes, err)
	}
	if got.Size > s.MaxBytes {
		t.Errorf("stored %d bytes over %d", got.Size, s.MaxBytes)
	}
	// Below the lowest quality's size: refused, saying it is the image.
	s = newStore(t, int64(sizes[len(sizes)-1])-1)
	_, err = s.Put(bytes.NewReader(noisy), "a.jpg")
	e, ok := apperr.As(err)
	if !ok || e.Code != "document.too_large" || !strings.Contains(e.Text.EN, "after we made it smaller") || !strings.Contains(e.Text.ID, "setelah kami perkecil") {
		t.Fatalf("got %v", err)
	}
	if n := countFiles(t, s.Root); n != 0 {
		t.Errorf("%d files left", n)
	}
}

func TestAPNGTooLargeForMaxBytesBecomesAJPEGUnlessItIsTransparent(t *testing.T) {
	opaque := encodePNG(t, photo(1200, 900))
	s := newStore(t, int64(len(opaque))/3)
	got, err := s.Put(bytes.NewReader(opaque), "layar.png")
	if err != nil {
		t.Fatal(err)
	}
	if got.ContentType != TypeJPEG || got.Size > s.MaxBytes {
		t.Errorf("%+v", got)
	}
	if _, err := jpeg.Decode(bytes.NewReader(readStored(t, s, got.Key))); err != nil {
		t.Errorf("stored as %s but does not decode as JPEG: %v", got.ContentType, err)
	}

	transparent := image.NewNRGBA(image.Rect(0, 0, 1200, 900))
	ph := photo(1200, 900)
	for i := range transparent.Pix {
		transparent.Pix[i] = ph.Pix[i]
		if i%4 == 3 && (i/4)%1200 < 600 {
			transparent.Pix[i] = 0 // the left half transparent
		}
	}
	_, err = s.Put(bytes.NewReader(encodePNG(t, transparent)), "logo.png")
	e, ok := apperr.As(err)
	if !ok || e.Code != "document.too_large" || !strings.Contains(e.Text.ID, "transparan") || !strings.Contains(e.Text.EN, "transparent") {
		t.Fatalf("got %v", err)
	}
	if n := countFiles(t, s.Root); n != 1 {
		t.Errorf("%d files, want the one JPEG", n)
	}
}

func TestEachTypeIsHeldToItsOwnLimitAndTheMessageSaysWhich(t *testing.T) {
	s := newStore(t, 0)
	if s.UploadLimit() != DefaultMaxImageBytes || s.imageLimit() != 25<<20 || s.maxStored() != 5<<20 {
		t.Fatalf("defaults: upload %d, image %d, stored %d", s.UploadLimit(), s.imageLimit(), s.maxStored())
	}

	// A 6 MB PDF is over its 5 MB though under the image limit.
	pdf := make([]byte, 6<<20)
	copy(pdf, minimalPDF)
	_, err := s.Put(bytes.NewReader(pdf), "scan.pdf")
	e, _ := apperr.As(err)
	if code(err) != "document.too_large" || !strings.Contains(e.Text.ID, "PDF ini lebih dari 5 MB") || !strings.Contains(e.Text.EN, "This PDF is over 5 MB") {
		t.Errorf("6 MB PDF: %v", err)
	}

	// An image over MaxImageBytes: refused naming the image limit, and read
	// no further than that limit.
	s.MaxImageBytes = 3 << 19 // 1.5 MB, so the test stays small
	img := append(bytes.Clone(jpegMagic), make([]byte, 4<<20)...)
	cr := &countingReader{r: bytes.NewReader(img)}
	_, err = s.Put(cr, "foto.jpg")
	e, _ = apperr.As(err)
	if code(err) != "document.too_large" || !strings.Contains(e.Text.ID, "Gambar ini lebih dari 1,5 MB") || !strings.Contains(e.Text.EN, "This image is over 1.5 MB") {
		t.Errorf("image over MaxImageBytes: %v", err)
	}
	if cr.n > s.MaxImageBytes+64<<10 {
		t.Errorf("read %d bytes of an upload refused at %d", cr.n, s.MaxImageBytes)
	}

	// A file of no accepted type is refused after its first bytes.
	cr = &countingReader{r: bytes.NewReader(make([]byte, 10<<20))}
	if _, err := s.Put(cr, "a.zip"); code(err) != "document.type" || cr.n > 64<<10 {
		t.Errorf("unknown type: %v after %d bytes", err, cr.n)
	}

	// The web layer's body limit, before the type could be seen: both named.
	_, err = s.Put(&cutReader{}, "a")
	e, _ = apperr.As(err)
	if code(err) != "document.too_large" || !strings.Contains(e.Text.ID, "foto (JPG atau PNG) paling besar 1,5 MB, PDF paling besar 5 MB") {
		t.Errorf("cut before the type: %v", err)
	}
}

func TestUploadLimitIsTheLargerOfTheTwoLimits(t *testing.T) {
	for _, c := range []struct {
		store *Store
		want  int64
	}{
		{&Store{}, DefaultMaxImageBytes},
		{&Store{MaxBytes: 30 << 20}, 30 << 20},
		{&Store{MaxBytes: 2 << 20, MaxImageBytes: 8 << 20}, 8 << 20},
		{&Store{MaxBytes: 10 << 20, MaxImageBytes: 8 << 20}, 10 << 20},
	} {
		if got := c.store.UploadLimit(); got != c.want {
			t.Errorf("MaxBytes %d, MaxImageBytes %d: UploadLimit %d, want %d", c.store.MaxBytes, c.store.MaxImageBytes, got, c.want)
		}
	}
	s, err := NewStore(t.TempDir(), 40<<20)
	if err != nil {
		t.Fatal(err)
	}
	if s.MaxImageBytes != 40<<20 || s.UploadLimit() != 40<<20 {
		t.Errorf("NewStore with 40 MB: images %d, upload %d", s.MaxImageBytes, s.UploadLimit())
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// cutReader fails like a body cut by http.MaxBytesReader before any byte.
type cutReader struct{}

func (cutReader) Read([]byte) (int, error) { return 0, &http.MaxBytesError{Limit: 0} }
