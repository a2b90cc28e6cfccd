package document

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// plant writes a file under the store's root at rel, aged by age.
func plant(t *testing.T, dir, rel string, age time.Duration) string {
	t.Helper()
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	when := time.Now().Add(-age)
	if err := os.Chtimes(p, when, when); err != nil {
		t.Fatal(err)
	}
	return p
}

func stored(key string) string { return filepath.Join(key[:2], key[2:4], key) }

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func TestSweepRemovesOldLeftoversAndUnreferencedFilesOnly(t *testing.T) {
	s := newStore(t, 0)
	const day = 24 * time.Hour
	keys := map[string]string{
		"old referenced":   "aa000000000000000000000000000001",
		"old orphan":       "aa000000000000000000000000000002",
		"fresh orphan":     "ab000000000000000000000000000003", // its row not yet committed
		"fresh referenced": "ab000000000000000000000000000004",
	}
	paths := map[string]string{
		"old referenced":      plant(t, s.Root, stored(keys["old referenced"]), 2*day),
		"old orphan":          plant(t, s.Root, stored(keys["old orphan"]), 2*day),
		"fresh orphan":        plant(t, s.Root, stored(keys["fresh orphan"]), time.Minute),
		"fresh referenced":    plant(t, s.Root, stored(keys["fresh referenced"]), 0),
		"old tmp in a shard":  plant(t, s.Root, filepath.Join("aa", "00", ".tmp-0123"), 2*day),
		"fresh tmp (writing)": plant(t, s.Root, filepath.Join("aa", "00", ".tmp-4567"), 0),
		"old tmp under Root":  plant(t, s.Root, ".tmp-89ab", 2*day),
		"old foreign file":    plant(t, s.Root, filepath.Join("aa", "00", "catatan.txt"), 2*day),
		"old key, wrong dir":  plant(t, s.Root, filepath.Join("aa", "00", "ff000000000000000000000000000005"), 2*day),
		"old, not a shard":    plant(t, s.Root, filepath.Join("backup", "00", "aa000000000000000000000000000006"), 2*day),
	}
	// A real upload, as Put leaves it: fresh, referenced or not, it stays.
	up, err := s.Put(bytes.NewReader(minimalPDF), "a.pdf")
	if err != nil {
		t.Fatal(err)
	}

	var asked []string
	removed, err := s.Sweep(day, func(batch []string) (map[string]bool, error) {
		asked = append(asked, batch...)
		return map[string]bool{keys["old referenced"]: true, keys["fresh referenced"]: true}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	gone := map[string]bool{"old orphan": true, "old tmp in a shard": true, "old tmp under Root": true}
	for what, p := range paths {
		if exists(p) == gone[what] {
			t.Errorf("%s: exists %v, want %v", what, exists(p), !gone[what])
		}
	}
	if removed != len(gone) {
		t.Errorf("removed %d, want %d", removed, len(gone))
	}
	if !exists(filepath.Join(s.Root, stored(up.Key))) {
		t.Error("the fresh upload was removed")
	}
	// Only old stored files are asked about: the fresh ones are safe anyway.
	slices.Sort(asked)
	if want := []string{keys["old referenced"], keys["old orphan"]}; !slices.Equal(asked, want) {
		t.Errorf("asked about %v, want %v", asked, want)
	}
}

func TestSweepAsksInBatches(t *testing.T) {
	s := newStore(t, 0)
	const n = 2*SweepBatch + 7
	for i := range n {
		plant(t, s.Root, stored(fmt.Sprintf("%02x%030x", i%3, i)), time.Hour)
	}
	var sizes []int
	seen := map[string]bool{}
	removed, err := s.Sweep(time.Minute, func(batch []string) (map[string]bool, error) {
		sizes = append(sizes, len(batch))
		refs := map[string]bool{}
		for _, k := range batch {
			if seen[k] {
				t.Errorf("%s asked twice", k)
			}
			seen[k] = true
			if k[31] == '0' { // every sixteenth, say, is referenced
				refs[k] = true
			}
		}
		return refs, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != n || slices.Max(sizes) > SweepBatch || len(sizes) != 3 {
		t.Errorf("asked about %d keys in batches of %v", len(seen), sizes)
	}
	referenced := 0
	for k := range seen {
		if k[31] == '0' {
			referenced++
		}
	}
	if removed != n-referenced || countFiles(t, s.Root) != referenced {
		t.Errorf("removed %d, %d left; want %d removed", removed, countFiles(t, s.Root), n-referenced)
	}
}

func TestSweepTouchesNothingOutsideRoot(t *testing.T) {
	s := newStore(t, 0)
	outside := t.TempDir()
	const day = 24 * time.Hour
	// An old orphan-looking file outside Root, reached by a link named like
	// a stored file, and a shard directory that is a link to a directory
	// outside Root holding old files named like stored ones.
	target := plant(t, outside, "passwd", 2*day)
	plant(t, outside, filepath.Join("00", "cc000000000000000000000000000001"), 2*day)
	plant(t, outside, filepath.Join("00", ".tmp-1"), 2*day)
	link := filepath.Join(s.Root, "bb", "00", "bb000000000000000000000000000001")
	os.MkdirAll(filepath.Dir(link), 0o700)
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(s.Root, "cc"), 0o700)
	if err := os.Symlink(filepath.Join(outside, "00"), filepath.Join(s.Root, "cc", "00")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(s.Root, "dd")); err != nil {
		t.Fatal(err)
	}
	plant(t, outside, ".tmp-2", 2*day)
	if err := os.Symlink(filepath.Join(outside, ".tmp-2"), filepath.Join(s.Root, ".tmp-link")); err != nil {
		t.Fatal(err)
	}

	removed, err := s.Sweep(day, func([]string) (map[string]bool, error) { return nil, nil })
	if err != nil || removed != 0 {
		t.Fatalf("removed %d: %v", removed, err)
	}
	for _, p := range []string{
		target, link, filepath.Join(outside, "00", "cc000000000000000000000000000001"),
		filepath.Join(outside, "00", ".tmp-1"), filepath.Join(outside, ".tmp-2"), filepath.Join(s.Root, ".tmp-link"),
	} {
		if !exists(p) {
			t.Errorf("%s was removed", p)
		}
	}
}

func TestSweepStopsWhenTheReferencesCannotBeRead(t *testing.T) {
	s := newStore(t, 0)
	p := plant(t, s.Root, stored("ee000000000000000000000000000001"), time.Hour)
	down := errors.New("database is down")
	if _, err := s.Sweep(time.Minute, func([]string) (map[string]bool, error) { return nil, down }); !errors.Is(err, down) {
		t.Errorf("got %v", err)
	}
	if !exists(p) {
		t.Error("a file was removed though its references could not be read")
	}
	// Without a callback, only temporary files go.
	tmp := plant(t, s.Root, filepath.Join("ee", "00", ".tmp-1"), time.Hour)
	if n, err := s.Sweep(time.Minute, nil); err != nil || n != 1 || exists(tmp) || !exists(p) {
		t.Errorf("nil callback: removed %d, %v", n, err)
	}
}

func TestSweepRefusesACutoffThatWouldCatchUploadsInFlight(t *testing.T) {
	s := newStore(t, 0)
	p := plant(t, s.Root, stored("ef000000000000000000000000000001"), 30*time.Second)
	for _, d := range []time.Duration{0, -time.Hour, 30 * time.Second} {
		if _, err := s.Sweep(d, func([]string) (map[string]bool, error) { return nil, nil }); err == nil {
			t.Errorf("Sweep(%v) ran", d)
		}
	}
	if !exists(p) {
		t.Error("removed")
	}
}
