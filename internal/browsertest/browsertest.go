// Package browsertest drives a real headless Chromium through chromedp, for
// journey tests that use Etalase the way a person does: open a page, fill a
// form, press a button, read what the page says, keep a screenshot.
//
// A test without a browser on the machine skips with a message that says how to
// get one; with ETALASE_REQUIRE_BROWSER=1 (as in .ci/run) it fails instead.
//
//	b := browsertest.New(t, browsertest.Phone(), browsertest.BaseURL(srv))
//	b.Navigate("/login")
//	b.Fill("#login", "admin@etalase.local")
//	b.ClickAndWait("form button[type=submit]")
//	b.Screenshot("signed-in")
//
// Selectors are CSS selectors. Every helper fails the test at the first error,
// with the page it was on, and keeps a screenshot of that page.
package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// RequireEnv names the variable that turns a missing browser from a skip into a
// failure.
const RequireEnv = "ETALASE_REQUIRE_BROWSER"

// Browser is one headless Chromium with one tab, alive until the test ends.
type Browser struct {
	t       *testing.T
	ctx     context.Context
	base    *url.URL
	shots   *shotDir
	output  *lockedBuffer // the browser's own stdout and stderr, shown when the test fails
	step    time.Duration // the longest one helper may wait
	failing bool          // set while taking the screenshot of a failure, to avoid a loop
}

type settings struct {
	width, height int64
	mobile        bool
	scale         float64
	timeout, step time.Duration
	lang          string
	base          string
}

// Option changes how New starts the browser.
type Option func(*settings)

// Desktop is the default window: 1280×900, a desk computer at the gallery.
func Desktop() Option {
	return func(s *settings) { s.width, s.height, s.mobile, s.scale = 1280, 900, false, 1 }
}

// Phone emulates a small Android phone: 360×740 CSS pixels at twice the density,
// touch and mobile layout. Most applicants come from such a phone.
func Phone() Option {
	return func(s *settings) { s.width, s.height, s.mobile, s.scale = 360, 740, true, 2 }
}

// Timeout bounds the whole life of the browser (default 60 s, or less when the
// test's own deadline is nearer). When it passes, the browser is stopped and the
// step that was waiting fails.
func Timeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// StepTimeout bounds each helper (default 10 s): a selector that never appears
// fails the step, with the page and a screenshot, long before Timeout.
func StepTimeout(d time.Duration) Option { return func(s *settings) { s.step = d } }

// Language sets the browser's language and its Accept-Language header (default
// "id-ID", Indonesian, as the Office's own computers and most phones in East Java).
func Language(lang string) Option { return func(s *settings) { s.lang = lang } }

// BaseURL makes Navigate take paths such as "/login" relative to u.
func BaseURL(u string) Option { return func(s *settings) { s.base = u } }

// ExecPath finds the browser: Debian's chromium first, then the other usual names.
// It returns "" when there is none.
func ExecPath() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Require returns the browser's path, or skips the test when the machine has
// none (fails it instead with ETALASE_REQUIRE_BROWSER=1). New calls it; a test
// calls it first to skip before a costly setup.
func Require(t *testing.T) string {
	t.Helper()
	path := ExecPath()
	if path == "" {
		msg := "BROWSER NOT TESTED: no chromium or google-chrome on PATH; install Debian's chromium (apt-get install -y chromium) to run the browser journeys"
		if os.Getenv(RequireEnv) == "1" {
			t.Fatal(msg + " (" + RequireEnv + "=1 forbids skipping)")
		}
		t.Skip(msg)
	}
	return path
}

