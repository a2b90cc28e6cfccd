//go:build unix

package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
)

// The crash test runs the server as a separate process and kills it with
// SIGKILL in the middle of concurrent writes, then restarts it on the same data
// and checks that every write the server acknowledged is still there, whole.
// The server process is this test binary re-executed with crashServerEnv set
// (see TestMain): no toolchain or build step at test time, the same build flags
// as the test (under -race the server is race-checked too), and no stale binary.
//
//	ETALASE_CRASH_CYCLES=60   more kill/restart cycles (and first-start kills) per engine (default 3)
//	ETALASE_CRASH_SEED=N      repeat a run's random choices (printed in the log)
const crashServerEnv = "ETALASE_CRASH_TEST_SERVER"

func TestMain(m *testing.M) {
	if os.Getenv(crashServerEnv) == "1" {
		// Should the test process die without killing us, our stdin (a pipe the
		// test holds) reaches end of file: exit rather than serve on, orphaned.
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			os.Exit(3)
		}()
		main()
	}
	os.Exit(m.Run())
}

const (
	crashWorkers = 4 // applicants registering at once
	// Each cycle is killed after a random number of acknowledged registrations
	// in this range: enough load to be mid-write, few enough Argon2 hashes
	// (19 MiB, ~30 ms each) to keep a cycle well under a second.
	crashMinUsers, crashMaxUsers = 12, 30
	crashEmailDomain             = "@crash.etalase.test"
)

func TestCrashKilledServerKeepsEveryAcknowledgedWrite(t *testing.T) {
	cycles, seed := crashSettings(t)
	t.Run("sqlite", func(t *testing.T) {
		crashCycles(t, crashTarget{data: t.TempDir()}, cycles, rand.New(rand.NewPCG(seed, 1)))
	})
	t.Run("postgres", func(t *testing.T) {
		crashCycles(t, crashTarget{data: t.TempDir(), dbURL: dbtest.PostgresURL(t)}, cycles, rand.New(rand.NewPCG(seed, 2)))
	})
}

// TestCrashDuringFirstStartLeavesARestartableServer kills first starts at
// random moments up to the time a first start takes (creating the database,
// the schema, the data key, the first admin) and expects the next start to
// serve on the same data.
func TestCrashDuringFirstStartLeavesARestartableServer(t *testing.T) {
	kills, seed := crashSettings(t)
	rng := rand.New(rand.NewPCG(seed, 1))
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			// How long a first start takes here, so the kills land across all of it.
			ref := crashTarget{data: t.TempDir()}
			if engine == "postgres" {
				ref.dbURL = dbtest.PostgresURL(t)
			}
			began := time.Now()
			p := startServerProcess(t, ref, "ref")
			if err := p.waitListening(60 * time.Second); err != nil {
				t.Fatalf("%v\n%s", err, p.describe())
			}
			window := time.Since(began)
			p.kill()
			before := 0
			for i := range kills {
				tg := crashTarget{data: t.TempDir()}
				if engine == "postgres" {
					tg.dbURL = dbtest.PostgresURL(t)
				}
				first := startServerProcess(t, tg, fmt.Sprintf("first-%d", i))
				time.Sleep(time.Duration(rng.Int64N(int64(window))))
				first.kill()
				if !strings.Contains(first.stderr.String(), "msg=listening") {
					before++
				}
				again := startServerProcess(t, tg, fmt.Sprintf("restart-%d", i))
				if err := again.waitListening(60 * time.Second); err != nil {
					t.Fatalf("after a kill during the first start, the server does not start again: %v\nkilled start:\n%s\nrestart:\n%s", err, first.describe(), again.describe())
				}
				checkReady(t, again)
				switch printed := strings.Count(first.stdout.String()+again.stdout.String(), "password: "); {
				case printed == 0:
					// Killed between creating the first admin and printing its
					// password, a moment no order of the two can close; the
					// admin recovers with `etalase user reset-password`.
					t.Logf("kill %d fell between creating the first admin and printing its password", i)
				case printed > 1:
					t.Errorf("the first admin's one-time password was printed %d times over two starts", printed)
				}
				d := openCheckDB(t, tg)
				checkIntegrity(t, d)
				d.Close()
				again.stop(t)
			}
			t.Logf("%d of %d kills landed before the server listened (a first start takes %v here)", before, kills, window.Round(time.Millisecond))
		})
	}
}

