// Command etalase-load is Etalase's performance suite: it builds a data set of
// realistic size (20,000 applications by default) on SQLite and PostgreSQL,
// starts the real server on it, drives it with a Go client, and reports every
// goal of the "staff pages at speed" work as a ratio to a baseline measured in
// the same run on the same machine:
//
//   - pages (home, staff list, due list, detail, API list, search): requests a
//     second against a bare net/http server serving the same bytes;
//
//   - search: the p95 of the search as the application runs it against the
//     raw full-text query, and with -items the catalogue's search likewise
//     (p50, p95, p99);
//
//   - the applications register: the workbook's time against the same rows
//     as CSV, with the server's peak memory growth while it writes one;
//
//   - an import of 5,000 rows: how long a sign-in and a document check take
//     while it runs;
//
//   - 64 sign-ins at once: their p99 against one alone, and the memory the
//     hashes took;
//
//   - `etalase version`: its time against starting /bin/true.
//
//     go run ./cmd/etalase-load [-engine both] [-apps 20000] [-import 5000] [-out FILE]
//
// scripts/load.sh builds the server and runs it. Only the ratios carry from one
// machine to another.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/xuri/excelize/v2"
	_ "modernc.org/sqlite"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/calendar"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/perf"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/stock"
)

type options struct {
	engines     []db.Engine
	apps        int
	importRows  int
	duration    time.Duration
	concurrency int
	bin         string
	pgAdmin     string
	out         string
	items       int // gallery items for the catalogue; 0 skips it
	only        string
}

func main() {
	var o options
	engine := flag.String("engine", "both", "sqlite, postgres or both")
	flag.IntVar(&o.apps, "apps", 20000, "applications in the data set")
	flag.IntVar(&o.importRows, "import", 5000, "rows of the import run during the measurements")
	flag.StringVar(&o.only, "only", "", "run only these steps, e.g. catalogue,search (pages, catalogue, search, register, import, signin, version)")
	flag.IntVar(&o.items, "items", 0, "gallery items on display for the catalogue's pages (0: the catalogue is not driven; e.g. 1000000)")
	flag.DurationVar(&o.duration, "duration", 3*time.Second, "how long each page is driven")
	flag.IntVar(&o.concurrency, "c", 8, "requests in flight at once")
	flag.StringVar(&o.bin, "bin", "", "the etalase binary (default: built from ./cmd/etalase)")
	flag.StringVar(&o.pgAdmin, "postgres", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "a PostgreSQL database from which the run may create and drop its own")
	flag.StringVar(&o.out, "out", "", "also write the report to this file")
	flag.Parse()
	switch *engine {
	case "both":
		o.engines = []db.Engine{db.SQLite, db.Postgres}
	case "sqlite", "postgres":
		o.engines = []db.Engine{db.Engine(*engine)}
	default:
		fail(fmt.Errorf("-engine %q: sqlite, postgres or both", *engine))
	}
	var report bytes.Buffer
	out := io.MultiWriter(os.Stdout, &report)
	if o.bin == "" {
		dir, err := os.MkdirTemp("", "etalase-load-bin")
		if err != nil {
			fail(err)
		}
		defer os.RemoveAll(dir)
		o.bin = filepath.Join(dir, "etalase")
		build := exec.Command("go", "build", "-o", o.bin, "./cmd/etalase")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fail(fmt.Errorf("build the server: %w", err))
		}
	}
	fmt.Fprintf(out, "Etalase load run, %s, %d CPUs, Go %s, %d applications, %d concurrent, %s per page\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), runtime.NumCPU(), runtime.Version(), o.apps, o.concurrency, o.duration)
	for _, e := range o.engines {
		if err := runEngine(e, o, out); err != nil {
			fail(fmt.Errorf("%s: %w", e, err))
		}
	}
	if o.out != "" {
		if err := os.WriteFile(o.out, report.Bytes(), 0o644); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "etalase-load:", err)
	os.Exit(1)
}

// run is one engine's run: its data set, its server, its client.
type run struct {
	o       options
	e       db.Engine
	out     io.Writer
	dir     string
	dsn     string
	seeded  perf.Seeded
	server  *exec.Cmd
	base    string
	token   string // the clerk's API token
	clerk   *client
	results []result
}

// result is one goal's line of the report.
type result struct {
	goal, measured, baseline string
	ratio                    float64
	target                   string
	met                      bool
}