// New starts a headless browser for the test, or skips the test when the
// machine has none (fails instead with ETALASE_REQUIRE_BROWSER=1). The browser
// stops when the test ends.
func New(t *testing.T, opts ...Option) *Browser {
	t.Helper()
	path := Require(t)

	s := settings{timeout: 60 * time.Second, step: 10 * time.Second, lang: "id-ID"}
	Desktop()(&s)
	for _, o := range opts {
		o(&s)
	}
	if dl, ok := t.Deadline(); ok {
		if left := time.Until(dl) - 5*time.Second; left > 0 && left < s.timeout {
			s.timeout = left
		}
	}

	b := &Browser{t: t, output: &lockedBuffer{}, shots: shotsFor(t), step: s.step}
	if s.base != "" {
		u, err := url.Parse(s.base)
		if err != nil {
			t.Fatalf("browsertest: base URL %q: %v", s.base, err)
		}
		b.base = u
	}

	// A short directory of its own, not t.TempDir(): Chromium puts a Unix socket
	// in it, and a long test name would make that path longer than sockets allow.
	dir, err := os.MkdirTemp("", "etb-")
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	profile, tmp := filepath.Join(dir, "profile"), filepath.Join(dir, "tmp")
	for _, d := range []string{profile, tmp} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatalf("browsertest: %v", err)
		}
	}
	aopts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root (containers, CI)
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", s.lang),
		chromedp.Flag("accept-lang", s.lang),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(int(s.width), int(s.height)),
		chromedp.Env("TMPDIR="+tmp),
		chromedp.CombinedOutput(b.output),
	)
	root, rootCancel := context.WithTimeout(context.Background(), s.timeout)
	actx, acancel := chromedp.NewExecAllocator(root, aopts...)
	ctx, cancel := chromedp.NewContext(actx)
	b.ctx = ctx
	t.Cleanup(func() {
		// Close gracefully so that no helper process outlives the browser and
		// writes into the temporary directory while the test removes it.
		cctx, ccancel := context.WithTimeout(ctx, 5*time.Second)
		_ = chromedp.Cancel(cctx)
		ccancel()
		cancel()
		acancel() // kills what is left and waits for the process
		rootCancel()
		if t.Failed() {
			if out := strings.TrimSpace(b.output.String()); out != "" {
				t.Logf("browser output (%s, D-Bus complaints left out):\n%s", path, tail(withoutNoise(out), 40))
			}
		}
	})

	vopts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(s.scale)}
	if s.mobile {
		vopts = append(vopts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(s.width, s.height, vopts...)); err != nil {
		t.Fatalf("browsertest: start %s: %v\n%s", path, err, tail(withoutNoise(b.output.String()), 20))
	}
	kind := "desktop"
	if s.mobile {
		kind = "phone"
	}
	t.Logf("browsertest: %s started in %v (%s, %dx%d)", path, time.Since(start).Round(time.Millisecond), kind, s.width, s.height)
	return b
}

// Context is the chromedp context of the tab, for anything the helpers do not do.
func (b *Browser) Context() context.Context { return b.ctx }

// Do runs chromedp actions and fails the test at the first error. what names
// the step in the failure message.
func (b *Browser) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.stepContext()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

// Navigate opens a URL, or a path relative to the BaseURL, and waits for the page
// to load.
func (b *Browser) Navigate(target string) {
	b.t.Helper()
	b.Do("navigate to "+target, chromedp.Navigate(b.resolve(target)))
}

// Fill types value into the text field sel, after clearing it, as a person does.
func (b *Browser) Fill(sel, value string) {
	b.t.Helper()
	b.Do(fmt.Sprintf("fill %s", sel),
		chromedp.WaitVisible(chromedp.CSS(sel)),
		// Emptied by script, not chromedp.Clear, which fails on an empty <textarea>.
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf("document.querySelector(%s).value = ''", jsString(sel))),
		chromedp.SendKeys(chromedp.CSS(sel), value),
	)
}

// Select chooses the option with this value in the <select> sel.
func (b *Browser) Select(sel, value string) {
	b.t.Helper()
	b.Do(fmt.Sprintf("select %q in %s", value, sel), chromedp.SetValue(chromedp.CSS(sel), value))
	if got := b.Value(sel); got != value {
		b.fatalf("select %q in %s: the field holds %q (no such option?)", value, sel, got)
	}
}

// Click clicks the visible element sel and does not wait for anything after.
func (b *Browser) Click(sel string) {
	b.t.Helper()
	b.Do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// ClickAndWait clicks sel (a link, a submit button) and waits until the page it
// leads to has loaded, redirects included.
func (b *Browser) ClickAndWait(sel string) {
	b.t.Helper()
	ctx, cancel := b.stepContext()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		b.fatalf("click %s and wait for the next page: %v", sel, err)
	}
}

// WaitVisible waits until sel is on the page and visible.
func (b *Browser) WaitVisible(sel string) {
	b.t.Helper()
	b.Do("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// Text returns the visible text of the first element sel, waiting for it.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	ctx, cancel := b.stepContext()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// Value returns the value of the form field sel.
func (b *Browser) Value(sel string) string {
	b.t.Helper()
	ctx, cancel := b.stepContext()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.fatalf("value of %s: %v", sel, err)
	}
	return s
}

// Exists says whether the page has an element sel now, without waiting.
func (b *Browser) Exists(sel string) bool {
	b.t.Helper()
	ctx, cancel := b.stepContext()
	defer cancel()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf("document.querySelector(%s) !== null", jsString(sel))))
	if err != nil {
		b.fatalf("look for %s: %v", sel, err)
	}
	return ok
}

// Path returns the path (and query) of the page the browser shows.
func (b *Browser) Path() string {
	b.t.Helper()
	loc := b.location()
	u, err := url.Parse(loc)
	if err != nil {
		b.fatalf("location %q: %v", loc, err)
	}
	return u.RequestURI()
}