// crashSettings reads the number of cycles and the random seed.
func crashSettings(t *testing.T) (cycles int, seed uint64) {
	cycles = 3
	if v := os.Getenv("ETALASE_CRASH_CYCLES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("ETALASE_CRASH_CYCLES=%q: give a positive number", v)
		}
		cycles = n
	}
	seed = uint64(time.Now().UnixNano())
	if v := os.Getenv("ETALASE_CRASH_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("ETALASE_CRASH_SEED=%q: give a number", v)
		}
		seed = n
	}
	t.Logf("seed %d (ETALASE_CRASH_SEED=%d repeats the random choices), %d cycles per engine", seed, seed, cycles)
	return cycles, seed
}

// crashTarget is where the server keeps its data: SQLite in data, or the
// PostgreSQL database dbURL (data still holds the keys and documents).
type crashTarget struct {
	data, dbURL string
}

func (tg crashTarget) args() []string {
	a := []string{"--data", tg.data}
	if tg.dbURL != "" {
		a = append(a, "--db", tg.dbURL)
	}
	return a
}

// crashCycles runs the server, and cycles times: loads it, kills it mid-load,
// restarts it and checks everything acknowledged so far.
func crashCycles(t *testing.T, tg crashTarget, cycles int, rng *rand.Rand) {
	began := time.Now()
	l := &ledger{}
	p := startServerProcess(t, tg, "start")
	if err := p.waitListening(60 * time.Second); err != nil {
		t.Fatalf("%v\n%s", err, p.describe())
	}
	for c := 1; c <= cycles; c++ {
		target := crashMinUsers + rng.IntN(crashMaxUsers-crashMinUsers+1)
		jitter := time.Duration(rng.Int64N(int64(40 * time.Millisecond)))
		loadBegan := time.Now()
		users, writes := l.load(t, p, c, target, jitter)
		loaded := time.Since(loadBegan)
		killed := p
		again := startServerProcess(t, tg, fmt.Sprintf("restart-%d", c))
		if err := again.waitListening(60 * time.Second); err != nil {
			t.Fatalf("cycle %d: the server does not start after the kill: %v\nkilled server:\n%s\nrestart:\n%s", c, err, killed.describe(), again.describe())
		}
		p = again
		checkReady(t, p)
		if !l.verify(t, tg, p, rng) {
			t.Fatalf("cycle %d: acknowledged writes were lost or damaged (above)\nkilled server:\n%s\nrestarted server:\n%s", c, killed.describe(), p.describe())
		}
		checkServerLog(t, killed)
		t.Logf("cycle %d: killed after %v, %d registrations, %d acknowledged writes; restarted, all %d applicants so far check out", c, loaded.Round(time.Millisecond), users, writes, l.count())
	}
	p.stop(t)
	checkServerLog(t, p)
	d := openCheckDB(t, tg)
	checkIntegrity(t, d)
	d.Close()
	t.Logf("%d cycles in %v", cycles, time.Since(began).Round(time.Millisecond))
}

// serverProcess is one run of `etalase serve` as a child process.
type serverProcess struct {
	name           string
	cmd            *exec.Cmd
	stdin          io.Closer // held open: the server exits when it reads end of file
	stdout, stderr *syncBuffer
	exited         chan struct{}
	waitErr        error // set before exited is closed
	addr           string
}

