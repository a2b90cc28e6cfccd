package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/demo"
)

// syncBuffer is a bytes.Buffer safe to read while the server writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runCmd runs the command line and returns exit code, stdout and stderr.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb syncBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := run(ctx, args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// startServe runs serve until the test ends and returns its address and output.
func startServe(t *testing.T, args ...string) (addr string, stdout, stderr *syncBuffer) {
	t.Helper()
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), stdout, stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d on shutdown: %s", code, stderr.String())
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not shut down within 20s")
		}
	})
	re := regexp.MustCompile(`msg=listening addr=(127\.0\.0\.1:\d+)`)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			return m[1], stdout, stderr
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before listening: %s", code, stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not listen within 30s: %s", stderr.String())
	return "", nil, nil
}

// assertOneLineError checks a failed start says one clear line, no stack trace.
func assertOneLineError(t *testing.T, code int, stderr string, want ...string) {
	t.Helper()
	if code == 0 {
		t.Fatalf("exit code 0, want failure; stderr: %s", stderr)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "etalase: ") || strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
		t.Fatalf("stderr should end in one 'etalase: ...' line, no trace:\n%s", stderr)
	}
	for _, w := range want {
		if !strings.Contains(last, w) {
			t.Errorf("error line %q should mention %q", last, w)
		}
	}
}

func TestFirstStartPrintsTheAdminPasswordOnceAndServes(t *testing.T) {
	data := t.TempDir()
	addr, stdout, _ := startServe(t, "--data", data)
	if !strings.Contains(stdout.String(), "admin@etalase.local") || !regexp.MustCompile(`password: [A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}`).MatchString(stdout.String()) {
		t.Fatalf("first start should print the admin's login and one-time password:\n%s", stdout.String())
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if fi, err := os.Stat(filepath.Join(data, "etalase.db")); err != nil || fi.Size() == 0 {
		t.Fatalf("no SQLite database in the data directory: %v", err)
	}
}

func TestSecondStartDoesNotPrintAPasswordAgain(t *testing.T) {
	data := t.TempDir()
	code, _, stderr := runCmd(t, "", "migrate", "--data", data)
	if code != 0 {
		t.Fatal(stderr)
	}
	_, first, _ := startServe(t, "--data", data)
	if !strings.Contains(first.String(), "password:") {
		t.Fatal("the first start printed no password")
	}
	// A second process on the same database finds the admin and prints nothing.
	_, second, _ := startServe(t, "--data", data)
	if strings.Contains(second.String(), "password:") {
		t.Fatalf("the second start printed a password:\n%s", second.String())
	}
}

func TestUnreachableDatabaseFailsWithOneClearLine(t *testing.T) {
	code, _, stderr := runCmd(t, "", "serve", "--data", t.TempDir(), "--db", "postgres://etalase:rahasia@127.0.0.1:1/etalase?connect_timeout=2")
	assertOneLineError(t, code, stderr, "cannot reach PostgreSQL")
	if strings.Contains(stderr, "rahasia") {
		t.Fatal("the database password was printed")
	}
}

func TestPortInUseFailsWithOneClearLine(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, stderr := runCmd(t, "", "serve", "--data", t.TempDir(), "--addr", ln.Addr().String())
	assertOneLineError(t, code, stderr, "already in use", ln.Addr().String())
}

func TestUnwritableDataDirectoryFailsWithOneClearLine(t *testing.T) {
	// A path under a regular file can never be a directory, even for root.
	file := filepath.Join(t.TempDir(), "bukan-folder")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCmd(t, "", "serve", "--data", filepath.Join(file, "data"))
	assertOneLineError(t, code, stderr, "data directory", "bukan-folder")
}

func TestBadFlagsAreAllReportedAtOnce(t *testing.T) {
	code, _, stderr := runCmd(t, "", "serve", "--data", t.TempDir(), "--addr", "8080", "--lang", "jv", "--db", "mysql://x", "--session-idle", "forever")
	if code != 2 {
		t.Fatalf("exit %d, want 2 (usage)", code)
	}
	for _, w := range []string{"--addr", "--lang", "--db", "--session-idle"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr should name %s:\n%s", w, stderr)
		}
	}
}

