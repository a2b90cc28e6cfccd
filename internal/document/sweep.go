package document

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// SweepBatch is how many keys Sweep asks its referenced callback about at once:
// one database query per batch, with a parameter list every engine accepts.
const SweepBatch = 500

// MinSweepAge is the smallest olderThan Sweep accepts: below it, a file just
// written for an upload whose row is not yet committed could be taken for an
// orphan.
const MinSweepAge = time.Minute

// Sweep removes what crashes and failed intakes leave under Root, once it is
// older than olderThan:
//
//   - temporary files (".tmp-…") of a write or an upload that never finished,
//     in the shard directories and directly under Root;
//   - stored files whose key no row references. referenced is called with
//     batches of at most SweepBatch keys and returns those of them that are
//     still referenced; a nil referenced removes temporary files only.
//
// Put writes a document's file before its row is committed, so the age is
// what protects an upload in flight: olderThan must be at least MinSweepAge,
// and an hour or a day leaves room for anything. Keys are never reused, so a
// file that old cannot gain a reference while Sweep runs.
//
// Only regular files named as Store names them, in directories named as Store
// names them, are considered: symbolic links are not followed (nor removed),
// anything else is left alone, and every access goes through os.Root. Sweep
// stops at the first error and reports how many files it had removed.
func (s *Store) Sweep(olderThan time.Duration, referenced func(keys []string) (map[string]bool, error)) (removed int, err error) {
	if olderThan < MinSweepAge {
		return 0, fmt.Errorf("document: Sweep of files younger than %v would remove uploads in flight", MinSweepAge)
	}
	root, err := os.OpenRoot(s.Root)
	if err != nil {
		return 0, fmt.Errorf("document: %w", err)
	}
	defer root.Close()
	sw := &sweeper{root: root, cutoff: time.Now().Add(-olderThan), referenced: referenced}
	err = sw.walk()
	if err == nil {
		err = sw.flush()
	}
	return sw.removed, err
}

type sweeper struct {
	root       *os.Root
	cutoff     time.Time
	referenced func([]string) (map[string]bool, error)
	batch      []string // old stored keys waiting to be asked about
	removed    int
}

func (sw *sweeper) walk() error {
	top, err := readDir(sw.root, ".")
	if err != nil {
		return err
	}
	for _, e := range top {
		switch {
		case e.Type().IsRegular() && strings.HasPrefix(e.Name(), tmpPrefix):
			if err := sw.removeIfOld(e.Name()); err != nil {
				return err
			}
		case e.IsDir() && isShard(e.Name()):
			subs, err := readDir(sw.root, e.Name())
			if err != nil {
				return err
			}
			for _, sub := range subs {
				if !sub.IsDir() || !isShard(sub.Name()) {
					continue
				}
				if err := sw.shard(e.Name(), sub.Name()); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// shard looks at the files of directory a/b.
func (sw *sweeper) shard(a, b string) error {
	dir := filepath.Join(a, b)
	files, err := readDir(sw.root, dir)
	if err != nil {
		return err
	}
	for _, f := range files {
		name := f.Name()
		if !f.Type().IsRegular() {
			continue
		}
		switch {
		case strings.HasPrefix(name, tmpPrefix):
			if err := sw.removeIfOld(filepath.Join(dir, name)); err != nil {
				return err
			}
		case validKey(name) && name[:2] == a && name[2:4] == b && sw.referenced != nil:
			old, err := sw.old(filepath.Join(dir, name))
			if err != nil {
				return err
			}
			if !old {
				continue
			}
			if sw.batch = append(sw.batch, name); len(sw.batch) == SweepBatch {
				if err := sw.flush(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// flush asks which keys of the batch are referenced and removes the others.
func (sw *sweeper) flush() error {
	if len(sw.batch) == 0 {
		return nil
	}
	keys := sw.batch
	sw.batch = nil
	refs, err := sw.referenced(keys)
	if err != nil {
		return fmt.Errorf("document: which stored files are referenced: %w", err)
	}
	for _, key := range keys {
		if !refs[key] {
			if err := sw.remove(filepath.Join(shardDir(key), key)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (sw *sweeper) old(name string) (bool, error) {
	fi, err := sw.root.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil // removed meanwhile
	}
	if err != nil {
		return false, fmt.Errorf("document: %w", err)
	}
	return fi.Mode().IsRegular() && fi.ModTime().Before(sw.cutoff), nil
}

func (sw *sweeper) removeIfOld(name string) error {
	old, err := sw.old(name)
	if err != nil || !old {
		return err
	}
	return sw.remove(name)
}

func (sw *sweeper) remove(name string) error {
	err := sw.root.Remove(name)
	switch {
	case err == nil:
		sw.removed++
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("document: %w", err)
	}
	return nil
}

func readDir(root *os.Root, dir string) ([]fs.DirEntry, error) {
	d, err := root.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("document: %w", err)
	}
	defer d.Close()
	entries, err := d.ReadDir(-1)
	if err != nil {
		return nil, fmt.Errorf("document: %w", err)
	}
	return entries, nil
}

// isShard reports whether name is a shard directory's: two lowercase hex digits.
func isShard(name string) bool { return len(name) == 2 && lowerHex(name) }