func startServerProcess(t *testing.T, tg crashTarget, name string) *serverProcess {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// Every applicant registers from 127.0.0.1: lift the per-address cap.
	cmd := exec.Command(exe, append([]string{"serve", "--addr", "127.0.0.1:0", "--registrations-per-hour", "100000"}, tg.args()...)...)
	// The test's own ETALASE_* settings are not the server's: flags say it all.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ETALASE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, crashServerEnv+"=1")
	p := &serverProcess{name: name, cmd: cmd, stdout: &syncBuffer{}, stderr: &syncBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(p.kill) // never leave a server behind, whatever happens
	return p
}

var listeningLine = regexp.MustCompile(`msg=listening addr=(127\.0\.0\.1:\d+)`)

func (p *serverProcess) waitListening(timeout time.Duration) error {
	deadline := time.After(timeout)
	for {
		if m := listeningLine.FindStringSubmatch(p.stderr.String()); m != nil {
			p.addr = m[1]
			return nil
		}
		select {
		case <-p.exited:
			return fmt.Errorf("server %s exited before listening: %v", p.name, p.waitErr)
		case <-deadline:
			return fmt.Errorf("server %s did not listen within %v", p.name, timeout)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func (p *serverProcess) url(path string) string { return "http://" + p.addr + path }

// kill ends the process with SIGKILL (no shutdown, no deferred code) and waits.
func (p *serverProcess) kill() {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
}

// stop shuts the server down as an operator would, and expects a clean exit.
func (p *serverProcess) stop(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
		if p.waitErr != nil {
			t.Errorf("server %s exited with %v on SIGTERM\n%s", p.name, p.waitErr, p.describe())
		}
	case <-time.After(20 * time.Second):
		t.Errorf("server %s did not stop within 20s of SIGTERM\n%s", p.name, p.describe())
		p.kill()
	}
}

// describe is the end of the server's log, for a failure message.
func (p *serverProcess) describe() string {
	return fmt.Sprintf("--- server %s stderr (last 30 lines) ---\n%s--- end ---", p.name, lastLines(p.stderr.String(), 30))
}

func lastLines(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "")
}

// checkServerLog fails on what a healthy server never logs: a race, a panic,
// an error (every 5xx is logged at ERROR).
func checkServerLog(t *testing.T, p *serverProcess) {
	t.Helper()
	for line := range strings.Lines(p.stderr.String()) {
		if strings.Contains(line, "DATA RACE") || strings.Contains(line, "panic") || strings.Contains(line, "level=ERROR") {
			t.Errorf("server %s logged: %s\n%s", p.name, strings.TrimSpace(line), p.describe())
			return
		}
	}
}

func checkReady(t *testing.T, p *serverProcess) {
	t.Helper()
	resp, err := http.Get(p.url("/readyz"))
	if err != nil {
		t.Fatalf("GET /readyz after restart: %v\n%s", err, p.describe())
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /readyz after restart: %d %s\n%s", resp.StatusCode, body, p.describe())
	}
}

// applicant is one SME owner of the load and what the server acknowledged of
// their writes. A write sent but unanswered when the server died may or may not
// have been kept; pendingName is such a rename.
type applicant struct {
	email, password string
	cycle           int
	lastAt          time.Time // when their last write was acknowledged
	businessID      int64
	businessName    string // as last acknowledged
	pendingName     string
	products        []string // acknowledged product names
}

// ledger is every applicant of the test, across cycles.
type ledger struct {
	mu         sync.Mutex
	applicants []*applicant
	next       int
	killedAt   time.Time
}

func (l *ledger) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.applicants)
}

