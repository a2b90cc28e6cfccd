package importer

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/policy"
)

// A stored file is kept this long for its real run.
const fileLifetime = 2 * time.Hour

var errFileGone = apperr.New(apperr.Invalid, "import.file_gone",
	"Berkas yang diperiksa tadi sudah tidak tersimpan (disimpan 2 jam). Pilih berkasnya lagi.",
	"The file checked earlier is no longer kept (it is kept for 2 hours). Choose the file again.")

func keyHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// StoreFile keeps an uploaded file in the database, for any server process
// to check and import, and returns the key that names it. Only its uploader
// can use it, for two hours.
func (im *Importer) StoreFile(ctx context.Context, actor account.User, name string, data []byte) (string, error) {
	if !policy.RegistersApplicants(actor) {
		return "", errRole
	}
	key := rand.Text()
	err := im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO import_files (token_hash, uploaded_by, name, content, size_bytes, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, keyHash(key), actor.ID, name, data, len(data), tx.Now, tx.Now.Add(fileLifetime))
		return err
	})
	return key, err
}

// file returns the stored file whose key hashes to hash, if actor uploaded it
// and it has not expired.
func (im *Importer) file(ctx context.Context, actor account.User, hash string) (name string, data []byte, err error) {
	err = im.DB.Q(ctx).QueryRowContext(ctx, "SELECT name, content FROM import_files WHERE token_hash = ? AND uploaded_by = ? AND expires_at > ?",
		hash, actor.ID, im.DB.Clock(ctx)).Scan(&name, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, errFileGone
	}
	return name, data, err
}

// PurgeFiles removes the stored files past their time; the server runs it now
// and then.
func (im *Importer) PurgeFiles(ctx context.Context) (int64, error) {
	var n int64
	err := im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM import_files WHERE expires_at <= ?", tx.Now)
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	return n, err
}

// State is where a batch stands.
type State string

const (
	Running     State = "running"
	Done        State = "done"
	Failed      State = "failed"      // met a problem and undid itself
	Interrupted State = "interrupted" // its process stopped or died
	Undone      State = "undone"      // undone by a clerk
)

// Label names the state for the page.
func (s State) Label() i18n.Text {
	switch s {
	case Running:
		return i18n.Text{ID: "Sedang berjalan", EN: "Running"}
	case Done:
		return i18n.Text{ID: "Selesai", EN: "Done"}
	case Failed:
		return i18n.Text{ID: "Gagal, tidak ada yang diimpor", EN: "Failed, nothing imported"}
	case Interrupted:
		return i18n.Text{ID: "Terputus", EN: "Interrupted"}
	case Undone:
		return i18n.Text{ID: "Dibatalkan", EN: "Undone"}
	}
	return i18n.Text{ID: string(s), EN: string(s)}
}

// Kind is what a batch does.
type Kind string

const (
	Check  Kind = "check"  // a dry run: reads every row, writes nothing, keeps its report
	Import Kind = "import" // the real run
)

// Batch is one check or real run of an import, as the database holds it.
type Batch struct {
	ID         int64
	Kind       Kind
	FileKey    string // the stored file's key hash
	ThenImport bool   // a check that goes on into the real run when it passes
	Next       int64  // the real run a passed check went on into
	Report     *Report
	CreatedBy  int64
	FileName   string
	Skip       string
	State      State
	RowsTotal  int
	RowsDone   int
	Imported   int // applications created
	Error      i18n.Text
	Owner      string
	Heartbeat  time.Time
	CreatedAt  time.Time
	FinishedAt *time.Time
}

// Percent is how far the batch has gone, 0 to 100.
func (b Batch) Percent() int {
	if b.RowsTotal == 0 {
		return 100
	}
	return b.RowsDone * 100 / b.RowsTotal
}

// Undoable reports whether the batch may be undone, as far as its state says
// (Undo also checks that its applications are still drafts).
func (b Batch) Undoable() bool {
	return b.Kind == Import && (b.State == Done || b.State == Interrupted)
}

