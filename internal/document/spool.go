package document

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
)

// inMemory is how much of an upload is kept in memory while it waits for its
// checks; a larger one waits in a temporary file under Root, so that many
// uploads waiting for a decoding slot do not add up to gigabytes.
const inMemory = 1 << 20

// incoming is an upload read in full and within its type's limit, not yet
// checked.
type incoming struct {
	ctype string
	size  int64
	mem   []byte   // the upload, when it is at most inMemory bytes
	file  *os.File // else the upload, in a temporary file
	done  func()   // closes and removes the temporary file
}

// read sniffs the type of the upload from its first bytes and reads the rest
// up to that type's limit, so an oversized or unknown file is not read to its
// end.
func (s *Store) read(r io.Reader) (*incoming, error) {
	var head [8]byte // the longest signature, PNG's
	n, err := io.ReadFull(r, head[:])
	switch {
	case n == 0 && (err == nil || err == io.EOF):
		return nil, errEmpty
	case err == io.ErrUnexpectedEOF:
		// shorter than a PNG signature; sniffed below
	case err != nil:
		return nil, s.readError("", err)
	}
	ctype := sniff(head[:n])
	if ctype == "" {
		return nil, errType
	}
	limit := s.limitFor(ctype)
	body := io.MultiReader(bytes.NewReader(head[:n]), io.LimitReader(r, limit+1-int64(n)))
	mem, err := io.ReadAll(io.LimitReader(body, inMemory+1))
	switch {
	case err != nil:
		return nil, s.readError(ctype, err)
	case int64(len(mem)) > limit:
		return nil, s.errTooLarge(ctype)
	case len(mem) <= inMemory:
		return &incoming{ctype: ctype, size: int64(len(mem)), mem: mem}, nil
	}

	in := &incoming{ctype: ctype}
	if in.file, in.done, err = s.spool(); err != nil {
		return nil, err
	}
	if _, err := in.file.Write(mem); err != nil {
		in.close()
		return nil, fmt.Errorf("document: %w", err)
	}
	rest, err := io.Copy(in.file, body)
	in.size = int64(len(mem)) + rest
	switch {
	case err != nil:
		in.close()
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, s.errTooLarge(ctype)
		}
		return nil, fmt.Errorf("document: reading the upload: %w", err) // the connection's, or the disk's
	case in.size > limit:
		in.close()
		return nil, s.errTooLarge(ctype)
	}
	return in, nil
}

// spool creates a temporary file directly under Root. Where the system allows
// (not on Windows) its name is removed at once, so even a crash leaves nothing;
// elsewhere Sweep removes what a crash left.
func (s *Store) spool() (*os.File, func(), error) {
	root, err := os.OpenRoot(s.Root)
	if err != nil {
		return nil, nil, fmt.Errorf("document: %w", err)
	}
	name := tmpPrefix + randomHex()
	f, err := root.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		root.Close()
		return nil, nil, fmt.Errorf("document: %w", err)
	}
	if root.Remove(name) == nil {
		root.Close()
		return f, func() { f.Close() }, nil
	}
	return f, func() {
		f.Close()
		root.Remove(name)
		root.Close()
	}, nil
}

// readError turns a body cut off by http.MaxBytesReader into the refusal the
// user needs; any other failure to read is the connection's, not the file's.
func (s *Store) readError(ctype string, err error) error {
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return s.errTooLarge(ctype)
	}
	return fmt.Errorf("document: reading the upload: %w", err)
}

func sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, pdfMagic):
		return TypePDF
	case bytes.HasPrefix(head, jpegMagic):
		return TypeJPEG
	case bytes.HasPrefix(head, pngMagic):
		return TypePNG
	}
	return ""
}

// reader reads the upload from its start.
func (in *incoming) reader() io.Reader {
	if in.file == nil {
		return bytes.NewReader(in.mem)
	}
	return bufio.NewReaderSize(io.NewSectionReader(in.file, 0, in.size), 64<<10)
}

// bytes returns the whole upload.
func (in *incoming) bytes() ([]byte, error) {
	if in.file == nil {
		return in.mem, nil
	}
	b := make([]byte, in.size)
	if _, err := io.ReadFull(io.NewSectionReader(in.file, 0, in.size), b); err != nil {
		return nil, fmt.Errorf("document: reading back the upload: %w", err)
	}
	return b, nil
}

// head returns at most the first n bytes of the upload.
func (in *incoming) head(n int) []byte {
	if in.file == nil {
		return in.mem[:min(int64(n), in.size)]
	}
	b := make([]byte, min(int64(n), in.size))
	k, _ := io.ReadFull(io.NewSectionReader(in.file, 0, in.size), b)
	return b[:k]
}

func (in *incoming) close() {
	if in.done != nil {
		in.done()
		in.done = nil
	}
}
