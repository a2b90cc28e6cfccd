package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/importer"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
)

// manyCSV is a form export of n new applicants.
func manyCSV(n int) string {
	var sb strings.Builder
	sb.WriteString("Nama Pemilik,Nama Usaha,No. WhatsApp,Nama Produk,Kabupaten/Kota\n")
	for i := range n {
		fmt.Fprintf(&sb, "Pemilik %d,Usaha Camilan %d,0812%08d,Keripik %d,Kota Surabaya\n", i, i, 7000+i, i)
	}
	return sb.String()
}

// start checks csv and goes on into the real run, and returns the real run's
// batch once the check is over (the run may still be going).
func (w world) start(t *testing.T, csv string, skip []int) int64 {
	t.Helper()
	ctx := context.Background()
	key, err := w.im.StoreFile(ctx, w.clerk, "jawaban.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	check, err := w.im.StartCheck(ctx, w.clerk, key, skip, true)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	for {
		b := w.batch(t, check)
		if b.State == importer.Done && b.Next != 0 {
			return b.Next
		}
		if b.State != importer.Running {
			t.Fatalf("the check ended %s without a run: %+v", b.State, b.Report)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (w world) batch(t *testing.T, id int64) importer.Batch {
	t.Helper()
	b, err := w.im.BatchOf(context.Background(), w.clerk, id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The real run writes in short transactions and between two of them holds
// nothing: another writer (a sign-in) commits while the import is half-way.
func TestTheImportWritesInShortTransactionsThatLetOthersIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		w.im.BatchRows, w.im.BatchTime = 3, time.Minute
		var progress []int
		signedIn := make(chan error, 1)
		importer.SetAfterBatch(w.im, func(done int) {
			progress = append(progress, done)
			if done == 3 {
				// On SQLite there is one writer: a run holding it would make
				// this wait for the whole file.
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				_, _, err := w.im.Accounts.Login(ctx, "siti@galeri.id", "batik tulis madura", "10.0.0.1", "")
				signedIn <- err
			}
		})
		id := w.start(t, manyCSV(10), nil)
		w.im.Wait()
		if err := <-signedIn; err != nil {
			t.Fatalf("a sign-in half-way through the import: %v", err)
		}
		if fmt.Sprint(progress) != "[3 6 9 10]" {
			t.Errorf("transactions ended after rows %v, want [3 6 9 10]", progress)
		}
		b := w.batch(t, id)
		if b.State != importer.Done || b.RowsDone != 10 || b.RowsTotal != 10 || b.Imported != 10 || b.FinishedAt == nil {
			t.Fatalf("batch %+v", b)
		}
		numbers, err := w.im.Numbers(context.Background(), id)
		if err != nil || len(numbers) != 10 || numbers[0] != "GAL-2026-00001" {
			t.Fatalf("numbers %q %v", numbers, err)
		}
		for action, want := range map[string]int{"import.start": 1, "import.done": 1, "application.import": 10} {
			if n := w.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = ?", action); n != want {
				t.Errorf("%d audit records %s, want %d", n, action, want)
			}
		}
	})
}

// An import is undone as a whole while its applications are drafts: the
// accounts, businesses, products and applications it created go; an
// applicant it only found keeps theirs. Once one application is submitted,
// the undo is refused.
func TestAnImportIsUndoneAsAWholeWhileItsApplicationsAreDrafts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		// Sri is known already: the import adds a product and an application
		// to her business.
		sri, err := w.im.Accounts.Register(ctx, account.NewUser{Name: "Sri Wahyuni", Phone: "085233100202", Password: "keripik tempe sanan"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.im.Applicants.Save(ctx, sri, sri.ID, applicant.BusinessInput{Name: "Keripik Tempe Sanan Bu Sri", OwnerName: "Sri Wahyuni"}); err != nil {
			t.Fatal(err)
		}
		before := w.snapshot(t)
		csv := manyCSV(4) + "Sri Wahyuni,Keripik Tempe Sanan,085233100202,Keripik Tempe Pedas,Kota Malang\n"
		id := w.start(t, csv, nil)
		w.im.Wait()
		if b := w.batch(t, id); b.State != importer.Done || b.Imported != 5 {
			t.Fatalf("batch %+v", b)
		}
		if err := w.im.Undo(ctx, w.clerk, id); err != nil {
			t.Fatal(err)
		}
		after := w.snapshot(t)
		for _, table := range []string{"users", "businesses", "products", "applications", "application_products", "application_events"} {
			if after[table] != before[table] {
				t.Errorf("%s: %d before the import, %d after its undo", table, before[table], after[table])
			}
		}
		if _, err := w.im.Accounts.ByLogin(ctx, "085233100202"); err != nil {
			t.Errorf("Sri's own account went with the undo: %v", err)
		}
		if b := w.batch(t, id); b.State != importer.Undone || b.Undoable() {
			t.Errorf("after the undo: %+v", b)
		}
		if err := w.im.Undo(ctx, w.clerk, id); !apperr.IsKind(err, apperr.Conflict) {
			t.Errorf("undoing twice: %v", err)
		}
		if n := w.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'import.undo'"); n != 1 {
			t.Errorf("%d audit records of the undo", n)
		}

		// Imported again; one application is submitted by the clerk for its
		// applicant: now it is someone's work, and the undo is refused.
		id = w.start(t, manyCSV(3), nil)
		w.im.Wait()
		page, err := w.im.Applications.List(ctx, application.Filter{State: sop.Draft})
		if err != nil || len(page.Items) == 0 {
			t.Fatal(err)
		}
		if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE applications SET state = 'submitted' WHERE id = ?", page.Items[0].ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		mid := w.snapshot(t)
		if err := w.im.Undo(ctx, w.clerk, id); !apperr.IsKind(err, apperr.Conflict) || !strings.Contains(err.Error(), "diajukan") {
			t.Fatalf("undo after a submission: %v", err)
		}
		if got := w.snapshot(t); fmt.Sprint(got) != fmt.Sprint(mid) {
			t.Errorf("a refused undo changed something:\n%v\n%v", mid, got)
		}
		if b := w.batch(t, id); b.State != importer.Done {
			t.Errorf("a refused undo left the batch %s", b.State)
		}
	})
}

