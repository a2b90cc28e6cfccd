package print

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// QuietZone is the white margin around a QR code, in modules. ISO/IEC 18004
// asks for four; readers fail without it when the code sits near other ink.
const QuietZone = 4

// qrModules encodes text as a QR code (byte mode, error correction level M:
// 15% of the code may be soiled or folded and it still reads) and returns its
// modules, dark = true, without the quiet zone.
//
// We take the module matrix from go-qrcode and draw it ourselves rather than
// use its image writer: that way a module is always a whole number of pixels
// (or an exact rectangle in a PDF), and the writer's graphics dependencies stay
// out of the binary.
func qrModules(text string) ([][]bool, error) {
	if text == "" {
		return nil, errors.New("print: QR code of empty text")
	}
	q, err := qrcode.NewWith(text,
		qrcode.WithEncodingMode(qrcode.EncModeByte),
		qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, fmt.Errorf("print: QR code: %w", err)
	}
	var m matrixGrab
	if err := q.Save(&m); err != nil {
		return nil, fmt.Errorf("print: QR code: %w", err)
	}
	return m.bits, nil
}

// matrixGrab is a go-qrcode Writer that keeps the matrix.
type matrixGrab struct{ bits [][]bool }

func (g *matrixGrab) Write(m qrcode.Matrix) error { g.bits = m.Bitmap(); return nil }
func (g *matrixGrab) Close() error                { return nil }

// QRPNG returns a black-on-white PNG of a QR code of text, with a quiet zone
// of four modules on every side. Every module is the same whole number of
// pixels, so the code stays sharp: the image is the largest such square not
// wider than size pixels, or one pixel per module when size is smaller than
// the code (a URL of 60 characters needs about 41 modules with its quiet zone).
func QRPNG(text string, size int) ([]byte, error) {
	bits, err := qrModules(text)
	if err != nil {
		return nil, err
	}
	n := len(bits) + 2*QuietZone
	px := max(size/n, 1)
	img := image.NewGray(image.Rect(0, 0, n*px, n*px))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for y, row := range bits {
		for x, dark := range row {
			if !dark {
				continue
			}
			x0, y0 := (x+QuietZone)*px, (y+QuietZone)*px
			for dy := range px {
				for dx := range px {
					img.SetGray(x0+dx, y0+dy, color.Gray{})
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("print: QR PNG: %w", err)
	}
	return buf.Bytes(), nil
}