// load runs crashWorkers applicants at once against p until target
// registrations were acknowledged, waits jitter (so the kill falls anywhere in
// the requests then running), kills p and returns when every worker has seen
// the server gone. Problems while the server lived fail the test.
func (l *ledger) load(t *testing.T, p *serverProcess, cycle, target int, jitter time.Duration) (users int, writes int64) {
	t.Helper()
	var registered, acked atomic.Int64
	var dead atomic.Bool
	reached := make(chan struct{})
	var once sync.Once
	tr := &http.Transport{MaxIdleConnsPerHost: crashWorkers}
	defer tr.CloseIdleConnections()
	var problems []string
	var pmu sync.Mutex
	problem := func(format string, args ...any) {
		pmu.Lock()
		defer pmu.Unlock()
		if len(problems) < 10 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}

	// One step of an applicant: a POST answered 303 to a page whose path
	// matches want is an acknowledged write (ok); anything else ends the
	// worker (stop), and is a problem unless the server is being killed.
	send := func(c *http.Client, path string, form url.Values, want string) (loc string, ok, stop bool) {
		resp, err := c.PostForm(p.url(path), form)
		if err != nil {
			if !dead.Load() {
				problem("POST %s failed while the server was alive: %v", path, err)
			}
			return "", false, true
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		loc = resp.Header.Get("Location")
		u, err := url.Parse(loc)
		if resp.StatusCode != http.StatusSeeOther || err != nil || !regexp.MustCompile("^"+want+"$").MatchString(u.Path) {
			problem("POST %s: %d Location %q, want 303 to %s; body: %s", path, resp.StatusCode, loc, want, squeeze(string(body)))
			return "", false, true
		}
		loc = u.Path
		acked.Add(1)
		return loc, true, false
	}

	register := func(c *http.Client, a *applicant, n int) bool {
		resp, err := c.PostForm(p.url("/register"), url.Values{"name": {fmt.Sprintf("Pemilik %05d", n)}, "email": {a.email},
			"password": {a.password}, "password2": {a.password}})
		if err != nil {
			if !dead.Load() {
				problem("POST /register failed while the server was alive: %v", err)
			}
			return false
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `id="registered"`) {
			if !dead.Load() {
				problem("POST /register: %d without the accepted notice; body: %s", resp.StatusCode, squeeze(string(body[:min(len(body), 4096)])))
			}
			return false
		}
		acked.Add(1)
		return true
	}

	worker := func() {
		for !dead.Load() {
			l.mu.Lock()
			l.next++
			n := l.next
			l.mu.Unlock()
			a := &applicant{email: fmt.Sprintf("ukm%05d%s", n, crashEmailDomain), password: fmt.Sprintf("sandi-crash-%05d", n), cycle: cycle}
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Transport: tr, Jar: jar, Timeout: 30 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

			// Registration answers with the sign-in page, alike whether or not the
			// e-mail was known (no oracle): the "accepted" notice is the
			// acknowledgement; then the applicant signs in.
			if !register(c, a, n) {
				return
			}
			if _, ok, stop := send(c, "/login", url.Values{"login": {a.email}, "password": {a.password}}, "/"); !ok || stop {
				return
			}
			a.lastAt = time.Now()
			l.mu.Lock()
			l.applicants = append(l.applicants, a)
			l.mu.Unlock()
			if registered.Add(1) == int64(target) {
				once.Do(func() { close(reached) })
			}

			biz := func(name string) url.Values {
				return url.Values{"name": {name}, "owner_name": {fmt.Sprintf("Pemilik %05d", n)}, "address": {"Jl. Sanan No. 12, Blimbing"},
					"province_code": {"35"}, "regency_code": {"3573"}, "email": {a.email}, "category": {"Makanan"}, "size": {"mikro"}, "year_started": {"2015"}}
			}
			name := fmt.Sprintf("Usaha Crash %05d", n)
			loc, ok, stop := send(c, "/apply/business", biz(name), `/businesses/\d+`)
			if !ok || stop {
				return
			}
			id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/businesses/"), 10, 64)
			l.mu.Lock()
			a.businessID, a.businessName, a.lastAt = id, name, time.Now()
			l.mu.Unlock()

			product := fmt.Sprintf("Keripik Tempe %05d", n)
			if _, ok, stop := send(c, fmt.Sprintf("/businesses/%d/products", id), url.Values{"name": {product}, "net_content": {"250 g"},
				"shelf_life_days": {"180"}, "price": {"25.000"}}, fmt.Sprintf("/businesses/%d", id)); !ok || stop {
				return
			}
			l.mu.Lock()
			a.products, a.lastAt = append(a.products, product), time.Now()
			l.mu.Unlock()

			// A rename: an update must survive as surely as a create.
			renamed := name + " Jaya"
			l.mu.Lock()
			a.pendingName = renamed
			l.mu.Unlock()
			if _, ok, stop := send(c, fmt.Sprintf("/businesses/%d/profile", id), biz(renamed), fmt.Sprintf("/businesses/%d", id)); !ok || stop {
				return
			}
			l.mu.Lock()
			a.businessName, a.pendingName, a.lastAt = renamed, "", time.Now()
			l.mu.Unlock()
		}
	}

	var wg sync.WaitGroup
	for range crashWorkers {
		wg.Go(worker)
	}
	workersDone := make(chan struct{})
	go func() { wg.Wait(); close(workersDone) }()
	select {
	case <-reached:
		time.Sleep(jitter)
	case <-workersDone: // every worker stopped on a problem: reported below
	case <-time.After(60 * time.Second):
		problem("only %d of %d registrations acknowledged within 60s", registered.Load(), target)
	}
	dead.Store(true)
	l.mu.Lock()
	l.killedAt = time.Now()
	l.mu.Unlock()
	p.kill()
	<-workersDone
	for _, pr := range problems {
		t.Errorf("cycle %d, while the server was alive: %s", cycle, pr)
	}
	if len(problems) > 0 {
		t.Fatalf("cycle %d: the load failed before the kill\n%s", cycle, p.describe())
	}
	return int(registered.Load()), acked.Load()
}

// squeeze shortens an HTML page to its text, for a failure message.
func squeeze(s string) string {
	s = regexp.MustCompile(`(?s)<head.*?</head>|<[^>]*>`).ReplaceAllString(s, " ")
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// verify checks, directly in the database, that every acknowledged write is
// there and that each was written with its audit record (one transaction), and
// signs in over HTTP as a few acknowledged applicants. It reports every loss.
func (l *ledger) verify(t *testing.T, tg crashTarget, p *serverProcess, rng *rand.Rand) bool {
	t.Helper()
	d := openCheckDB(t, tg)
	defer d.Close()
	checkIntegrity(t, d)

	users := map[string]int64{}
	query(t, d, func(r *db.Rows) error {
		var id int64
		var email string
		err := r.Scan(&id, &email)
		users[email] = id
		return err
	}, "SELECT id, email FROM users WHERE email LIKE ?", "%"+crashEmailDomain)
	type business struct {
		owner int64
		name  string
	}
	businesses := map[int64]business{}
	query(t, d, func(r *db.Rows) error {
		var id int64
		var b business
		err := r.Scan(&id, &b.owner, &b.name)
		businesses[id] = b
		return err
	}, "SELECT id, owner_id, name FROM businesses")
	products := map[string]bool{}
	query(t, d, func(r *db.Rows) error {
		var bid int64
		var name string
		err := r.Scan(&bid, &name)
		products[fmt.Sprint(bid, "/", name)] = true
		return err
	}, "SELECT business_id, name FROM products")
	// The latest audit summary of each user and business: the audit record is
	// written in the change's own transaction, so a crash must never leave a
	// row without it, or with an older one.
	audited := map[string]string{}
	query(t, d, func(r *db.Rows) error {
		var typ, id, summary string
		err := r.Scan(&typ, &id, &summary)
		audited[typ+"/"+id] = summary
		return err
	}, "SELECT object_type, object_id, summary FROM audit_log WHERE action IN ('user.create', 'business.create', 'business.update') ORDER BY id")

	l.mu.Lock()
	defer l.mu.Unlock()
	ok, reported := true, 0
	// LOST is an acknowledged write that is not there; TORN a row without the
	// audit record of its own transaction.
	bad := func(kind string, a *applicant, format string, args ...any) {
		ok = false
		if reported++; reported > 20 {
			return // counted below
		}
		t.Errorf("%s: %s (applicant %s of cycle %d, whose last write was acknowledged %v before the kill)",
			kind, fmt.Sprintf(format, args...), a.email, a.cycle, l.killedAt.Sub(a.lastAt).Round(time.Millisecond))
	}
	for _, a := range l.applicants {
		uid, found := users[a.email]
		if !found {
			bad("LOST", a, "registered user %s is not in the users table", a.email)
			continue
		}
		if _, found := audited[fmt.Sprint("user/", uid)]; !found {
			bad("TORN", a, "user %d (%s) has no user.create audit record", uid, a.email)
		}
		if a.businessID == 0 {
			continue
		}
		b, found := businesses[a.businessID]
		switch {
		case !found:
			bad("LOST", a, "business %d %q is not in the businesses table", a.businessID, a.businessName)
			continue
		case b.owner != uid:
			bad("LOST", a, "business %d belongs to user %d, not to %d (%s)", a.businessID, b.owner, uid, a.email)
		case b.name != a.businessName && (a.pendingName == "" || b.name != a.pendingName):
			bad("LOST", a, "business %d is named %q, but %q was acknowledged", a.businessID, b.name, a.businessName)
		}
		if s := audited[fmt.Sprint("business/", a.businessID)]; !strings.HasSuffix(s, ": "+b.name) {
			bad("TORN", a, "business %d is named %q but its latest audit record says %q", a.businessID, b.name, s)
		}
		for _, pr := range a.products {
			if !products[fmt.Sprint(a.businessID, "/", pr)] {
				bad("LOST", a, "product %q of business %d is not in the products table", pr, a.businessID)
			}
		}
	}
	if reported > 20 {
		t.Errorf("and %d more", reported-20)
	}
	if !ok {
		return false
	}

	// Through the restarted server: a few acknowledged applicants sign in with
	// their password and see their business under its saved name.
	for range min(3, len(l.applicants)) {
		a := l.applicants[rng.IntN(len(l.applicants))]
		if a.pendingName != "" {
			continue // which of the two names is kept is not known
		}
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.PostForm(p.url("/login"), url.Values{"login": {a.email}, "password": {a.password}})
		if err != nil {
			t.Fatalf("sign in as %s after restart: %v\n%s", a.email, err, p.describe())
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			ok = false
			t.Errorf("LOST: %s cannot sign in after the restart: %d %s", a.email, resp.StatusCode, squeeze(string(body)))
			continue
		}
		if a.businessID == 0 {
			continue
		}
		resp, err = c.Get(p.url(fmt.Sprintf("/businesses/%d", a.businessID)))
		if err != nil {
			t.Fatalf("GET the business of %s after restart: %v", a.email, err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), a.businessName) {
			ok = false
			t.Errorf("LOST: %s's business page after the restart: %d, want 200 showing %q", a.email, resp.StatusCode, a.businessName)
		}
	}
	return ok
}

// query runs a read on d and calls scan for each row.
func query(t *testing.T, d *db.DB, scan func(*db.Rows) error, q string, args ...any) {
	t.Helper()
	ctx := context.Background()
	rows, err := d.Q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// openCheckDB opens the server's database beside it. It must be closed before
// the next kill: an SQLite connection left open in this process would spare the
// restarted server the recovery a real crash makes it do.
func openCheckDB(t *testing.T, tg crashTarget) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), tg.dbURL, tg.data, db.Options{})
	if err != nil {
		t.Fatalf("open the database to check it: %v", err)
	}
	return d
}

