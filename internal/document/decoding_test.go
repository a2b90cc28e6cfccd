package document

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"
)

// holdDecoding makes s's decodes stop in decodingHook until release is closed,
// and reports each one that starts on started.
func holdDecoding(s *Store) (started chan string, release chan struct{}) {
	started, release = make(chan string, 100), make(chan struct{})
	s.decodingHook = func(ctype string) {
		started <- ctype
		<-release
	}
	return started, release
}

func waitFor[T any](t *testing.T, c <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(20 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

func TestAnUploadIsReadWhileAnotherIsBeingDecoded(t *testing.T) {
	s := newStore(t, 0)
	s.MaxDecoding = 1
	started, release := holdDecoding(s)

	first := make(chan error, 1)
	go func() {
		_, err := s.Put(bytes.NewReader(encodeJPEG(t, photo(64, 48), 90)), "a.jpg")
		first <- err
	}()
	waitFor(t, started, "the first decode")

	// The second upload arrives slowly, larger than what is kept in memory.
	// Every chunk is taken by Put while the only slot is held: reading needs none.
	jpg := encodeJPEG(t, photo(1800, 1400), 95)
	if len(jpg) <= inMemory {
		t.Fatalf("second upload of %d bytes would not be spooled", len(jpg))
	}
	pr, pw := io.Pipe()
	second := make(chan error, 1)
	go func() {
		_, err := s.Put(pr, "b.jpg")
		second <- err
	}()
	sent := make(chan error, 1)
	go func() {
		for b := jpg; len(b) > 0; {
			n := min(len(b), 64<<10)
			if _, err := pw.Write(b[:n]); err != nil {
				sent <- err
				return
			}
			b = b[n:]
		}
		sent <- pw.Close()
	}()
	if err := waitFor(t, sent, "the second upload to be read"); err != nil {
		t.Fatal(err)
	}

	// Read in full, it waits for the slot, holding no file under Root.
	select {
	case ctype := <-started:
		t.Fatalf("a second decode (%s) started while the only slot was held", ctype)
	case err := <-second:
		t.Fatalf("the second upload finished without a slot: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	if n := countFiles(t, s.Root); n != 0 && runtime.GOOS != "windows" {
		t.Errorf("%d files under Root while uploads wait (the spool should be unlinked)", n)
	}

	close(release)
	if err := waitFor(t, first, "the first upload"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, started, "the second decode")
	if err := waitFor(t, second, "the second upload"); err != nil {
		t.Fatal(err)
	}
	if n := countFiles(t, s.Root); n != 2 {
		t.Errorf("%d files on disk, want the 2 stored", n)
	}
}

func TestAtMostMaxDecodingUploadsAreCheckedAtOnce(t *testing.T) {
	s := newStore(t, 0)
	s.MaxDecoding = 2
	var (
		mu                  sync.Mutex
		inside, peak, total int
	)
	arrived, gate := make(chan struct{}, 100), make(chan struct{})
	s.decodingHook = func(string) {
		mu.Lock()
		inside++
		peak, total = max(peak, inside), total+1
		mu.Unlock()
		arrived <- struct{}{}
		<-gate
		mu.Lock()
		inside--
		mu.Unlock()
	}
	uploads := [][]byte{
		encodeJPEG(t, photo(40, 30), 80), encodePNG(t, photo(40, 30)), minimalPDF,
		encodeJPEG(t, photo(30, 40), 80), encodePNG(t, photo(30, 40)), minimalPDF,
	}
	var wg sync.WaitGroup
	for i, data := range uploads {
		wg.Go(func() {
			if _, err := s.Put(bytes.NewReader(data), "a"); err != nil {
				t.Errorf("upload %d: %v", i, err)
			}
		})
	}
	waitFor(t, arrived, "a first check")
	waitFor(t, arrived, "a second check")
	time.Sleep(100 * time.Millisecond) // a third would arrive now if it could
	mu.Lock()
	if inside != 2 {
		t.Errorf("%d checks at once, want 2", inside)
	}
	mu.Unlock()
	close(gate)
	wg.Wait()
	if peak != 2 || total != len(uploads) {
		t.Errorf("at most %d checks at once of %d, want 2 of %d", peak, total, len(uploads))
	}
}

func TestPutContextStopsWaitingWhenTheClientHasGone(t *testing.T) {
	s := newStore(t, 0)
	s.MaxDecoding = 1
	started, release := holdDecoding(s)
	first := make(chan error, 1)
	go func() {
		_, err := s.Put(bytes.NewReader(minimalPDF), "a.pdf")
		first <- err
	}()
	waitFor(t, started, "the first check")

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	big := encodeJPEG(t, photo(1800, 1400), 95) // spooled while it waits
	go func() {
		_, err := s.PutContext(ctx, bytes.NewReader(big), "b.jpg")
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	if err := waitFor(t, done, "PutContext to give up"); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if n := countFiles(t, s.Root); n != 0 {
		t.Errorf("%d files left by the upload that gave up", n)
	}
	close(release)
	if err := waitFor(t, first, "the first upload"); err != nil {
		t.Fatal(err)
	}
}

func TestALargeUploadLeavesNoTemporaryFile(t *testing.T) {
	s := newStore(t, 0)
	big := encodeJPEG(t, photo(1800, 1400), 95)
	if _, err := s.Put(bytes.NewReader(big), "a.jpg"); err != nil {
		t.Fatal(err)
	}
	// Refused after spooling: over the limit, and damaged.
	s.MaxImageBytes = int64(len(big)) - 1
	if _, err := s.Put(bytes.NewReader(big), "a.jpg"); code(err) != "document.too_large" {
		t.Errorf("over the limit: %v", err)
	}
	s.MaxImageBytes = 0
	if _, err := s.Put(bytes.NewReader(big[:len(big)-len(big)/3]), "a.jpg"); code(err) != "document.damaged" {
		t.Errorf("cut off: %v", err)
	}
	if n := countFiles(t, s.Root); n != 1 {
		t.Errorf("%d files on disk, want the 1 stored", n)
	}
}