// A run whose process died is shown as interrupted, not as running forever,
// and may be undone; a run stopped by a shutdown says so itself.
func TestARunWhoseProcessStoppedIsInterrupted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		w.im.BatchRows, w.im.BatchTime = 2, time.Minute
		importer.SetAfterBatch(w.im, func(done int) {
			if done == 4 {
				importer.StopRuns(w.im)
			}
		})
		id := w.start(t, manyCSV(9), nil)
		w.im.Wait()
		b := w.batch(t, id)
		if b.State != importer.Interrupted || b.RowsDone != 4 || b.Imported != 4 || !strings.Contains(b.Error.EN, "stopped") || !b.Undoable() {
			t.Fatalf("after a shutdown: %+v", b)
		}
		if err := w.im.Undo(ctx, w.clerk, id); err != nil {
			t.Fatal(err)
		}
		if n := w.count(t, "SELECT COUNT(*) FROM applications"); n != 0 {
			t.Errorf("%d applications after undoing the interrupted run", n)
		}

		// A process that died leaves its batch running, with a heartbeat
		// that gets old.
		if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO import_batches (kind, created_by, file_name, state, rows_total, rows_done, owner, heartbeat_at, created_at)
				VALUES ('import', ?, 'lama.csv', 'running', 100, 40, 'mati:1', ?, ?)`, w.clerk.ID, tx.Now.Add(-10*time.Minute), tx.Now.Add(-11*time.Minute))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		list, err := w.im.Batches(ctx, w.clerk, 10)
		if err != nil || len(list) != 3 || list[0].State != importer.Interrupted || list[0].FileName != "lama.csv" {
			t.Fatalf("batches %+v %v", list, err)
		}
		if err := w.im.Undo(ctx, w.clerk, list[0].ID); err != nil {
			t.Fatalf("undo of a dead run: %v", err)
		}
	})
}

// A real run that meets a problem its check did not (the data changed in
// between) stops and removes what it made: never half a file.
func TestARunThatMeetsANewProblemUndoesItself(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		w.im.BatchRows, w.im.BatchTime = 2, time.Minute
		csv := manyCSV(6)
		key, err := w.im.StoreFile(ctx, w.clerk, "jawaban.csv", []byte(csv))
		if err != nil {
			t.Fatal(err)
		}
		check, err := w.im.StartCheck(ctx, w.clerk, key, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		w.im.Wait()
		if b := w.batch(t, check); !b.Passed() {
			t.Fatalf("check: %+v", b)
		}
		before := w.snapshot(t)
		// Between the check and the run, the applicant of row 6 registers
		// online and starts an application.
		u, err := w.im.Accounts.Register(ctx, account.NewUser{Name: "Pemilik 4", Phone: "081200007004", Password: "keripik tempe sanan"})
		if err != nil {
			t.Fatal(err)
		}
		b, _, _ := w.im.Applicants.Save(ctx, u, u.ID, applicant.BusinessInput{Name: "Usaha Camilan 4"})
		p, _, _ := w.im.Applicants.SaveProduct(ctx, u, b.ID, 0, applicant.ProductInput{Name: "Keripik 4"})
		if _, err := w.im.Applications.CreateDraft(ctx, u, b.ID, []int64{p.ID}, application.Online); err != nil {
			t.Fatal(err)
		}
		id, err := w.im.StartImport(ctx, w.clerk, check)
		if err != nil {
			t.Fatal(err)
		}
		w.im.Wait()
		batch := w.batch(t, id)
		if batch.State != importer.Failed || batch.Imported != 0 || !strings.Contains(batch.Error.ID, "Baris 6") {
			t.Fatalf("batch %+v", batch)
		}
		after := w.snapshot(t)
		if after["applications"] != before["applications"]+1 || after["users"] != before["users"]+1 {
			t.Errorf("the failed run left something behind:\nbefore %v\nafter  %v", before, after)
		}
	})
}

// The file checked is kept for its real run, for the clerk who uploaded it,
// for a while; the run starts only from a check that found no problem, and a
// check keeps every problem it found for its page.
func TestTheCheckedFileIsKeptForItsRun(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		key, err := w.im.StoreFile(ctx, w.clerk, "jawaban.csv", []byte(formCSV))
		if err != nil {
			t.Fatal(err)
		}
		before := w.snapshot(t)
		check, err := w.im.StartCheck(ctx, w.clerk, key, nil, true)
		if err != nil {
			t.Fatal(err)
		}
		w.im.Wait()
		b := w.batch(t, check)
		if b.Kind != importer.Check || b.State != importer.Done || b.Report == nil || len(b.Report.Problems) != 1 || b.Report.Problems[0].Row != 3 ||
			b.Passed() || b.Next != 0 || b.RowsDone != 5 {
			t.Fatalf("a check with a bad row: %+v %+v", b, b.Report)
		}
		if got := w.snapshot(t); fmt.Sprint(got) != fmt.Sprint(before) {
			t.Fatalf("a check wrote:\n%v\n%v", before, got)
		}
		if _, err := w.im.StartImport(ctx, w.clerk, check); code(err) != "import.not_checked" {
			t.Fatalf("an import from a check with a problem: %v", err)
		}
		other, err := w.im.Accounts.Create(ctx, account.NewUser{Name: "Budi", Email: "budi@galeri.id", Role: role.StafGaleri, Password: "batik tulis madura"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.im.Recheck(ctx, other, check, []int{3}, false); code(err) != "import.file_gone" {
			t.Errorf("another clerk checking the file: %v", err)
		}
		again, err := w.im.Recheck(ctx, w.clerk, check, []int{3}, false)
		if err != nil {
			t.Fatal(err)
		}
		w.im.Wait()
		if b := w.batch(t, again); !b.Passed() || b.Skip != "3" || b.FileName != "jawaban.csv" || b.Report.Ready != 4 || b.Report.Skipped != 1 {
			t.Fatalf("the check skipping row 3: %+v %+v", b, b.Report)
		}
		id, err := w.im.StartImport(ctx, w.clerk, again)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.im.StartImport(ctx, w.clerk, again); code(err) != "import.started" {
			t.Errorf("a second import from one check: %v", err)
		}
		w.im.Wait()
		if b := w.batch(t, again); b.Next != id {
			t.Errorf("the check names run %d, want %d", b.Next, id)
		}
		if b := w.batch(t, id); b.Kind != importer.Import || b.State != importer.Done || b.Imported != 4 || b.Skip != "3" {
			t.Fatalf("batch %+v", b)
		}
		// Two hours on, the file is gone.
		now := time.Date(2026, 11, 2, 11, 1, 0, 0, time.FixedZone("WIB", 7*3600))
		d.Now = func() time.Time { return now }
		if _, err := w.im.Recheck(ctx, w.clerk, check, nil, false); code(err) != "import.file_gone" {
			t.Errorf("an expired file: %v", err)
		}
		if n, err := w.im.PurgeFiles(ctx); err != nil || n != 1 {
			t.Errorf("purged %d files (%v), want 1", n, err)
		}
	})
}

func code(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return fmt.Sprint(err)
}

// The templates hold every column the import knows, titled so that it
// recognises each one.
func TestTemplatesHoldEveryColumn(t *testing.T) {
	for name, write := range map[string]func(w *bytes.Buffer) error{
		"csv":  func(w *bytes.Buffer) error { return importer.TemplateCSV(w) },
		"xlsx": func(w *bytes.Buffer) error { return importer.TemplateXLSX(w) },
	} {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatal(err)
		}
		// An empty template is refused as empty, but its header must be the
		// importer's own: add one answer and check it reads every column.
		var tbl importer.Table
		var err error
		if name == "csv" {
			tbl, err = importer.Read(strings.NewReader(buf.String() + "Sri,3573054107850003,Keripik\n"))
		} else {
			f, ferr := excelize.OpenReader(&buf)
			if ferr != nil {
				t.Fatal(ferr)
			}
			if sheets := f.GetSheetList(); len(sheets) != 2 || sheets[0] != "Jawaban" || sheets[1] != "Petunjuk" {
				t.Errorf("sheets %q", sheets)
			}
			_ = f.SetCellStr("Jawaban", "B2", "Sri")
			var out bytes.Buffer
			_, _ = f.WriteTo(&out)
			tbl, err = importer.Read(&out)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if unknown, missing := importer.HeaderCheck(tbl.Header); len(unknown) != 0 || missing != 0 {
			t.Errorf("%s template: unknown columns %q, %d fields not found", name, unknown, missing)
		}
	}
}
