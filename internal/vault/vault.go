// Package vault protects personal data at rest: NIKs are sealed with AES-256-GCM and
// found again through a keyed hash (HMAC-SHA256), so the database alone reveals
// neither the numbers nor, by guessing 16-digit numbers, which one a row holds.
//
// One 32-byte master key is the root; the sealing and hashing keys are derived
// from it with HKDF, each for its own purpose. The master key comes from
// configuration (ETALASE_DATA_KEY, base64) — required when several server
// processes share a PostgreSQL database — or is generated once into the data
// directory with 0600 permissions. Losing it loses every sealed NIK: back it up
// with the database, but never in the same place.
//
// A server must never seal with one key what it sealed before with another, and
// must never quietly generate a new key over data sealed with a lost one. So:
//
//   - Before Load, when no key is configured, KeyFileExists tells whether a key
//     file is there. If not and the database already holds sealed values (a data
//     directory restored without its keys/, a new server pointed at an existing
//     PostgreSQL), refuse to start instead of letting Load generate a new key.
//   - At the first start the server stores CheckValue in its database. At every
//     later start it compares: a different value means a different key (a wrong
//     ETALASE_DATA_KEY, another server's key file), and the server refuses to start
//     rather than seal new values that the old ones cannot be read beside.
//
// The check value is derived from the master key under its own HKDF label, so it
// identifies the key without revealing it or the sealing and hashing keys.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeyFile is where a generated master key is kept, inside the data directory.
const KeyFile = "keys/master.key"

// Vault seals and hashes personal data.
type Vault struct {
	aead    cipher.AEAD
	hashKey []byte
	check   string
}

// New derives a Vault from a 32-byte master key.
func New(master []byte) (*Vault, error) {
	if len(master) != 32 {
		return nil, fmt.Errorf("the data key must be 32 bytes, got %d", len(master))
	}
	sealKey, err := hkdf.Key(sha256.New, master, nil, "etalase seal v1", 32)
	if err != nil {
		return nil, err
	}
	hashKey, err := hkdf.Key(sha256.New, master, nil, "etalase lookup hash v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(sealKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	check, err := hkdf.Key(sha256.New, master, nil, "etalase key check v1", 8)
	if err != nil {
		return nil, err
	}
	return &Vault{aead: aead, hashKey: hashKey, check: hex.EncodeToString(check)}, nil
}

// CheckValue is a short fingerprint of the master key (16 hex digits) for the
// server to store in its database and compare at start-up; see the package
// comment. It is not secret, and the key cannot be recovered from it.
func (v *Vault) CheckValue() string { return v.check }

// KeyFileExists reports whether dataDir holds a key file, so that a server can
// tell, before Load would generate one, that its key is missing. It answers true
// when the file's presence cannot be checked (a permission problem, say): Load
// then reports what is wrong instead of a new key being assumed safe.
func KeyFileExists(dataDir string) bool {
	_, err := os.Stat(filepath.Join(dataDir, KeyFile))
	return !errors.Is(err, fs.ErrNotExist)
}

// Load returns the Vault for a data directory: from configured (base64 of 32
// bytes) when given, else from the key file, generating it on first use.
func Load(dataDir, configured string) (*Vault, error) {
	if configured != "" {
		k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(configured))
		if err != nil || len(k) != 32 {
			return nil, errors.New("ETALASE_DATA_KEY must be 32 random bytes in base64 (e.g. `head -c 32 /dev/urandom | base64`)")
		}
		return New(k)
	}
	path := filepath.Join(dataDir, KeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := generate(path); err != nil {
			return nil, err
		}
		// Ours or, if another process or goroutine won the race, theirs: either
		// way complete, since a key file only appears once it is written.
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the data key %s: %w", path, err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("the data key %s is readable by others (mode %v): run chmod 600 on it", path, fi.Mode().Perm())
	}
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(k) != 32 {
		return nil, fmt.Errorf("the data key %s is damaged: it must hold 32 bytes in base64", path)
	}
	return New(k)
}

// generate writes a new random key to path unless one is there already. The key
// is written to a temporary file and synced, then published under its name with a
// hard link, which fails if the name exists: several servers starting together on
// an empty data directory agree on one key, and none can read a half-written file.
func generate(path string) error {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".new-*") // mode 0600
	if err != nil {
		return fmt.Errorf("cannot write the data key in %s: %w", dir, err)
	}
	tmp := f.Name()
	// Once linked the key lives on under path; unlinked, it was never used.
	defer os.Remove(tmp)
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cannot write the data key in %s: %w", dir, err)
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil // another Load published its key first
		}
		return fmt.Errorf("cannot create the data key %s: %w", path, err)
	}
	// Make the new name itself survive a power cut, so the server does not come
	// back with no key file while the database already holds sealed values.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// Seal encrypts plain. context binds the ciphertext to where it belongs (e.g.
// "business.nik"): a sealed value copied into another column will not open.
func (v *Vault) Seal(plain []byte, context string) []byte {
	nonce := make([]byte, v.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err) // crypto/rand never fails on supported systems
	}
	return v.aead.Seal(nonce, nonce, plain, []byte(context))
}

// ErrDamaged means a sealed value could not be opened: wrong key, wrong context,
// or altered bytes.
var ErrDamaged = errors.New("sealed value cannot be opened (wrong key or altered data)")

// Open decrypts what Seal produced with the same context.
func (v *Vault) Open(sealed []byte, context string) ([]byte, error) {
	n := v.aead.NonceSize()
	if len(sealed) < n+v.aead.Overhead() {
		return nil, ErrDamaged
	}
	plain, err := v.aead.Open(nil, sealed[:n], sealed[n:], []byte(context))
	if err != nil {
		return nil, ErrDamaged
	}
	return plain, nil
}

// Hash is the keyed lookup hash of value within a purpose (e.g. "nik"), hex.
func (v *Vault) Hash(purpose, value string) string {
	m := hmac.New(sha256.New, v.hashKey)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}