func TestUserCreateAndResetPasswordFromTheTerminal(t *testing.T) {
	data := t.TempDir()
	code, out, stderr := runCmd(t, "kopi luwak banyuwangi\n", "user", "create", "--data", data, "--role", "staf_galeri", "--email", "siti@galeri.id", "--name", "Siti")
	if code != 0 || !strings.Contains(out, "siti@galeri.id") {
		t.Fatalf("create: %d %s %s", code, out, stderr)
	}
	code, _, stderr = runCmd(t, "pendek\n", "user", "create", "--data", data, "--role", "staf_galeri", "--email", "budi@galeri.id")
	if code == 0 || !strings.Contains(stderr, "at least 10 characters") {
		t.Fatalf("a short password should be refused with the reason: %d %s", code, stderr)
	}
	code, out, stderr = runCmd(t, "", "user", "reset-password", "--data", data, "--login", "SITI@galeri.id")
	if code != 0 || !regexp.MustCompile(`one-time password for siti@galeri.id: [A-Z2-7-]{19}`).MatchString(out) {
		t.Fatalf("reset: %d %s %s", code, out, stderr)
	}
	code, _, stderr = runCmd(t, "", "user", "reset-password", "--data", data, "--login", "nobody@galeri.id")
	if code == 0 || !strings.Contains(stderr, "not found") {
		t.Fatalf("reset of an unknown account: %d %s", code, stderr)
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	if code, out, _ := runCmd(t, "", "version"); code != 0 || !strings.HasPrefix(out, "etalase ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, _, stderr := runCmd(t, "", "jualan"); code != 2 || !strings.Contains(stderr, "unknown command") {
		t.Fatalf("unknown command: %d %q", code, stderr)
	}
}

func TestServeRunsTheSameAppOnPostgreSQL(t *testing.T) {
	url := dbtest.PostgresURL(t)
	addr, stdout, _ := startServe(t, "--data", t.TempDir(), "--db", url, "--demo")
	if !strings.Contains(stdout.String(), "admin@etalase.local") || !strings.Contains(stdout.String(), demo.Password) {
		t.Fatalf("first start on PostgreSQL should print the admin and demo accounts:\n%s", stdout.String())
	}
	for path, want := range map[string]string{"/readyz": "ready", "/": "Daftar sebagai UKM"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s on PostgreSQL: %d, body lacks %q", path, resp.StatusCode, want)
		}
	}
}