const (
	clerkLogin = "siti@galeri.id"
	password   = "kopi luwak banyuwangi"
	probes     = 8  // staff accounts the sign-in probes use
	burst      = 64 // sign-ins at once
)

func runEngine(e db.Engine, o options, out io.Writer) error {
	r := &run{o: o, e: e, out: out}
	var err error
	if r.dir, err = os.MkdirTemp("", "etalase-load-"+string(e)); err != nil {
		return err
	}
	defer os.RemoveAll(r.dir)
	if e == db.Postgres {
		name := fmt.Sprintf("etalase_load_%d", time.Now().UnixNano())
		admin, err := sql.Open("pgx", o.pgAdmin)
		if err != nil {
			return err
		}
		defer admin.Close()
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			return fmt.Errorf("create the database: %w", err)
		}
		defer admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		u, _ := url.Parse(o.pgAdmin)
		u.Path = "/" + name
		r.dsn = u.String()
	}
	fmt.Fprintf(out, "\n== %s ==\n", e)
	if err := r.seed(); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if err := r.start(); err != nil {
		return fmt.Errorf("start the server: %w", err)
	}
	defer r.stop()
	for _, step := range []struct {
		name string
		do   func() error
	}{{"pages", r.pages}, {"catalogue", r.catalogue}, {"search", r.search}, {"register", r.register}, {"import", r.importLoad},
		{"signin", r.signInBurst}, {"version", r.version}} {
		if o.only != "" && !slices.Contains(strings.Split(o.only, ","), step.name) {
			continue
		}
		if err := step.do(); err != nil {
			return err
		}
	}
	r.print()
	return nil
}

func (r *run) args(cmd ...string) []string {
	a := append(cmd, "--data", r.dir)
	if r.dsn != "" {
		a = append(a, "--db", r.dsn)
	}
	return a
}

// seed writes the data set straight into the database, in bulk, with the
// staff accounts the client signs in as.
func (r *run) seed() error {
	start := time.Now()
	if out, err := exec.Command(r.o.bin, r.args("migrate")...).CombinedOutput(); err != nil {
		return fmt.Errorf("migrate: %v: %s", err, out)
	}
	ctx := audit.WithActor(context.Background(), audit.System)
	d, err := db.Open(ctx, r.dsn, r.dir, db.Options{})
	if err != nil {
		return err
	}
	defer d.Close()
	a, err := app.New(ctx, d, app.Config{DataDir: r.dir})
	if err != nil {
		return err
	}
	defer a.Shutdown(ctx)
	clerk, err := a.Accounts.Create(ctx, account.NewUser{Email: clerkLogin, Name: "Siti Nurhaliza", Role: role.StafGaleri, Password: password})
	if err != nil {
		return err
	}
	for i := range probes {
		if _, err := a.Accounts.Create(ctx, account.NewUser{Email: fmt.Sprintf("petugas%d@galeri.id", i), Name: "Petugas", Role: role.StafGaleri, Password: password}); err != nil {
			return err
		}
	}
	// The burst signs in 64 different people (one account signing in 64
	// times at once is throttled as the guessing it looks like).
	for i := range burst {
		if _, err := a.Accounts.Create(ctx, account.NewUser{Email: fmt.Sprintf("tamu%02d@galeri.id", i), Name: "Tamu", Role: role.Kurator, Password: password}); err != nil {
			return err
		}
	}
	if _, r.token, err = a.Accounts.CreateToken(ctx, clerk, "uji beban"); err != nil {
		return err
	}
	if r.seeded, err = perf.Seed(ctx, d, r.o.apps, clerk.ID); err != nil {
		return err
	}
	fmt.Fprintf(r.out, "data set: %d applications (%d awaiting the document check) written in %s\n", r.o.apps, len(r.seeded.Submitted), time.Since(start).Round(10*time.Millisecond))
	if r.o.items > 0 {
		start := time.Now()
		if err := perf.SeedStock(ctx, d, perf.StockSize{SMEs: max(1, r.o.items/10), Items: r.o.items, Movements: 2 * r.o.items}, nil); err != nil {
			return err
		}
		fmt.Fprintf(r.out, "catalogue: %d items on display, %d movements, written in %s\n", r.o.items, 2*r.o.items, time.Since(start).Round(10*time.Millisecond))
	}
	return nil
}

