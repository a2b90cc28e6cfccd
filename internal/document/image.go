package document

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"

	xdraw "golang.org/x/image/draw"
)

// Limits on decoded images, checked from the header before any pixel is decoded,
// so a small file cannot ask for gigabytes (a decompression bomb). A 600-dpi A4
// scan is 35 megapixels and phones save 12–50; at most 8 bytes a pixel (16-bit
// RGBA PNG), one decode holds at most 320 MB.
const (
	MaxSide   = 10000
	MaxPixels = 40_000_000
)

// MaxStoredSide is the longest side, in pixels, of a stored image. A larger one
// is made smaller, keeping its proportions: 2000 pixels show a KTP's smallest
// print and a product's texture on any screen a verifier or curator uses, and
// a 4000×3000 phone photo stored at 2000×1500 is about a quarter of the bytes.
const MaxStoredSide = 2000

// JPEGQuality is the quality re-encoded JPEGs are written with.
const JPEGQuality = 85

// jpegQualities are tried in turn until a re-encoded image fits MaxBytes. Below
// 50 the small print on a KTP or certificate starts to blur into its blocks.
var jpegQualities = []int{JPEGQuality, 75, 65, 50}

var (
	pdfMagic  = []byte("%PDF-")
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte("\x89PNG\r\n\x1a\n")
)

// The format's own decoders are called, not image.Decode: image.Decode would
// accept any format some other package of the binary has registered.
//
// Memory: a 12-megapixel phone JPEG decodes to 18 MB (YCbCr 4:2:0), is made
// smaller into a 2000×1500 RGBA of 12 MB (and 12 MB more when it has to be
// turned upright), and is encoded into about 1 MB: BenchmarkPutJPEG allocates
// 34 MB for one upright and 46 MB for one turned, where re-encoding at full
// size allocated 33 MB and 129 MB (two full-size RGBA copies of 48 MB to turn
// it). The largest image accepted (MaxPixels) holds at most 320 MB while it is
// decoded, and MaxDecoding bounds how many are decoded at once.

func reencodeJPEG(in *incoming, maxBytes int64) ([]byte, error) {
	cfg, err := jpeg.DecodeConfig(in.reader())
	if err != nil {
		return nil, errDamaged
	}
	if err := checkDimensions(cfg); err != nil {
		return nil, err
	}
	img, err := jpeg.Decode(in.reader())
	if err != nil {
		return nil, errDamaged
	}
	// The EXIF block is dropped by re-encoding, and with it the orientation a
	// phone records instead of turning the pixels: apply it, or every portrait
	// photo of a KTP would be stored lying on its side. It is applied after
	// shrinking, where there are a quarter of the pixels to move.
	img = prepare(img, exifOrientation(in.head(exifHead)))
	out, ok := encodeJPEGWithin(img, maxBytes)
	if !ok {
		return nil, errStoredTooLarge(maxBytes)
	}
	return out, nil
}

// reencodePNG stores a PNG as a PNG when it fits maxBytes. One that does not —
// a full-page screenshot, a photo saved as PNG — is stored as a JPEG when it
// is opaque, which loses nothing a reader of the document needs; a transparent
// one is refused, since a JPEG would paint its background black.
func reencodePNG(in *incoming, maxBytes int64) (string, []byte, error) {
	cfg, err := png.DecodeConfig(in.reader())
	if err != nil {
		return "", nil, errDamaged
	}
	if err := checkDimensions(cfg); err != nil {
		return "", nil, err
	}
	img, err := png.Decode(in.reader())
	if err != nil {
		return "", nil, errDamaged
	}
	img = prepare(img, 1)
	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		return "", nil, errDamaged
	}
	if int64(out.Len()) <= maxBytes {
		return TypePNG, out.Bytes(), nil
	}
	if o, ok := img.(interface{ Opaque() bool }); !ok || !o.Opaque() {
		return "", nil, errTransparentTooLarge(maxBytes)
	}
	jpg, ok := encodeJPEGWithin(img, maxBytes)
	if !ok {
		return "", nil, errStoredTooLarge(maxBytes)
	}
	return TypeJPEG, jpg, nil
}

// encodeJPEGWithin encodes img at the first of jpegQualities whose result fits
// maxBytes.
func encodeJPEGWithin(img image.Image, maxBytes int64) ([]byte, bool) {
	var out bytes.Buffer
	for _, q := range jpegQualities {
		out.Reset()
		if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: q}); err != nil {
			return nil, false
		}
		if int64(out.Len()) <= maxBytes {
			return out.Bytes(), true
		}
	}
	return nil, false
}

// prepare makes img at most MaxStoredSide pixels a side and turns it as EXIF
// orientation o asks. A grey image (a scan) stays grey, a third of the bytes of
// colour.
func prepare(img image.Image, o int) image.Image {
	out := orient(shrink(img), o)
	if out != img && isGray(img) {
		out = toGray(out)
	}
	return out
}

