package print

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The tests read what we print with real outside readers: pdftotext and
// pdftoppm (poppler-utils) and zbarimg (zbar-tools). Without them the tests
// skip, unless ETALASE_REQUIRE_TOOLS=1 (as in CI), which makes them fail.

func needTools(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			msg := fmt.Sprintf("%s not found: install the outside readers with `apt-get install -y poppler-utils zbar-tools`", n)
			if os.Getenv("ETALASE_REQUIRE_TOOLS") == "1" {
				t.Fatal(msg + " (ETALASE_REQUIRE_TOOLS=1 forbids skipping)")
			}
			t.Skip(msg + "; skipping (set ETALASE_REQUIRE_TOOLS=1 to fail instead)")
		}
	}
}

// artifactDir is <repo root>/test-artifacts/print, where the tests leave the
// papers they made for a person to look at.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	out := filepath.Join(dir, "test-artifacts", "print")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// saveArtifact writes a PDF to the artifact folder and returns its path.
func saveArtifact(t *testing.T, name string, pdf []byte) string {
	t.Helper()
	p := filepath.Join(artifactDir(t), name)
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes()
}

// pdfPages is the text of each page, as pdftotext -layout reads it.
func pdfPages(t *testing.T, path string) []string {
	t.Helper()
	out := string(run(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-"))
	pages := strings.Split(out, "\f")
	if n := len(pages); n > 1 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1] // pdftotext ends every page with a form feed
	}
	return pages
}

// pageQR renders one page at 150 dpi (also kept as <pdf>-p<N>.png for a
// person to look at) and returns what zbarimg reads on it.
func pageQR(t *testing.T, pdfPath string, page int) string {
	t.Helper()
	prefix := strings.TrimSuffix(pdfPath, ".pdf") + fmt.Sprintf("-p%d", page)
	run(t, "pdftoppm", "-r", "150", "-png", "-f", fmt.Sprint(page), "-l", fmt.Sprint(page), "-singlefile", pdfPath, prefix)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("zbarimg", "--raw", "-q", prefix+".png")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("zbarimg found no code on page %d of %s: %v %s", page, pdfPath, err, stderr.String())
	}
	return strings.TrimSuffix(stdout.String(), "\n")
}

// squash collapses runs of white space, so a check does not depend on how
// pdftotext -layout spaced a line.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// mustSee fails for each wanted text not in the pages (white space squashed).
func mustSee(t *testing.T, pages []string, want ...string) {
	t.Helper()
	all := squash(strings.Join(pages, "\n"))
	for _, w := range want {
		if !strings.Contains(all, squash(w)) {
			t.Errorf("the paper does not say %q", w)
		}
	}
	if t.Failed() {
		t.Logf("pdftotext read:\n%s", strings.Join(pages, "\n----- page break -----\n"))
	}
}

// inOrder fails unless the words of want appear in the pages in their order,
// other text between them allowed: how pdftotext -layout reads a cell whose
// text wrapped, its lines interleaved with the other columns of the row.
func inOrder(t *testing.T, pages []string, want string) {
	t.Helper()
	rest := squash(strings.Join(pages, "\n"))
	for _, w := range strings.Fields(want) {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Errorf("the paper does not have %q in order (missing from %q on)", want, w)
			return
		}
		rest = rest[i+len(w):]
	}
}