// catalogue drives the public catalogue as visitors who are not signed in
// (its list, a search, a product page) against a bare server serving the
// same bytes.
func (r *run) catalogue() error {
	if r.o.items == 0 {
		return nil
	}
	visitor := newClient(r.base, r.o.concurrency)
	for _, p := range []struct{ name, path string }{
		{"catalogue page", "/katalog"},
		{"catalogue search", "/katalog?q=" + url.QueryEscape("keripik tempe")},
		{"catalogue product page", "/katalog/" + strconv.Itoa(r.o.items/2+int(r.seeded.FirstID)+r.o.apps)},
	} {
		body, h, err := visitor.get(p.path)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		addr, stop, err := bare(body, h.Get("Content-Type"))
		if err != nil {
			return err
		}
		bc := newClient(addr, r.o.concurrency)
		appDo := func(int) error { _, _, err := visitor.get(p.path); return err }
		bareDo := func(int) error { _, _, err := bc.get("/"); return err }
		_, _, _ = drive(r.o.concurrency, r.o.duration/6, appDo)
		_, _, _ = drive(r.o.concurrency, r.o.duration/6, bareDo)
		ar, al, err := drive(r.o.concurrency, r.o.duration, appDo)
		if err != nil {
			stop()
			return fmt.Errorf("%s: %w", p.name, err)
		}
		br, bl, err := drive(r.o.concurrency, r.o.duration, bareDo)
		stop()
		if err != nil {
			return err
		}
		ratio := ar / br
		r.results = append(r.results, result{goal: p.name + fmt.Sprintf(" (%d KB)", len(body)>>10),
			measured: fmt.Sprintf("%.0f req/s, p50 %s, p95 %s, p99 %s", ar, ms(al.pct(.5)), ms(al.pct(.95)), ms(al.pct(.99))),
			baseline: fmt.Sprintf("bare %.0f req/s, p95 %s", br, ms(bl.pct(.95))), ratio: ratio, target: "≥ 0.25× the rate", met: ratio >= 0.25})
	}
	return nil
}

var listening = regexp.MustCompile(`msg=listening addr=(\S+)`)

func (r *run) start() error {
	// The load comes from one address; trusting it as a proxy lets each
	// simulated person sign in from an address of their own (X-Forwarded-For),
	// as the sign-in throttle expects of a real crowd.
	cmd := exec.Command(r.o.bin, r.args("serve", "--addr", "127.0.0.1:0", "--trusted-proxies", "127.0.0.1/32")...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		return err
	}
	r.server = cmd
	addr := make(chan string, 1)
	go func() {
		buf := make([]byte, 0, 4096)
		chunk := make([]byte, 4096)
		found := false
		for {
			n, err := stderr.Read(chunk)
			if !found {
				buf = append(buf, chunk[:n]...)
				if m := listening.FindSubmatch(buf); m != nil {
					addr <- string(m[1])
					found = true
					buf = nil
				}
			}
			if err != nil {
				if !found {
					close(addr)
				}
				return
			}
		}
	}()
	select {
	case a, ok := <-addr:
		if !ok {
			return errors.New("the server stopped before listening")
		}
		r.base = "http://" + a
	case <-time.After(60 * time.Second):
		return errors.New("the server did not start in a minute")
	}
	r.clerk = newClient(r.base, r.o.concurrency)
	return r.clerk.signIn(clerkLogin)
}

func (r *run) stop() {
	if r.server != nil && r.server.Process != nil {
		_ = r.server.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = r.server.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = r.server.Process.Kill()
		}
	}
}

// client is a signed-in browser.
type client struct {
	base string
	http *http.Client
}