// storedSize is the size an image of w×h pixels is stored at.
func storedSize(w, h int) (int, int) {
	long := max(w, h)
	if long <= MaxStoredSide {
		return w, h
	}
	// Rounded, and never below one pixel for a long, thin image.
	return max(1, (w*MaxStoredSide+long/2)/long), max(1, (h*MaxStoredSide+long/2)/long)
}

// shrink returns img at storedSize, as an RGBA, or img itself when it is small
// enough.
//
// ApproxBiLinear is used, in steps: while more than half the size has to go
// the image is halved, where ApproxBiLinear averages exactly each 2×2 block (a
// box filter), and the last step takes away less than half, where its four
// taps cover every source pixel, so nothing aliases. Measured on this project's
// 2-core machine, a 4000×3000 photo to 2000×1500: ApproxBiLinear 85 ms,
// BiLinear 480 ms, CatmullRom 710 ms, more than the whole decode. On a fine
// test pattern at a quarter of its size the steps stay within 0.5 dB of an
// exact box average (53 dB PSNR), where a single ApproxBiLinear step falls to
// 16.5 dB (visible moiré) and CatmullRom reaches 25 dB against that average
// for 5× the time; on photos the difference between the steps and CatmullRom
// is not visible.
func shrink(img image.Image) image.Image {
	b := img.Bounds()
	w, h := storedSize(b.Dx(), b.Dy())
	if w == b.Dx() && h == b.Dy() {
		return img
	}
	src, sr := img, b
	for sr.Dx() > 2*w || sr.Dy() > 2*h {
		half := image.NewRGBA(image.Rect(0, 0, (sr.Dx()+1)/2, (sr.Dy()+1)/2))
		xdraw.ApproxBiLinear.Scale(half, half.Rect, src, sr, xdraw.Src, nil)
		src, sr = half, half.Rect
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.ApproxBiLinear.Scale(dst, dst.Rect, src, sr, xdraw.Src, nil)
	return dst
}

func isGray(img image.Image) bool {
	switch img.(type) {
	case *image.Gray, *image.Gray16:
		return true
	}
	return false
}

// toGray turns a grey picture that was drawn into colour back to grey.
func toGray(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(b)
	if m, ok := img.(*image.RGBA); ok {
		for y := b.Min.Y; y < b.Max.Y; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, y):]
			out := g.Pix[g.PixOffset(b.Min.X, y):]
			for x := 0; x < b.Dx(); x++ {
				out[x] = row[4*x] // R = G = B in a grey picture
			}
		}
		return g
	}
	draw.Draw(g, b, img, b.Min, draw.Src)
	return g
}

func checkDimensions(c image.Config) error {
	if c.Width <= 0 || c.Height <= 0 {
		return errDamaged
	}
	if c.Width > MaxSide || c.Height > MaxSide || int64(c.Width)*int64(c.Height) > MaxPixels {
		return errDimensions
	}
	return nil
}

// exifHead is how much of a JPEG's start exifOrientation is given: the EXIF
// block is at most 64 KB and comes first or after a JFIF or ICC segment.
const exifHead = 256 << 10

// exifOrientation returns the EXIF Orientation (1–8) of a JPEG, or 1 when there
// is none or the EXIF block is malformed. Only the markers before the image data
// are read, each bounds-checked.
func exifOrientation(data []byte) int {
	i := 2 // after SOI
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return 1
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF header.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:]) != 42 {
		return 1
	}
	off := int64(bo.Uint32(t[4:]))
	if off+2 > int64(len(t)) {
		return 1
	}
	count := int64(bo.Uint16(t[off:]))
	for e := off + 2; e+12 <= int64(len(t)) && count > 0; e, count = e+12, count-1 {
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 { // Orientation, SHORT
			if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// orient turns and flips img as EXIF orientation o asks, so it displays upright
// without the tag.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	src, ok := img.(*image.RGBA)
	if !ok || b.Min != (image.Point{}) {
		src = image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)
	}

	dw, dh := w, h
	if o >= 5 { // 5–8 swap the sides
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		for x := 0; x < dw; x++ {
			var sx, sy int
			switch o {
			case 2: // mirrored
				sx, sy = w-1-x, y
			case 3: // upside down
				sx, sy = w-1-x, h-1-y
			case 4: // mirrored upside down
				sx, sy = x, h-1-y
			case 5: // transposed
				sx, sy = y, x
			case 6: // turn 90° clockwise
				sx, sy = y, h-1-x
			case 7: // transverse
				sx, sy = w-1-y, h-1-x
			case 8: // turn 90° anticlockwise
				sx, sy = w-1-y, x
			}
			copy(dst.Pix[dst.PixOffset(x, y):][:4], src.Pix[src.PixOffset(sx, sy):][:4])
		}
	}
	return dst
}