// Passed reports whether the batch is a finished check that found no
// problem: its file may be imported with its rows skipped.
func (b Batch) Passed() bool {
	return b.Kind == Check && b.State == Done && b.Report != nil && len(b.Report.Problems) == 0
}

const batchColumns = `id, kind, file_key, then_import, COALESCE(next_batch_id, 0), report, created_by, file_name, skip_rows, state,
	rows_total, rows_done, imported, error_text_id, error_text_en, owner, heartbeat_at, created_at, finished_at`

func (im *Importer) scanBatch(ctx context.Context, row interface{ Scan(...any) error }) (Batch, error) {
	var b Batch
	var kind, state, report string
	var finished sql.NullTime
	err := row.Scan(&b.ID, &kind, &b.FileKey, &b.ThenImport, &b.Next, &report, &b.CreatedBy, &b.FileName, &b.Skip, &state,
		&b.RowsTotal, &b.RowsDone, &b.Imported, &b.Error.ID, &b.Error.EN, &b.Owner, &b.Heartbeat, &b.CreatedAt, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return Batch{}, errBatchNotFound
	}
	if err != nil {
		return Batch{}, err
	}
	b.Kind, b.State = Kind(kind), State(state)
	if report != "" {
		b.Report = &Report{}
		if err := json.Unmarshal([]byte(report), b.Report); err != nil {
			return Batch{}, fmt.Errorf("import batch %d: its report: %w", b.ID, err)
		}
	}
	if finished.Valid {
		t := finished.Time
		b.FinishedAt = &t
	}
	// A run whose process has stopped stamping it died with that process.
	if b.State == Running && im.DB.Clock(ctx).Sub(b.Heartbeat) > im.Stale {
		b.State = Interrupted
	}
	return b, nil
}

var errBatchNotFound = apperr.New(apperr.NotFound, "import.batch_not_found", "Impor ini tidak ditemukan.", "This import was not found.")

// BatchOf returns the batch with id, for gallery staff.
func (im *Importer) BatchOf(ctx context.Context, actor account.User, id int64) (Batch, error) {
	if !policy.RegistersApplicants(actor) {
		return Batch{}, errRole
	}
	return im.scanBatch(ctx, im.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+batchColumns+" FROM import_batches WHERE id = ?", id))
}

