package document

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
)

// Limits on decoded images, checked from the header before any pixel is decoded,
// so a small file cannot ask for gigabytes (a decompression bomb). A 600-dpi A4
// scan is 35 megapixels and phones save 12–50; at most 8 bytes a pixel (16-bit
// RGBA PNG), one decode holds at most 320 MB.
const (
	MaxSide   = 10000
	MaxPixels = 40_000_000
)

// JPEGQuality is the quality re-encoded JPEGs are written with.
const JPEGQuality = 85

var (
	pdfMagic  = []byte("%PDF-")
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte("\x89PNG\r\n\x1a\n")
)

// The format's own decoders are called, not image.Decode: image.Decode would
// accept any format some other package of the binary has registered.

func reencodeJPEG(data []byte) ([]byte, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, errDamaged
	}
	if err := checkDimensions(cfg); err != nil {
		return nil, err
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, errDamaged
	}
	// The EXIF block is dropped by re-encoding, and with it the orientation a
	// phone records instead of turning the pixels: apply it first, or every
	// portrait photo of a KTP would be stored lying on its side.
	img = orient(img, exifOrientation(data))
	var out bytes.Buffer
	out.Grow(len(data))
	if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: JPEGQuality}); err != nil {
		return nil, errDamaged
	}
	return out.Bytes(), nil
}

func reencodePNG(data []byte) ([]byte, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, errDamaged
	}
	if err := checkDimensions(cfg); err != nil {
		return nil, err
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, errDamaged
	}
	var out bytes.Buffer
	out.Grow(len(data))
	if err := png.Encode(&out, img); err != nil {
		return nil, errDamaged
	}
	return out.Bytes(), nil
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
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)

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