// Screenshot saves the whole page, not only the window, as
// <repo>/test-artifacts/<TestName>/<NN>-<name>.png, numbered in the order taken.
func (b *Browser) Screenshot(name string) {
	b.t.Helper()
	ctx, cancel := b.stepContext()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.fatalf("screenshot %s: %v", name, err)
	}
	path, err := b.shots.save(name, png)
	if err != nil {
		b.t.Fatalf("browsertest: %v", err)
	}
	b.t.Logf("screenshot %s", path)
}

func (b *Browser) stepContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, b.step)
}

func (b *Browser) resolve(target string) string {
	if b.base == nil {
		return target
	}
	u, err := b.base.Parse(target)
	if err != nil {
		b.t.Fatalf("browsertest: URL %q: %v", target, err)
	}
	return u.String()
}

func (b *Browser) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	return loc
}

// fatalf fails the test, saying which page the browser was on, and keeps a
// screenshot of it when the browser still answers.
func (b *Browser) fatalf(format string, args ...any) {
	b.t.Helper()
	msg := fmt.Sprintf(format, args...)
	if errors.Is(b.ctx.Err(), context.DeadlineExceeded) {
		msg += " (the browser's time ran out; see browsertest.Timeout)"
	} else if strings.Contains(msg, context.DeadlineExceeded.Error()) {
		msg += fmt.Sprintf(" (waited %v; see browsertest.StepTimeout)", b.step)
	}
	where := b.location()
	if !b.failing && b.ctx.Err() == nil {
		b.failing = true
		ctx, cancel := context.WithTimeout(b.ctx, 3*time.Second)
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			if path, err := b.shots.save("FAILED", png); err == nil {
				where += "; screenshot " + path
			}
		}
		cancel()
	}
	b.t.Fatalf("browsertest: %s\n\ton page %s", msg, where)
}

// shotDir numbers the screenshots of one test, across its browsers.
type shotDir struct {
	mu  sync.Mutex
	t   *testing.T // the run of the test the folder belongs to
	dir string
	n   int
}

var (
	shotsMu sync.Mutex
	shotsBy = map[string]*shotDir{}
)

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// shotsFor returns the screenshot folder of the test. The folder is emptied at
// each run of the test (go test -count=2 runs it twice), so that it holds the
// pictures of the last run only.
func shotsFor(t *testing.T) *shotDir {
	shotsMu.Lock()
	defer shotsMu.Unlock()
	if sd, ok := shotsBy[t.Name()]; ok && sd.t == t {
		return sd
	}
	root, err := RepoRoot()
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	sd := &shotDir{t: t, dir: filepath.Join(root, "test-artifacts", unsafeChars.ReplaceAllString(t.Name(), "_"))}
	if err := os.RemoveAll(sd.dir); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	shotsBy[t.Name()] = sd
	return sd
}

func (sd *shotDir) save(name string, png []byte) (string, error) {
	sd.mu.Lock()
	defer sd.mu.Unlock()
	if err := os.MkdirAll(sd.dir, 0o755); err != nil {
		return "", err
	}
	sd.n++
	path := filepath.Join(sd.dir, fmt.Sprintf("%02d-%s.png", sd.n, unsafeChars.ReplaceAllString(name, "-")))
	return path, os.WriteFile(path, png, 0o644)
}

// RepoRoot is the nearest folder above the working directory that holds go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&sb, `\u%04x`, r)
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

// withoutNoise drops the lines of Chromium's complaints that a container has no
// D-Bus, which say nothing about a failing test.
func withoutNoise(s string) string {
	var keep []string
	for line := range strings.SplitSeq(s, "\n") {
		if !strings.Contains(line, "dbus") && !strings.Contains(line, "DBus") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"…"}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// lockedBuffer is a bytes.Buffer safe for the browser's output goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buf.Len() > 1<<20 { // keep memory bounded on a chatty browser
		l.buf.Reset()
	}
	return l.buf.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Upload puts the file at path into the file input sel, as choosing it in the
// phone's file picker does.
func (b *Browser) Upload(sel, path string) {
	b.t.Helper()
	b.Do("upload "+path+" into "+sel, chromedp.SetUploadFiles(chromedp.CSS(sel), []string{path}))
}

// WaitText waits until the text of sel contains want (for what a page's script
// changes after a moment, or the page a key press leads to), and fails the
// test with what it says otherwise. A page still loading reads as empty.
func (b *Browser) WaitText(sel, want string) {
	b.t.Helper()
	deadline := time.Now().Add(b.step)
	expr := fmt.Sprintf(`(() => { const e = document.querySelector(%s); return e ? e.innerText : ""; })()`, jsString(sel))
	got := ""
	for time.Now().Before(deadline) {
		ctx, cancel := b.stepContext()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		cancel()
		if err == nil {
			if got = s; strings.Contains(got, want) {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.fatalf("%s says %q, want it to contain %q within %v", sel, got, want, b.step)
}

// Size sets the window's size in CSS pixels (after Desktop or Phone).
func Size(width, height int64) Option {
	return func(s *settings) { s.width, s.height = width, height }
}