// Batches returns the latest batches, newest first.
func (im *Importer) Batches(ctx context.Context, actor account.User, limit int) ([]Batch, error) {
	if !policy.RegistersApplicants(actor) {
		return nil, errRole
	}
	rows, err := im.DB.Q(ctx).QueryContext(ctx, fmt.Sprintf("SELECT "+batchColumns+" FROM import_batches ORDER BY id DESC LIMIT %d", limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		b, err := im.scanBatch(ctx, rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Numbers returns the application numbers a batch created, in row order.
func (im *Importer) Numbers(ctx context.Context, batch int64) ([]string, error) {
	rows, err := im.DB.Q(ctx).QueryContext(ctx, "SELECT number FROM applications WHERE import_batch_id = ? ORDER BY id", batch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func refusedRows(rep Report) error {
	n := rowsWithProblems(rep)
	return apperr.New(apperr.Invalid, "import.has_problems",
		fmt.Sprintf("Tidak ada yang diimpor: %d baris masih bermasalah (baris %s). Perbaiki berkasnya lalu unggah lagi, atau lewati baris itu dengan sengaja.", n, problemRows(rep)),
		fmt.Sprintf("Nothing was imported: %d rows still have problems (rows %s). Fix the file and upload it again, or skip those rows deliberately.", n, problemRows(rep)))
}

// StartCheck begins a check (dry run) of the stored file key with the rows
// skip left out, in the background of this process, and returns its batch,
// whose progress and, at the end, report BatchOf reads. A file that cannot be
// read or whose columns or skipped rows are wrong is refused at once. With
// thenImport, a check that finds no problem goes straight on into the real
// run.
func (im *Importer) StartCheck(ctx context.Context, actor account.User, key string, skip []int, thenImport bool) (int64, error) {
	return im.startCheck(ctx, actor, keyHash(key), skip, thenImport)
}

// Recheck checks the file of the check id again, with other rows left out.
func (im *Importer) Recheck(ctx context.Context, actor account.User, id int64, skip []int, thenImport bool) (int64, error) {
	b, err := im.BatchOf(ctx, actor, id)
	if err != nil {
		return 0, err
	}
	if b.Kind != Check {
		return 0, errBatchNotFound
	}
	return im.startCheck(ctx, actor, b.FileKey, skip, thenImport)
}

func (im *Importer) startCheck(ctx context.Context, actor account.User, fileKey string, skip []int, thenImport bool) (int64, error) {
	if !policy.RegistersApplicants(actor) {
		return 0, errRole
	}
	name, data, err := im.file(ctx, actor, fileKey)
	if err != nil {
		return 0, err
	}
	t, err := Read(bytes.NewReader(data))
	if err != nil {
		return 0, err
	}
	var rep Report
	p, err := im.plan(actor, t, skip, &rep)
	if err != nil {
		return 0, err
	}
	id, err := im.newBatch(ctx, actor, Check, fileKey, name, p, thenImport)
	if err != nil {
		return 0, err
	}
	im.background(ctx, func(ctx context.Context) { im.checkWork(ctx, id, p, fileKey, name, thenImport) })
	return id, nil
}

var errNotPassed = apperr.New(apperr.Conflict, "import.not_checked",
	"Impor hanya dapat dimulai dari pemeriksaan yang tidak menemukan masalah, dengan baris yang dilewati sama.",
	"An import can start only from a check that found no problem, with the same rows skipped.")

// StartImport begins the real run of the file of check id, which must have
// passed, in the background of this process, and returns its batch.
func (im *Importer) StartImport(ctx context.Context, actor account.User, id int64) (int64, error) {
	b, err := im.BatchOf(ctx, actor, id)
	if err != nil {
		return 0, err
	}
	if !b.Passed() {
		return 0, errNotPassed
	}
	name, data, err := im.file(ctx, actor, b.FileKey)
	if err != nil {
		return 0, err
	}
	t, err := Read(bytes.NewReader(data))
	if err != nil {
		return 0, err
	}
	var rep Report
	p, err := im.plan(actor, t, ParseSkip(b.Skip), &rep)
	if err != nil {
		return 0, err
	}
	// One run per check, claimed with the run's creation: a second click
	// starts nothing.
	var run int64
	err = im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if run, err = im.newBatch(ctx, actor, Import, b.FileKey, name, p, false); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE import_batches SET next_batch_id = ? WHERE id = ? AND next_batch_id IS NULL", run, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return cmpErr(err, errStarted)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	im.background(ctx, func(ctx context.Context) { im.work(ctx, run, p) })
	return run, nil
}

var errStarted = apperr.New(apperr.Conflict, "import.started",
	"Impor dari pemeriksaan ini sudah dimulai.", "The import from this check has already started.")

// background runs fn outliving the request, keeping its values (the actor
// for the audit trail), until the importer shuts down.
func (im *Importer) background(ctx context.Context, fn func(context.Context)) {
	bctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(im.base, cancel)
	im.running.Add(1)
	go func() {
		defer im.running.Done()
		defer cancel()
		defer stop()
		fn(bctx)
	}()
}

// checkWork runs check id of p, moving its progress on after each of its
// short transactions, and keeps its report; a passed check asked to go on
// starts the real run.
func (im *Importer) checkWork(ctx context.Context, id int64, p plan, fileKey, name string, thenImport bool) {
	rep, err := im.dryRun(ctx, p, func(done int) error { return im.progress(ctx, id, done, 0) })
	end := context.WithoutCancel(ctx) // the end is written even if the run was cancelled
	switch {
	case errors.Is(err, errStopped):
		return
	case errors.Is(err, context.Canceled):
		_ = im.finish(end, id, Interrupted, i18n.Text{ID: "Server dihentikan saat pemeriksaan berjalan.", EN: "The server was stopped while the check ran."}, "")
		return
	case err != nil:
		_ = im.finish(end, id, Failed, i18n.Text{ID: "Pemeriksaan terhenti karena kesalahan sistem.", EN: "The check stopped on a system error."}, "")
		return
	}
	var run int64
	if thenImport && len(rep.Problems) == 0 {
		if run, err = im.newBatch(end, p.actor, Import, fileKey, name, p, false); err != nil {
			_ = im.finish(end, id, Failed, i18n.Text{ID: "Impor tidak dapat dimulai.", EN: "The import could not start."}, "")
			return
		}
	}
	report, err := json.Marshal(rep)
	if err == nil {
		// The report, the run it goes on into and the end, at once: whoever
		// reads the check finished reads all three.
		err = im.DB.InTx(end, func(ctx context.Context, tx *db.Tx) error {
			var next any
			if run != 0 {
				next = run
			}
			if _, err := tx.ExecContext(ctx, "UPDATE import_batches SET report = ?, next_batch_id = ? WHERE id = ?", string(report), next, id); err != nil {
				return err
			}
			return im.finish(ctx, id, Done, i18n.Text{}, "")
		})
	}
	if err != nil {
		_ = im.finish(end, id, Failed, i18n.Text{ID: "Hasil pemeriksaan tidak dapat disimpan.", EN: "The check's report could not be kept."}, "")
		return
	}
	if run != 0 {
		im.work(ctx, run, p)
	}
}

// progress records that batch id has done rows, with the heartbeat, and
// stops the run (errStopped) when the batch is no longer this process's.
func (im *Importer) progress(ctx context.Context, id int64, done, made int) error {
	return im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		return im.advance(ctx, tx, id, done, made)
	})
}

func (im *Importer) advance(ctx context.Context, tx *db.Tx, id int64, done, made int) error {
	res, err := tx.ExecContext(ctx, "UPDATE import_batches SET rows_done = ?, imported = imported + ?, heartbeat_at = ? WHERE id = ? AND state = 'running' AND owner = ?",
		done, made, tx.Now, id, im.Owner)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errors.Join(errStopped, err)
	}
	return nil
}

// Run checks t and, when no row has a problem, imports it and waits for the
// end, in the same short transactions as Start: for the command line. A
// refusal (apperr.Invalid) writes nothing and its report lists the problems.
func (im *Importer) Run(ctx context.Context, actor account.User, t Table, skip []int) (Report, error) {
	rep, err := im.DryRun(ctx, actor, t, skip)
	if err != nil {
		return rep, err
	}
	if len(rep.Problems) > 0 {
		return rep, refusedRows(rep)
	}
	var p plan
	if p, err = im.plan(actor, t, skip, &Report{}); err != nil {
		return rep, err
	}
	id, err := im.newBatch(ctx, actor, Import, "", "", p, false)
	if err != nil {
		return rep, err
	}
	rep.Batch = id
	im.work(ctx, id, p)
	b, err := im.BatchOf(ctx, actor, id)
	if err != nil {
		return rep, err
	}
	if b.State != Done {
		if b.Error.ID == "" {
			b.Error = i18n.Text{ID: "Impor terhenti sebelum selesai; yang sudah masuk dibatalkan.", EN: "The import stopped before the end; what was in is undone."}
		}
		return rep, &apperr.Error{Kind: apperr.Conflict, Code: "import.failed", Text: b.Error}
	}
	rep.Imported, err = im.Numbers(ctx, id)
	return rep, err
}

func (im *Importer) newBatch(ctx context.Context, actor account.User, kind Kind, fileKey, fileName string, p plan, thenImport bool) (int64, error) {
	var skip []int
	for n := range p.skipped {
		skip = append(skip, n)
	}
	var id int64
	err := im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO import_batches (kind, file_key, then_import, created_by, file_name, skip_rows, state, rows_total, owner, heartbeat_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?) RETURNING id`, string(kind), fileKey, thenImport, actor.ID, fileName, SkipText(skip),
			len(p.t.Rows), im.Owner, tx.Now, tx.Now).Scan(&id); err != nil {
			return err
		}
		if kind == Check {
			return nil // a check writes nothing the audit trail must keep
		}
		return audit.Record(ctx, tx, "import.start", "import_batch", strconv.FormatInt(id, 10),
			fmt.Sprintf("Impor dimulai: %s, %d baris", fileName, len(p.t.Rows)), nil, map[string]any{"file": fileName, "rows": len(p.t.Rows), "skip": SkipText(skip)})
	})
	return id, err
}

// errStopped ends a transaction of a run that is no longer this process's to
// run (undone, or taken for dead while it was only slow).
var errStopped = errors.New("importer: the batch is no longer running here")

// errRowFailed ends a transaction in which a row met a problem.
type errRowFailed struct{ problems []Problem }

func (e errRowFailed) Error() string { return "importer: a row has problems" }

// work runs batch id of p in short transactions, each committed with the
// batch's progress and heartbeat. A row with a problem stops the run and
// undoes what it created; a shutdown leaves it interrupted, for a clerk to
// undo.
func (im *Importer) work(ctx context.Context, id int64, p plan) {
	seen := map[string]int{}
	imported := 0
	var failure error
	for i := 0; i < len(p.t.Rows) && failure == nil; {
		if ctx.Err() != nil {
			failure = ctx.Err()
			break
		}
		next, made := i, 0
		start := time.Now()
		err := im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			next, made = i, 0
			for n := 0; next < len(p.t.Rows) && n < im.BatchRows && time.Since(start) < im.BatchTime; next, n = next+1, n+1 {
				r, err := im.row(ctx, tx, p, next, seen, id)
				if err != nil {
					return err
				}
				if r == nil {
					continue
				}
				if len(r.problems) > 0 {
					return errRowFailed{r.problems}
				}
				made++
			}
			return im.advance(ctx, tx, id, next, made)
		})
		if err != nil {
			failure = err
			break
		}
		i, imported = next, imported+made
		if im.afterBatch != nil {
			im.afterBatch(i)
		}
		if err := im.pause(ctx, time.Since(start)); err != nil {
			failure = err
		}
	}
	// The end is written even if the run was cancelled.
	ctx = context.WithoutCancel(ctx)
	var rf errRowFailed
	switch {
	case failure == nil:
		_ = im.finish(ctx, id, Done, i18n.Text{}, fmt.Sprintf("Impor selesai: %d permohonan", imported))
	case errors.Is(failure, errStopped):
		// Someone else decided its end (an undo): nothing to write.
	case errors.Is(failure, context.Canceled):
		_ = im.finish(ctx, id, Interrupted, i18n.Text{ID: "Server dihentikan saat impor berjalan.", EN: "The server was stopped while the import ran."}, "Impor terputus")
	default:
		why := i18n.Text{ID: "Impor terhenti karena kesalahan sistem.", EN: "The import stopped on a system error."}
		if errors.As(failure, &rf) {
			p := rf.problems[0]
			why = i18n.Text{ID: fmt.Sprintf("Baris %d, kolom %s: %s (berubah sejak pemeriksaan).", p.Row, p.Column, p.Text.ID),
				EN: fmt.Sprintf("Row %d, column %s: %s (changed since the check).", p.Row, p.Column, p.Text.EN)}
		}
		// All or nothing: what the earlier transactions created goes.
		if err := im.remove(ctx, id); err != nil {
			why.ID += " Yang sudah masuk belum dapat dihapus: batalkan impor ini dari halamannya."
			why.EN += " What was in could not be removed yet: undo this import from its page."
			_ = im.finish(ctx, id, Interrupted, why, "Impor terputus")
			return
		}
		_ = im.finish(ctx, id, Failed, why, "Impor gagal dan dibatalkan")
	}
}

func (im *Importer) finish(ctx context.Context, id int64, st State, why i18n.Text, summary string) error {
	return im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE import_batches SET state = ?, error_text_id = ?, error_text_en = ?, finished_at = ?,
			imported = (SELECT COUNT(*) FROM applications WHERE import_batch_id = ?) WHERE id = ? AND state = 'running'`,
			string(st), why.ID, why.EN, tx.Now, id, id); err != nil {
			return err
		}
		var kind string
		if err := tx.QueryRowContext(ctx, "SELECT kind FROM import_batches WHERE id = ?", id).Scan(&kind); err != nil || kind == string(Check) {
			return err // a check writes nothing the audit trail must keep
		}
		return audit.Record(ctx, tx, "import."+string(st), "import_batch", strconv.FormatInt(id, 10), summary, nil, map[string]any{"reason": why.ID})
	})
}