// checkIntegrity runs SQLite's full integrity_check (pages, records, and that
// every index matches its table) and foreign_key_check. PostgreSQL checks its
// own pages as it reads them; the writes checked by verify are its test.
func checkIntegrity(t *testing.T, d *db.DB) {
	t.Helper()
	if d.Engine != db.SQLite {
		return
	}
	var problems []string
	query(t, d, func(r *db.Rows) error {
		var s string
		err := r.Scan(&s)
		if s != "ok" {
			problems = append(problems, s)
		}
		return err
	}, "PRAGMA integrity_check")
	if len(problems) > 0 {
		t.Fatalf("DAMAGED: PRAGMA integrity_check after the crash: %s", strings.Join(problems, "; "))
	}
	// foreign_key_check returns one row per child row whose parent is missing.
	var orphans []string
	query(t, d, func(r *db.Rows) error {
		var table, parent string
		var rowid, fk any
		err := r.Scan(&table, &rowid, &parent, &fk)
		orphans = append(orphans, fmt.Sprintf("%s row %v → %s", table, rowid, parent))
		return err
	}, "PRAGMA foreign_key_check")
	if len(orphans) > 0 {
		t.Fatalf("DAMAGED: PRAGMA foreign_key_check: %s", strings.Join(orphans, "; "))
	}
}
