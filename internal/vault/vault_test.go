package vault

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
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

func TestConcurrentFirstLoadsAgreeOnOneKey(t *testing.T) {
	dir := t.TempDir()
	const n = 800
	// Many more threads than cores, so that Loads are preempted in the middle of
	// their file calls, where the race lies (the old Load failed 8 runs in 10).
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(64))
	vaults := make([]*Vault, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			vaults[i], errs[i] = Load(dir, "")
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Load %d of %d: %v", i, n, err)
		}
	}
	nik := []byte("3578014107900001")
	for i, v := range vaults {
		next := vaults[(i+1)%n]
		if got, err := next.Open(v.Seal(nik, "business.nik"), "business.nik"); err != nil || !bytes.Equal(got, nik) {
			t.Fatalf("vault %d cannot open what vault %d sealed: %v", (i+1)%n, i, err)
		}
	}
	// Only the key file is left: the losers' temporary files are gone.
	ents, err := os.ReadDir(filepath.Join(dir, filepath.Dir(KeyFile)))
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 || ents[0].Name() != filepath.Base(KeyFile) {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Fatalf("keys directory holds %v, want only %s", names, filepath.Base(KeyFile))
	}
}

func TestCheckValueIdentifiesTheKeyWithoutRevealingIt(t *testing.T) {
	dir := t.TempDir()
	v, err := Load(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	cv := v.CheckValue()
	if len(cv) != 16 || strings.Trim(cv, "0123456789abcdef") != "" {
		t.Fatalf("check value %q, want 16 hex digits", cv)
	}
	// The same key, from the file again or configured, gives the same value.
	again, _ := Load(dir, "")
	b, err := os.ReadFile(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	configured, err := Load(t.TempDir(), string(b))
	if err != nil {
		t.Fatal(err)
	}
	if again.CheckValue() != cv || configured.CheckValue() != cv {
		t.Fatalf("the same key gave check values %s, %s and %s", cv, again.CheckValue(), configured.CheckValue())
	}
	other, _ := Load(t.TempDir(), "")
	if other.CheckValue() == cv {
		t.Fatal("another key has the same check value")
	}
	// Derived under its own label: not a piece of the key, nor of the keys
	// derived for sealing and hashing.
	master, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	for _, label := range []string{"etalase seal v1", "etalase lookup hash v1"} {
		k, _ := hkdf.Key(sha256.New, master, nil, label, 32)
		if strings.Contains(hex.EncodeToString(k), cv) {
			t.Fatalf("the check value is part of the %q key", label)
		}
	}
	if strings.Contains(hex.EncodeToString(master), cv) {
		t.Fatal("the check value is part of the master key")
	}
}

func TestKeyFileExistsTellsAMissingKeyBeforeLoadMakesOne(t *testing.T) {
	dir := t.TempDir()
	if KeyFileExists(dir) {
		t.Fatal("a fresh data directory has a key file")
	}
	k := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	if _, err := Load(dir, k); err != nil {
		t.Fatal(err)
	}
	if KeyFileExists(dir) {
		t.Fatal("a configured key was written to a file")
	}
	if _, err := Load(dir, ""); err != nil {
		t.Fatal(err)
	}
	if !KeyFileExists(dir) {
		t.Fatal("no key file after Load generated one")
	}
}