func TestServeRefusesAnOlderSchemaUntilToldToMigrate(t *testing.T) {
	data := t.TempDir()
	d, err := db.Open(context.Background(), "", data, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.MigrateTo(context.Background(), db.LatestVersion()-1); err != nil {
		t.Fatal(err)
	}
	d.Close()
	code, _, stderr := runCmd(t, "", "serve", "--data", data, "--addr", "127.0.0.1:0")
	assertOneLineError(t, code, stderr, "older", "etalase migrate")
	code, out, stderr := runCmd(t, "", "migrate", "--data", data)
	if code != 0 || !strings.Contains(out, "upgraded") {
		t.Fatalf("migrate: %d %s %s", code, out, stderr)
	}
	startServe(t, "--data", data)
}

func TestImportFromTheTerminalChecksFirstAndImportsWithApply(t *testing.T) {
	data := t.TempDir()
	if code, _, stderr := runCmd(t, "kopi luwak banyuwangi\n", "user", "create", "--data", data, "--role", "staf_galeri", "--email", "siti@galeri.id"); code != 0 {
		t.Fatal(stderr)
	}
	file := filepath.Join(t.TempDir(), "jawaban.csv")
	csv := "Nama Pemilik,Nama Usaha,No. WhatsApp,Nama Produk,NIK\n" +
		"Sri Wahyuni,Keripik Tempe Sanan,085233100202,Keripik 250 g,3573054107850003\n" +
		"Moh. Kholil,Batik Tanjung Bumi,081937700303,Kain Batik,352601120379000\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCmd(t, "", "import", "--data", data, "--as", "siti@galeri.id", file)
	if code != 0 || !strings.Contains(out, "row 3, NIK:") || !strings.Contains(out, "1 ready") {
		t.Fatalf("check: %d\n%s", code, out)
	}
	code, out, stderr := runCmd(t, "", "import", "--data", data, "--as", "siti@galeri.id", "--apply", file)
	if code == 0 || !strings.Contains(stderr, "Nothing was imported") {
		t.Fatalf("apply with a bad row: %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = runCmd(t, "", "import", "--data", data, "--as", "siti@galeri.id", "--apply", "--skip", "3", file)
	if code != 0 || !regexp.MustCompile(`imported 1 applications: GAL-\d{4}-00001`).MatchString(out) {
		t.Fatalf("apply skipping row 3: %d\n%s%s", code, out, stderr)
	}
}

// Start-ups that would lose data quietly are refused, each with one line that
// says what is wrong and what to do.
func TestStartsThatWouldLoseDataAreRefused(t *testing.T) {
	key := func(b byte) string { return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{b}, 32)) }

	t.Run("another data key", func(t *testing.T) {
		data := t.TempDir()
		if code, _, stderr := runCmd(t, "", "migrate", "--data", data); code != 0 {
			t.Fatal(stderr)
		}
		startOnce(t, "--data", data, "--data-key", key(1))
		code, _, stderr := runCmd(t, "", "serve", "--addr", "127.0.0.1:0", "--data", data, "--data-key", key(2))
		assertOneLineError(t, code, stderr, "not the one this database's NIKs are sealed with")
	})

	t.Run("the key file went missing", func(t *testing.T) {
		data := t.TempDir()
		startOnce(t, "--data", data, "--demo") // the demo's businesses have sealed NIKs
		if err := os.Remove(filepath.Join(data, "keys", "master.key")); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCmd(t, "", "serve", "--addr", "127.0.0.1:0", "--data", data)
		assertOneLineError(t, code, stderr, "master.key is missing", "restore")
		if _, err := os.Stat(filepath.Join(data, "keys", "master.key")); err == nil {
			t.Fatal("a new key was generated over the missing one")
		}
	})

	t.Run("an empty SQLite path", func(t *testing.T) {
		code, _, stderr := runCmd(t, "", "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--db", "sqlite:")
		if code == 0 || !strings.Contains(stderr, "sqlite:") {
			t.Fatalf("exit %d, stderr %s; want a refusal naming sqlite:", code, stderr)
		}
	})

	t.Run("a 0-byte database file", func(t *testing.T) {
		data := t.TempDir()
		if err := os.WriteFile(filepath.Join(data, "etalase.db"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCmd(t, "", "serve", "--addr", "127.0.0.1:0", "--data", data)
		assertOneLineError(t, code, stderr, "0 bytes")
	})

	t.Run("a damaged database file", func(t *testing.T) {
		data := t.TempDir()
		startOnce(t, "--data", data, "--demo")
		path := filepath.Join(data, "etalase.db")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// Overwrite the middle of the file, past the header, with noise: pages
		// that SQLite's check finds broken.
		for i := len(b) / 3; i < len(b)/3+3*4096 && i < len(b); i++ {
			b[i] = byte(i * 7)
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCmd(t, "", "serve", "--addr", "127.0.0.1:0", "--data", data)
		assertOneLineError(t, code, stderr, "etalase.db")
	})
}

// startOnce starts serve until it listens, then stops it, leaving its data.
func startOnce(t *testing.T, args ...string) {
	t.Helper()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), stdout, stderr)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(stderr.String(), "msg=listening") {
		select {
		case code := <-done:
			cancel()
			t.Fatalf("serve exited %d before listening: %s", code, stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not listen within 60s: %s", stderr.String())
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited %d on shutdown: %s", code, stderr.String())
	}
}
