package importer

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
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

// StoredFile is an uploaded file kept between its check and its real run.
type StoredFile struct {
	Token string // what the page carries to name it
	Name  string
	Data  []byte
	// CheckedSkip is the rows left out when a dry run of it last passed
	// (SkipText); Checked is false until one passes.
	CheckedSkip string
	Checked     bool
}

var errFileGone = apperr.New(apperr.Invalid, "import.file_gone",
	"Berkas yang diperiksa tadi sudah tidak tersimpan (disimpan 2 jam). Pilih berkasnya lagi.",
	"The file checked earlier is no longer kept (it is kept for 2 hours). Choose the file again.")

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// StoreFile keeps an uploaded file in the database, for any server process
// to run its import, and returns the token that names it. Only its uploader
// can use it, for two hours.
func (im *Importer) StoreFile(ctx context.Context, actor account.User, name string, data []byte) (string, error) {
	if !policy.RegistersApplicants(actor) {
		return "", errRole
	}
	token := rand.Text()
	err := im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO import_files (token_hash, uploaded_by, name, content, size_bytes, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, tokenHash(token), actor.ID, name, data, len(data), tx.Now, tx.Now.Add(fileLifetime))
		return err
	})
	return token, err
}

// File returns the stored file token names, if actor uploaded it and it has
// not expired.
func (im *Importer) File(ctx context.Context, actor account.User, token string) (StoredFile, error) {
	f := StoredFile{Token: token}
	var skip sql.NullString
	err := im.DB.Q(ctx).QueryRowContext(ctx, "SELECT name, content, checked_skip FROM import_files WHERE token_hash = ? AND uploaded_by = ? AND expires_at > ?",
		tokenHash(token), actor.ID, im.DB.Clock(ctx)).Scan(&f.Name, &f.Data, &skip)
	if errors.Is(err, sql.ErrNoRows) || token == "" {
		return StoredFile{}, errFileGone
	}
	f.CheckedSkip, f.Checked = skip.String, skip.Valid
	return f, err
}

// markChecked records that a dry run of the stored file passed with skip.
func (im *Importer) markChecked(ctx context.Context, token string, skip []int) error {
	return im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE import_files SET checked_skip = ? WHERE token_hash = ?", SkipText(skip), tokenHash(token))
		return err
	})
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

// Check is a dry run of a stored file: it reads it, checks it with skip, and
// records a pass, which Start asks for.
func (im *Importer) Check(ctx context.Context, actor account.User, token string, skip []int) (Report, error) {
	f, err := im.File(ctx, actor, token)
	if err != nil {
		return Report{}, err
	}
	t, err := Read(bytes.NewReader(f.Data))
	if err != nil {
		return Report{}, err
	}
	rep, err := im.DryRun(ctx, actor, t, skip)
	if err != nil || len(rep.Problems) > 0 {
		return rep, err
	}
	return rep, im.markChecked(ctx, token, skip)
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

// Batch is one real run of an import, as the database holds it.
type Batch struct {
	ID         int64
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
func (b Batch) Undoable() bool { return b.State == Done || b.State == Interrupted }

const batchColumns = `id, created_by, file_name, skip_rows, state, rows_total, rows_done, imported, error_text_id, error_text_en, owner, heartbeat_at, created_at, finished_at`

func (im *Importer) scanBatch(ctx context.Context, row interface{ Scan(...any) error }) (Batch, error) {
	var b Batch
	var state string
	var finished sql.NullTime
	err := row.Scan(&b.ID, &b.CreatedBy, &b.FileName, &b.Skip, &state, &b.RowsTotal, &b.RowsDone, &b.Imported, &b.Error.ID, &b.Error.EN,
		&b.Owner, &b.Heartbeat, &b.CreatedAt, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return Batch{}, errBatchNotFound
	}
	b.State = State(state)
	if finished.Valid {
		t := finished.Time
		b.FinishedAt = &t
	}
	// A run whose process has stopped stamping it died with that process.
	if b.State == Running && im.DB.Clock(ctx).Sub(b.Heartbeat) > im.Stale {
		b.State = Interrupted
	}
	return b, err
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

// Start begins the real run of a stored file in the background of this
// process and returns its batch, whose progress BatchOf reads. It first needs
// a passed dry run of the file with the same skipped rows, and runs one if
// there is none: when that finds problems, nothing starts and the report says
// what they are.
func (im *Importer) Start(ctx context.Context, actor account.User, token string, skip []int) (int64, Report, error) {
	f, err := im.File(ctx, actor, token)
	if err != nil {
		return 0, Report{}, err
	}
	t, err := Read(bytes.NewReader(f.Data))
	if err != nil {
		return 0, Report{}, err
	}
	var rep Report
	p, err := im.plan(actor, t, skip, &rep)
	if err != nil {
		return 0, rep, err
	}
	if !f.Checked || f.CheckedSkip != SkipText(skip) {
		if rep, err = im.DryRun(ctx, actor, t, skip); err != nil {
			return 0, rep, err
		}
		if len(rep.Problems) > 0 {
			return 0, rep, refusedRows(rep)
		}
		if err := im.markChecked(ctx, token, skip); err != nil {
			return 0, rep, err
		}
	}
	id, err := im.newBatch(ctx, actor, f.Name, p)
	if err != nil {
		return 0, rep, err
	}
	// The run outlives the request, keeping its values (the actor for the
	// audit trail), and stops when the importer shuts down.
	bctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(im.base, cancel)
	im.running.Add(1)
	go func() {
		defer im.running.Done()
		defer cancel()
		defer stop()
		im.work(bctx, id, p)
	}()
	return id, rep, nil
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
	id, err := im.newBatch(ctx, actor, "", p)
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

func (im *Importer) newBatch(ctx context.Context, actor account.User, fileName string, p plan) (int64, error) {
	var skip []int
	for n := range p.skipped {
		skip = append(skip, n)
	}
	var id int64
	err := im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO import_batches (created_by, file_name, skip_rows, state, rows_total, owner, heartbeat_at, created_at)
			VALUES (?, ?, ?, 'running', ?, ?, ?, ?) RETURNING id`, actor.ID, fileName, SkipText(skip), len(p.t.Rows), im.Owner, tx.Now, tx.Now).Scan(&id); err != nil {
			return err
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
		err := im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			next, made = i, 0
			start := time.Now()
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
			res, err := tx.ExecContext(ctx, "UPDATE import_batches SET rows_done = ?, imported = imported + ?, heartbeat_at = ? WHERE id = ? AND state = 'running' AND owner = ?",
				next, made, tx.Now, id, im.Owner)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return errors.Join(errStopped, err)
			}
			return nil
		})
		if err != nil {
			failure = err
			break
		}
		i, imported = next, imported+made
		if im.afterBatch != nil {
			im.afterBatch(i)
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