func newClient(base string, conns int) *client {
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute}
	return &client{base: base, http: &http.Client{Jar: jar, Transport: tr, Timeout: 2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn signs in as login, from the address from (X-Forwarded-For) when
// given.
func (c *client) signIn(login string, from ...string) error {
	req, _ := http.NewRequest("POST", c.base+"/login", strings.NewReader(url.Values{"login": {login}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if len(from) > 0 {
		req.Header.Set("X-Forwarded-For", from[0])
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("sign in as %s: status %d (Retry-After %q)", login, res.StatusCode, res.Header.Get("Retry-After"))
	}
	return nil
}

func (c *client) get(path string, header ...string) ([]byte, http.Header, error) {
	req, _ := http.NewRequest("GET", c.base+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: status %d", path, res.StatusCode)
	}
	return body, res.Header, err
}

// latencies is a set of measured durations.
type latencies []time.Duration

func (l latencies) pct(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

func (l latencies) max() time.Duration { return l.pct(1) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// drive sends requests from c workers for d, each made by next, and returns
// the rate and the latencies.
func drive(workers int, d time.Duration, do func(i int) error) (float64, latencies, error) {
	var n atomic.Int64
	var mu sync.Mutex
	var lat latencies
	var firstErr error
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var mine latencies
			for i := w; time.Now().Before(deadline); i += workers {
				t := time.Now()
				if err := do(i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t))
				n.Add(1)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds(), lat, firstErr
}

// bare serves body at every path, as the baseline of a page.
func bare(body []byte, contentType string) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(body)
	})}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// pages drives each page of the app and a bare server serving its bytes.
func (r *run) pages() error {
	ids := r.seeded.FirstID
	n := int64(r.seeded.Applications)
	words := append(slices.Clone(perf.SearchWords), perf.NoMatch...)
	api := []string{"Authorization", "Bearer " + r.token}
	for _, p := range []struct {
		name   string
		path   func(i int) string
		header []string
	}{
		{"home", func(int) string { return "/" }, nil},
		{"staff list (50 rows)", func(int) string { return "/applications" }, nil},
		{"due list (50 rows)", func(int) string { return "/due" }, nil},
		{"application detail", func(i int) string { return fmt.Sprintf("/applications/%d", ids+int64(i*7919)%n) }, nil},
		{"JSON API list (50)", func(int) string { return "/api/v1/applications" }, api},
		{"search page", func(i int) string { return "/applications?q=" + url.QueryEscape(words[i%len(words)]) }, nil},
	} {
		body, h, err := r.clerk.get(p.path(0), p.header...)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		addr, stop, err := bare(body, h.Get("Content-Type"))
		if err != nil {
			return err
		}
		bc := newClient(addr, r.o.concurrency)
		appDo := func(i int) error { _, _, err := r.clerk.get(p.path(i), p.header...); return err }
		bareDo := func(int) error { _, _, err := bc.get("/"); return err }
		// Warm up both; then the app and the bare server by turns, so a
		// neighbour's burst on the shared machine falls on both alike.
		if _, _, err := drive(r.o.concurrency, r.o.duration/6, appDo); err != nil {
			stop()
			return fmt.Errorf("%s: %w", p.name, err)
		}
		_, _, _ = drive(r.o.concurrency, r.o.duration/6, bareDo)
		var rate, brate float64
		var lat latencies
		const turns = 3
		for range turns {
			ar, al, err := drive(r.o.concurrency, r.o.duration/turns, appDo)
			if err != nil {
				stop()
				return fmt.Errorf("%s: %w", p.name, err)
			}
			br, _, err := drive(r.o.concurrency, r.o.duration/turns, bareDo)
			if err != nil {
				stop()
				return err
			}
			rate, brate, lat = rate+ar/turns, brate+br/turns, append(lat, al...)
		}
		stop()
		ratio := rate / brate
		r.results = append(r.results, result{goal: p.name + fmt.Sprintf(" (%d KB)", len(body)>>10),
			measured: fmt.Sprintf("%.0f req/s, p50 %s, p99 %s", rate, ms(lat.pct(.5)), ms(lat.pct(.99))),
			baseline: fmt.Sprintf("bare %.0f req/s", brate), ratio: ratio, target: "≥ 0.10×", met: ratio >= 0.10})
	}
	return nil
}

// search compares the p95 of the search as the application runs it
// (application.Service.List, from this process on the same database) with the
// raw full-text query written by hand for the same page (the matching
// applications' numbers, business names, states, due and submitted dates,
// newest first, fifty: the page chosen first, then joined, the best plain
// shape on both engines), and also shows the bare match of ids alone.
func (r *run) search() error {
	ctx := context.Background()
	var raw *sql.DB
	var err error
	var idsQ, pageQ string
	sub := "(SELECT MIN(e.at) FROM application_events e WHERE e.application_id = a.id AND e.action = 'submit')"
	if r.e == db.Postgres {
		raw, err = sql.Open("pgx", r.dsn)
		idsQ = "SELECT id FROM applications WHERE search @@ to_tsquery('simple', $1) ORDER BY id DESC LIMIT 51"
		pageQ = "SELECT a.id, a.number, b.name, a.state, a.due_at, " + sub + " FROM (SELECT id, number, business_id, state, due_at FROM applications WHERE search @@ to_tsquery('simple', $1) ORDER BY id DESC LIMIT 51) a JOIN businesses b ON b.id = a.business_id ORDER BY a.id DESC"
	} else {
		raw, err = sql.Open("sqlite", "file:"+filepath.Join(r.dir, "etalase.db")+"?mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(10000)&_time_format=sqlite")
		idsQ = "SELECT rowid FROM applications_fts WHERE applications_fts MATCH ? ORDER BY rowid DESC LIMIT 51"
		pageQ = "SELECT a.id, a.number, b.name, a.state, a.due_at, " + sub + " FROM (SELECT a.id, a.number, a.business_id, a.state, a.due_at FROM applications_fts f JOIN applications a ON a.id = f.rowid WHERE applications_fts MATCH ? ORDER BY f.rowid DESC LIMIT 51) a JOIN businesses b ON b.id = a.business_id ORDER BY a.id DESC"
	}
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	ids, err := raw.PrepareContext(ctx, idsQ)
	if err != nil {
		return err
	}
	pg, err := raw.PrepareContext(ctx, pageQ)
	if err != nil {
		return err
	}
	d, err := db.Open(ctx, r.dsn, r.dir, db.Options{MaxReaders: 1})
	if err != nil {
		return err
	}
	defer d.Close()
	svc := application.New(d, calendar.Store{DB: d})
	words := append(slices.Clone(perf.SearchWords), perf.NoMatch...)
	const rounds = 40
	var appLat, idsLat, pageLat latencies
	// The raw queries' rows are read into Go values too, as any page must.
	timeRows := func(st *sql.Stmt, q string) (time.Duration, error) {
		t := time.Now()
		rows, err := st.QueryContext(ctx, q)
		if err != nil {
			return 0, err
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return 0, err
			}
		}
		rows.Close()
		return time.Since(t), rows.Err()
	}
	for round := range rounds + 4 {
		for _, w := range words {
			q := application.MatchQuery(r.e, application.SearchTerms(w))
			it, err := timeRows(ids, q)
			if err != nil {
				return err
			}
			pt, err := timeRows(pg, q)
			if err != nil {
				return err
			}
			t := time.Now()
			if _, err := svc.List(ctx, application.Filter{Search: w}); err != nil {
				return err
			}
			at := time.Since(t)
			if round >= 4 { // the first rounds warm the caches
				idsLat, pageLat, appLat = append(idsLat, it), append(pageLat, pt), append(appLat, at)
			}
		}
	}
	ratio := float64(appLat.pct(.95)) / float64(pageLat.pct(.95))
	r.results = append(r.results, result{goal: "search p95 (as the app runs it)", measured: fmt.Sprintf("%s (ids alone %s)", ms(appLat.pct(.95)), ms(idsLat.pct(.95))),
		baseline: "raw full-text query " + ms(pageLat.pct(.95)), ratio: ratio, target: "≤ 1.5×", met: ratio <= 1.5})
	if r.o.items > 0 {
		return r.catalogueSearch(ctx, raw, d)
	}
	return nil
}

// catalogueSearch compares the catalogue's search as the application runs
// it (stock.Service.Catalog, from this process on the same database, a page
// of 25) with the raw full-text query written by hand for the same page: the
// items on display that match, newest first, with the product's and the
// business's names. The raw query is written out with its words, as a
// hand-written loop would, on PostgreSQL; SQLite takes them as a parameter.
func (r *run) catalogueSearch(ctx context.Context, raw *sql.DB, d *db.DB) error {
	svc := &stock.Service{DB: d}
	words := append(slices.Clone(perf.SearchWords), perf.NoMatch...)
	const rounds = 40
	var appLat, rawLat latencies
	stmts := map[string]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	for round := range rounds + 4 {
		for _, w := range words {
			ws := stock.SearchWords(w)
			var q string
			var args []any
			if r.e == db.Postgres {
				terms := slices.Clone(ws)
				terms[len(terms)-1] += ":*"
				q = `SELECT i.id, p.name, b.name, i.price FROM items i JOIN products p ON p.id = i.product_id JOIN businesses b ON b.id = i.business_id
					WHERE i.status = 'displayed' AND i.on_hand > 0 AND i.search @@ to_tsquery('simple', '` + strings.Join(terms, " & ") + `') ORDER BY i.id DESC LIMIT 25`
			} else {
				terms := make([]string, len(ws))
				for i, x := range ws {
					terms[i] = `"` + x + `"`
				}
				terms[len(terms)-1] += "*"
				q = `SELECT i.id, p.name, b.name, i.price FROM items i JOIN products p ON p.id = i.product_id JOIN businesses b ON b.id = i.business_id
					WHERE i.status = 'displayed' AND i.on_hand > 0 AND i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?) ORDER BY i.id DESC LIMIT 25`
				args = []any{strings.Join(terms, " ")}
			}
			st, ok := stmts[q]
			if !ok {
				var err error
				if st, err = raw.PrepareContext(ctx, q); err != nil {
					return err
				}
				stmts[q] = st
			}
			t := time.Now()
			rows, err := st.QueryContext(ctx, args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id, price int64
				var name, biz string
				if err := rows.Scan(&id, &name, &biz, &price); err != nil {
					rows.Close()
					return err
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			rt := time.Since(t)
			t = time.Now()
			if _, err := svc.Catalog(ctx, stock.CatalogQuery{Words: w, Limit: 25}); err != nil {
				return err
			}
			at := time.Since(t)
			if round >= 4 {
				appLat, rawLat = append(appLat, at), append(rawLat, rt)
			}
		}
	}
	ratio := float64(appLat.pct(.95)) / float64(rawLat.pct(.95))
	r.results = append(r.results, result{goal: "catalogue search p95 (as the app runs it)",
		measured: fmt.Sprintf("p50 %s, p95 %s, p99 %s", ms(appLat.pct(.5)), ms(appLat.pct(.95)), ms(appLat.pct(.99))),
		baseline: fmt.Sprintf("raw query p50 %s, p95 %s, p99 %s", ms(rawLat.pct(.5)), ms(rawLat.pct(.95)), ms(rawLat.pct(.99))),
		ratio:    ratio, target: "≤ 1.5×", met: ratio <= 1.5})
	return nil
}

// memory returns the server's resident memory now and its peak since the last
// reset (VmRSS, VmHWM), and resets the peak.
func (r *run) memory(reset bool) (rss, peak int64) {
	pid := r.server.Process.Pid
	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(status), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb << 10
		case "VmHWM:":
			peak = kb << 10
		}
	}
	if reset {
		_ = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
	}
	return rss, peak
}

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

// register times the applications register of every application as a
// workbook and as CSV, checks the workbook holds them all, and measures the
// server's peak memory growth while it writes one.
func (r *run) register() error {
	timeIt := func(path string) (time.Duration, []byte, error) {
		t := time.Now()
		body, _, err := r.clerk.get(path)
		return time.Since(t), body, err
	}
	var xl, cl latencies
	var book []byte
	var growth int64
	for i := range 3 {
		d, _, err := timeIt("/applications/export.csv")
		if err != nil {
			return err
		}
		cl = append(cl, d)
		runtime.GC()
		before, _ := r.memory(true)
		d, body, err := timeIt("/applications/export.xlsx")
		if err != nil {
			return err
		}
		_, peak := r.memory(false)
		growth = max(growth, peak-before)
		xl = append(xl, d)
		if i == 0 {
			book = body
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		return err
	}
	rows, err := f.Rows("Permohonan")
	if err != nil {
		return err
	}
	held := -1 // the header
	for rows.Next() {
		held++
	}
	rows.Close()
	f.Close()
	ratio := float64(xl.pct(.5)) / float64(cl.pct(.5))
	r.results = append(r.results,
		result{goal: fmt.Sprintf("applications register, %d rows (%d KB)", held, len(book)>>10), measured: "xlsx " + ms(xl.pct(.5)),
			baseline: "same rows as CSV " + ms(cl.pct(.5)), ratio: ratio, target: "≤ 3×", met: ratio <= 3},
		result{goal: "register holds every application", measured: fmt.Sprintf("%d rows", held), baseline: fmt.Sprintf("%d applications", r.o.apps),
			ratio: float64(held) / float64(r.o.apps), target: "= 1", met: held == r.o.apps},
		result{goal: "server memory growth writing the register", measured: mb(growth) + " (peak RSS over RSS before)", baseline: "50 MB",
			ratio: float64(growth) / (50 << 20), target: "< 1×", met: growth < 50<<20})
	return nil
}

// importLoad runs an import of o.importRows rows through the pages (the
// check, then the real run in the background) and meanwhile signs in and
// checks documents, timing each.
func (r *run) importLoad() error {
	csv := perf.FormExport(r.o.importRows, 100000)
	// Idle baselines first.
	var idleSign, idleDoc latencies
	// The document check is one step per application: it accepts all of
	// its documents awaiting the check at once.
	apps := r.seeded.Submitted
	next := 0
	review := func() (time.Duration, error) {
		if next >= len(apps) {
			return 0, errors.New("out of applications to check")
		}
		app := apps[next]
		next++
		t := time.Now()
		res, err := r.clerk.http.PostForm(fmt.Sprintf("%s/applications/%d/check", r.base, app), url.Values{"decision": {"accept"}})
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			return 0, fmt.Errorf("document check: status %d", res.StatusCode)
		}
		return time.Since(t), nil
	}
	signIn := func(i int) (time.Duration, error) {
		c := newClient(r.base, 1)
		t := time.Now()
		err := c.signIn(fmt.Sprintf("petugas%d@galeri.id", i%probes))
		return time.Since(t), err
	}
	for i := range 10 {
		s, err := signIn(i)
		if err != nil {
			return err
		}
		d, err := review()
		if err != nil {
			return err
		}
		idleSign, idleDoc = append(idleSign, s), append(idleDoc, d)
	}
	// probe signs in and checks a document every 200 ms until stop.
	probe := func(stop <-chan struct{}) (sign, doc latencies, err error) {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return sign, doc, nil
			case <-time.After(200 * time.Millisecond):
			}
			s, err := signIn(i)
			if err != nil {
				return sign, doc, err
			}
			d, err := review()
			if err != nil {
				return sign, doc, err
			}
			sign, doc = append(sign, s), append(doc, d)
		}
	}
	upload := func() (*http.Response, error) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("mode", "check")
		fw, _ := mw.CreateFormFile("file", "jawaban.csv")
		_, _ = fw.Write([]byte(csv))
		mw.Close()
		req, _ := http.NewRequest("POST", r.base+"/desk/import", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return r.clerk.http.Do(req)
	}
	redirected := func(res *http.Response, err error) (string, error) {
		if err != nil {
			return "", err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		page := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(page, "/desk/import/batches/") {
			return "", fmt.Errorf("import: status %d, to %q", res.StatusCode, page)
		}
		return page, nil
	}
	// follow polls a check's or a run's page, as htmx does, until it ends.
	stateRe := regexp.MustCompile(`id="batch-state">([^<]+)<`)
	follow := func(page string) (string, error) {
		for {
			body, _, err := r.clerk.get(page, "HX-Request", "true")
			if err != nil {
				return "", err
			}
			m := stateRe.FindSubmatch(body)
			if m == nil {
				return "", errors.New("import: no state on its page")
			}
			if state := string(m[1]); state != "Sedang berjalan" {
				return state, nil
			}
			time.Sleep(time.Second)
		}
	}
	type probed struct {
		sign, doc latencies
		err       error
	}
	during := func(work func() error) (time.Duration, probed, error) {
		stop := make(chan struct{})
		got := make(chan probed, 1)
		go func() { s, d, err := probe(stop); got <- probed{s, d, err} }()
		t := time.Now()
		err := work()
		took := time.Since(t)
		close(stop)
		p := <-got
		if err == nil {
			err = p.err
		}
		return took, p, err
	}
	// The check (dry run), in the background, followed on its page.
	var check string
	checkTook, checkP, err := during(func() error {
		var err error
		if check, err = redirected(upload()); err != nil {
			return err
		}
		state, err := follow(check)
		if err == nil && state != "Selesai" {
			err = fmt.Errorf("import check ended %q", state)
		}
		return err
	})
	if err != nil {
		return err
	}
	// The real run from the passed check, followed on its page.
	runTook, runP, err := during(func() error {
		run, err := redirected(r.clerk.http.PostForm(r.base+check+"/next", url.Values{"mode": {"apply"}}))
		if err != nil {
			return err
		}
		state, err := follow(run)
		if err == nil && state != "Selesai" {
			err = fmt.Errorf("import run ended %q", state)
		}
		return err
	})
	if err != nil {
		return err
	}
	rows := float64(r.o.importRows)
	r.results = append(r.results,
		result{goal: fmt.Sprintf("import of %d rows: check, then run", r.o.importRows),
			measured: fmt.Sprintf("check %s (%.0f rows/s), run %s (%.0f rows/s)", checkTook.Round(100*time.Millisecond), rows/checkTook.Seconds(), runTook.Round(100*time.Millisecond), rows/runTook.Seconds()),
			baseline: "was 135 s in one transaction", ratio: (checkTook + runTook).Seconds() / 135, target: "(no goal)", met: true})
	for _, x := range []struct {
		what      string
		idle, got latencies
	}{
		{"sign-in during the import's check", idleSign, checkP.sign}, {"sign-in during the import's run", idleSign, runP.sign},
		{"document check during the import's check", idleDoc, checkP.doc}, {"document check during the import's run", idleDoc, runP.doc},
	} {
		r.results = append(r.results, result{goal: x.what, measured: fmt.Sprintf("max %s, p95 %s (%d tries)", ms(x.got.max()), ms(x.got.pct(.95)), len(x.got)),
			baseline: "idle p50 " + ms(x.idle.pct(.5)), ratio: float64(x.got.max()) / float64(x.idle.pct(.5)), target: "max < 1 s", met: len(x.got) > 0 && x.got.max() < time.Second})
	}
	return nil
}

// signInBurst signs in 64 times at once and measures the latency and the
// server's memory growth, against one sign-in alone and one hash's memory.
func (r *run) signInBurst() error {
	var alone latencies
	for i := range 5 {
		c := newClient(r.base, 1)
		t := time.Now()
		if err := c.signIn(fmt.Sprintf("petugas%d@galeri.id", i%probes)); err != nil {
			return err
		}
		alone = append(alone, time.Since(t))
	}
	runtime.GC()
	before, _ := r.memory(true)
	lat := make(latencies, burst)
	errs := make([]error, burst)
	var wg sync.WaitGroup
	for i := range burst {
		wg.Go(func() {
			c := newClient(r.base, 1)
			t := time.Now()
			errs[i] = c.signIn(fmt.Sprintf("tamu%02d@galeri.id", i), fmt.Sprintf("10.1.%d.%d", i/250, 1+i%250))
			lat[i] = time.Since(t)
		})
	}
	wg.Wait()
	_, peak := r.memory(false)
	refused := 0
	var why error
	for _, err := range errs {
		if err != nil {
			refused++
			why = err
		}
	}
	if why != nil {
		fmt.Fprintf(r.out, "burst: %d sign-ins refused, e.g. %v\n", refused, why)
	}
	const hash = 19 << 20
	ratio := float64(lat.pct(.99)) / float64(alone.pct(.5))
	r.results = append(r.results,
		result{goal: fmt.Sprintf("%d sign-ins at once", burst), measured: fmt.Sprintf("p50 %s, p99 %s, %d refused as busy", ms(lat.pct(.5)), ms(lat.pct(.99)), refused),
			baseline: "one alone " + ms(alone.pct(.5)), ratio: ratio, target: "all answered, p99 < 4.8 s (was)", met: lat.pct(.99) < 4800*time.Millisecond},
		result{goal: "server memory growth during the burst", measured: mb(peak - before), baseline: "one hash 19 MB",
			ratio: float64(peak-before) / hash, target: "≤ 5 hashes (a few; was 1.5 GB)", met: float64(peak-before)/hash <= 5})
	return nil
}

// version times `etalase version` against starting /bin/true.
func (r *run) version() error {
	timeIt := func(name string, args ...string) (latencies, error) {
		var l latencies
		for range 15 {
			t := time.Now()
			if err := exec.Command(name, args...).Run(); err != nil {
				return nil, err
			}
			l = append(l, time.Since(t))
		}
		return l, nil
	}
	v, err := timeIt(r.o.bin, "version")
	if err != nil {
		return err
	}
	tr, err := timeIt("/bin/true")
	if err != nil {
		return err
	}
	r.results = append(r.results, result{goal: "etalase version", measured: ms(v.pct(.5)), baseline: "/bin/true " + ms(tr.pct(.5)),
		ratio: float64(v.pct(.5)) / float64(tr.pct(.5)), target: "< 40 ms (a hash at start was 40 ms)", met: v.pct(.5) < 40*time.Millisecond})
	return nil
}

func (r *run) print() {
	fmt.Fprintf(r.out, "%-46s %-52s %-34s %8s  %-30s %s\n", "goal", "measured", "baseline", "ratio", "target", "met")
	for _, x := range r.results {
		met := "yes"
		if !x.met {
			met = "NO"
		}
		fmt.Fprintf(r.out, "%-46s %-52s %-34s %7.3f×  %-30s %s\n", x.goal, x.measured, x.baseline, x.ratio, x.target, met)
	}
}
