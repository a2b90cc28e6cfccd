package vault

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealedNIKOpensOnlyWithTheSameKeyAndContext(t *testing.T) {
	dir := t.TempDir()
	v, err := Load(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	nik := []byte("3578014107900001")
	sealed := v.Seal(nik, "business.nik")
	if bytes.Contains(sealed, nik) {
		t.Fatal("the sealed value contains the NIK in clear")
	}
	if got, err := v.Open(sealed, "business.nik"); err != nil || !bytes.Equal(got, nik) {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := v.Open(sealed, "other.column"); err != ErrDamaged {
		t.Fatalf("opened under another context: %v", err)
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := v.Open(sealed, "business.nik"); err != ErrDamaged {
		t.Fatalf("opened altered bytes: %v", err)
	}
	// The same key file gives the same vault; another key does not open it.
	again, err := Load(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if v.Hash("nik", string(nik)) != again.Hash("nik", string(nik)) {
		t.Fatal("the lookup hash changed across restarts")
	}
	other, _ := Load(t.TempDir(), "")
	if _, err := other.Open(v.Seal(nik, "x"), "x"); err != ErrDamaged {
		t.Fatal("another key opened the value")
	}
	if other.Hash("nik", string(nik)) == v.Hash("nik", string(nik)) {
		t.Fatal("the lookup hash does not depend on the key")
	}
	if v.Hash("nik", "a") == v.Hash("nib", "a") {
		t.Fatal("the lookup hash does not depend on the purpose")
	}
}

func TestGeneratedKeyFileIsPrivateAndAnOpenOneIsRefused(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir, ""); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, KeyFile)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir, ""); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a world-readable key was accepted: %v", err)
	}
}

func TestConfiguredKeyWinsAndABadOneIsExplained(t *testing.T) {
	k := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	a, err := Load(t.TempDir(), k)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Load(t.TempDir(), k)
	if a.Hash("nik", "x") != b.Hash("nik", "x") {
		t.Fatal("two processes with the same configured key disagree")
	}
	if _, err := Load(t.TempDir(), "pendek"); err == nil || !strings.Contains(err.Error(), "32 random bytes") {
		t.Fatalf("bad key: %v", err)
	}
}