var errUndoMoved = apperr.New(apperr.Conflict, "import.undo_moved",
	"Impor ini tidak dapat dibatalkan: ada permohonannya yang sudah diajukan atau diproses, atau pemohonnya sudah memakai akunnya (kata sandi diberikan, dokumen diunggah).",
	"This import cannot be undone: some of its applications have been submitted or processed, or their applicants have begun to use their accounts (given a password, documents uploaded).")

var errUndoState = apperr.New(apperr.Conflict, "import.undo_state",
	"Impor ini tidak dapat dibatalkan sekarang: hanya impor yang selesai atau terputus.",
	"This import cannot be undone now: only a finished or interrupted import can.")

// Undo removes everything batch id created (accounts, businesses, products,
// applications with their history), in one transaction, and marks it undone.
// It is refused once any of its applications moved past draft, or an
// applicant it created began to use the account: that is someone's work.
func (im *Importer) Undo(ctx context.Context, actor account.User, id int64) error {
	b, err := im.BatchOf(ctx, actor, id)
	if err != nil {
		return err
	}
	if !b.Undoable() {
		return errUndoState
	}
	return im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		// Claim it first, in the same transaction: a run taken for dead that
		// is only slow finds it no longer running and stops.
		res, err := tx.ExecContext(ctx, `UPDATE import_batches SET state = 'undone', finished_at = ?
			WHERE id = ? AND (state IN ('done', 'interrupted') OR (state = 'running' AND heartbeat_at < ?))`, tx.Now, id, tx.Now.Add(-im.Stale))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return cmpErr(err, errUndoState)
		}
		var moved int
		if err := tx.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM applications WHERE import_batch_id = ? AND state <> 'draft') +
			(SELECT COUNT(*) FROM users WHERE import_batch_id = ? AND password_hash <> ?) +
			(SELECT COUNT(*) FROM documents d JOIN businesses b ON b.id = d.business_id WHERE b.import_batch_id = ?) +
			(SELECT COUNT(*) FROM documents d JOIN products p ON p.id = d.product_id WHERE p.import_batch_id = ?)`,
			id, id, account.Unusable, id, id).Scan(&moved); err != nil {
			return err
		}
		if moved > 0 {
			return errUndoMoved
		}
		if err := im.remove(ctx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "import.undo", "import_batch", strconv.FormatInt(id, 10),
			fmt.Sprintf("Impor dibatalkan: %d permohonan dihapus", b.Imported), nil, map[string]any{"applications": b.Imported})
	})
}

// remove deletes what batch id created, children first, in one transaction
// (ctx's, when it carries one). The audit trail keeps the records of their
// creation and says they were undone.
func (im *Importer) remove(ctx context.Context, id int64) error {
	return im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		for _, q := range []string{
			"DELETE FROM applications WHERE import_batch_id = ?", // its products' links and its history go with it
			"DELETE FROM products WHERE import_batch_id = ?",
			"DELETE FROM businesses WHERE import_batch_id = ?",
			"DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE import_batch_id = ?)",
			"DELETE FROM users WHERE import_batch_id = ?",
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		return nil
	})
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// Shutdown stops the background runs, which mark themselves interrupted, and
// waits for them until ctx ends.
func (im *Importer) Shutdown(ctx context.Context) error {
	im.stop()
	done := make(chan struct{})
	go func() { im.running.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Wait waits for the background runs to end (tests).
func (im *Importer) Wait() { im.running.Wait() }
