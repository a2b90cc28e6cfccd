// Package perf is Etalase's performance suite: a generated data set of
// realistic size, written fast (Seed), for the benchmarks beside the code and
// for the load script (cmd/etalase-load), which starts the real server on it
// and measures every goal against a baseline in the same run.
package perf

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/sop"
)

// Seeded says what Seed wrote.
type Seeded struct {
	Applications int
	FirstID      int64   // the first application's id (ids are consecutive)
	Submitted    []int64 // applications waiting for the document check, each with three pending documents
	Pending      []Doc   // those documents
	Words        []string
}

// Doc is a document waiting for the check, with its application.
type Doc struct{ App, ID int64 }

// Words the generated names are made of; searches pick from them.
var (
	products = []string{"Keripik", "Sambal", "Batik", "Kopi", "Jamu", "Brem", "Dodol", "Tenun", "Kerupuk", "Sirup", "Madu", "Tas Anyaman",
		"Sale Pisang", "Rengginang", "Emping", "Tempe", "Bakpia", "Wingko", "Kripik Buah", "Teh"}
	flavours = []string{"Tempe", "Pecel", "Tulis", "Arabika", "Kunyit Asam", "Madiun", "Ikat", "Udang", "Jahe", "Hutan", "Pandan", "Pisang",
		"Singkong", "Apel", "Salak", "Gentongan", "Robusta", "Beras Kencur", "Mangga", "Nanas"}
	owners = []string{"Sri Wahyuni", "Moh. Kholil", "Endah Puspitasari", "Dewi Lestari", "Ahmad Fauzi", "Siti Aminah", "Budi Santoso",
		"Rina Marlina", "Agus Salim", "Nur Hidayah", "Wahyu Hidayat", "Lilik Suryani", "Imam Syafii", "Yuli Astuti", "Joko Susilo"}
	categories = []string{"Makanan", "Minuman", "Kerajinan", "Batik dan tenun", "Herbal dan jamu", "Fesyen"}
)

// SearchWords are words found in many generated names, for searches that
// match; NoMatch matches nothing.
var (
	SearchWords = []string{"keripik", "batik tulis", "kopi", "sri", "malang", "sambal pecel", "jamu", "surabaya", "tenun ikat", "wahyuni"}
	NoMatch     = []string{"zzqx", "tidakadayangcocok", "qwerty uiop", "xylofon"}
)

// Seed adds n applicants, each with a business, a product and one
// application, in bulk (multi-row inserts in large transactions: a data set,
// not the procedure). The states follow a gallery's mix: drafts, applications
// waiting for the document check (with documents to check), in curation,
// closed ones; those whose step has a clock are due between two weeks ago and
// two weeks ahead, so the due list holds a few hundred. createdBy is the
// clerk named as author.
func Seed(ctx context.Context, d *db.DB, n int, createdBy int64) (Seeded, error) {
	rng := rand.New(rand.NewPCG(42, uint64(n)))
	now := d.Clock(ctx)
	var base int64
	for _, table := range []string{"users", "businesses", "products", "applications", "application_events", "documents"} {
		var m int64
		if err := d.Q(ctx).QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM "+table).Scan(&m); err != nil {
			return Seeded{}, err
		}
		base = max(base, m)
	}
	base++ // one id for a row of every table: user k, its business k, product k, application k
	var counter int64
	if err := d.Q(ctx).QueryRowContext(ctx, "SELECT COALESCE(MAX(value), 0) FROM counters WHERE name = ?", "GAL-"+fmt.Sprint(now.Year())).Scan(&counter); err != nil {
		return Seeded{}, err
	}
	regencies := idn.RegenciesOf(idn.EastJava)
	out := Seeded{Applications: n, FirstID: base, Words: SearchWords}
	type appRow struct {
		id                  int64
		state               sop.State
		created, stateSince time.Time
		step                any
		due                 any
	}
	apps := make([]appRow, n)
	for i := range n {
		id := base + int64(i)
		created := now.Add(-time.Duration(rng.IntN(120*24)) * time.Hour)
		st := pickState(rng)
		since := created.Add(time.Duration(rng.IntN(72)) * time.Hour)
		if since.After(now) {
			since = now
		}
		r := appRow{id: id, state: st, created: created, stateSince: since}
		if step, ok := sop.StepOf(st); ok && step.HasStandard && !st.Terminal() {
			r.step = step.Number
			r.due = now.Add(time.Duration(rng.IntN(28*24)-14*24) * time.Hour).UTC()
		}
		apps[i] = r
		if st == sop.Submitted {
			out.Submitted = append(out.Submitted, id)
		}
	}

	const batch = 500
	insert := func(table, cols string, rows int, row func(i int) []any) error {
		ncol := strings.Count(cols, ",") + 1
		marks := "(" + strings.TrimSuffix(strings.Repeat("?, ", ncol), ", ") + ")"
		for lo := 0; lo < rows; lo += batch * 10 {
			err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
				for start := lo; start < min(rows, lo+batch*10); start += batch {
					end := min(rows, start+batch, lo+batch*10)
					args := make([]any, 0, (end-start)*ncol)
					for i := start; i < end; i++ {
						args = append(args, row(i)...)
					}
					q := "INSERT INTO " + table + " (" + cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(marks+", ", end-start), ", ")
					if _, err := tx.ExecContext(ctx, q, args...); err != nil {
						return fmt.Errorf("%s: %w", table, err)
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	}
	name := func(i int) (business, owner string) {
		return fmt.Sprintf("%s %s %s %d", products[i%len(products)], flavours[(i/len(products))%len(flavours)], strings.Fields(owners[i%len(owners)])[0], i),
			owners[(i*7)%len(owners)]
	}
	if err := insert("users", "id, email, phone, name, role, password_hash, must_change_password, active, lang, created_at, updated_at", n, func(i int) []any {
		_, owner := name(i)
		return []any{base + int64(i), fmt.Sprintf("ukm%06d@contoh.id", base+int64(i)), fmt.Sprintf("+62813%08d", base+int64(i)), owner, "pemohon", "!", true, true, "id", apps[i].created, apps[i].created}
	}); err != nil {
		return out, err
	}
	if err := insert("businesses", "id, owner_id, name, owner_name, nib, address, province_code, regency_code, whatsapp, email, category, size, created_at, updated_at", n, func(i int) []any {
		business, owner := name(i)
		reg := regencies[(i*13)%len(regencies)]
		return []any{base + int64(i), base + int64(i), business, owner, fmt.Sprintf("91%011d", i), fmt.Sprintf("Jl. Pahlawan No. %d", 1+i%200), idn.EastJava, reg.Code,
			fmt.Sprintf("+62813%08d", base+int64(i)), fmt.Sprintf("ukm%06d@contoh.id", base+int64(i)), categories[i%len(categories)], "mikro", apps[i].created, apps[i].created}
	}); err != nil {
		return out, err
	}
	if err := insert("products", "id, business_id, name, category, net_content, packaging, price, pirt, created_at, updated_at", n, func(i int) []any {
		business, _ := name(i)
		return []any{base + int64(i), base + int64(i), "Produk " + business + " 250 g", categories[i%len(categories)], "250 g", "Standing pouch", int64(15000 + 500*(i%100)),
			fmt.Sprintf("P-IRT No. 2063573%06d-29", i%1000000), apps[i].created, apps[i].created}
	}); err != nil {
		return out, err
	}
	year := now.Year()
	if err := insert("applications", "id, number, business_id, state, state_since, step, due_at, source, created_by, created_at, updated_at", n, func(i int) []any {
		a := apps[i]
		return []any{a.id, fmt.Sprintf("GAL-%d-%05d", year, counter+int64(i)+1), a.id, string(a.state), a.stateSince, a.step, a.due, "online", a.id, a.created, a.stateSince}
	}); err != nil {
		return out, err
	}
	if err := insert("application_products", "application_id, product_id", n, func(i int) []any { return []any{apps[i].id, apps[i].id} }); err != nil {
		return out, err
	}
	// The history: created, then the moves that led to the state.
	type ev struct {
		app       int64
		at        time.Time
		action    string
		from, to  sop.State
		step, due any
	}
	var events []ev
	for _, a := range apps {
		events = append(events, ev{a.id, a.created, "create", "", sop.Draft, nil, nil})
		if a.state == sop.Draft {
			continue
		}
		if a.state == sop.Withdrawn {
			events = append(events, ev{a.id, a.stateSince, "withdraw", sop.Draft, sop.Withdrawn, nil, nil})
			continue
		}
		submitted := a.created.Add(time.Hour)
		if a.state == sop.Submitted {
			submitted = a.stateSince
		}
		events = append(events, ev{a.id, submitted, "submit", sop.Draft, sop.Submitted, 1, a.due})
		if a.state != sop.Submitted {
			events = append(events, ev{a.id, a.stateSince, "accept_documents", sop.Submitted, a.state, a.step, a.due})
		}
	}
	firstEvent := base
	var actor any
	if createdBy != 0 {
		actor = createdBy
	}
	if err := insert("application_events", "id, application_id, at, actor_id, action, from_state, to_state, reason, step, due_at", len(events), func(i int) []any {
		e := events[i]
		return []any{firstEvent + int64(i), e.app, e.at, actor, e.action, string(e.from), string(e.to), "", e.step, e.due}
	}); err != nil {
		return out, err
	}
	kinds := []string{"ktp", "nib", "pirt"}
	for i := range len(out.Submitted) * 3 {
		out.Pending = append(out.Pending, Doc{App: out.Submitted[i/3], ID: base + int64(i)})
	}
	if err := insert("documents", "id, business_id, kind, number, storage_key, sha256, size_bytes, content_type, original_name, status, uploaded_by, uploaded_at", len(out.Submitted)*3, func(i int) []any {
		app := out.Submitted[i/3]
		return []any{base + int64(i), app, kinds[i%3], "", fmt.Sprintf("perf/%d-%d", app, i), strings.Repeat("0", 64), 1024, "image/png", kinds[i%3] + ".png", "pending", app, now}
	}); err != nil {
		return out, err
	}
	return out, d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
			fmt.Sprintf("GAL-%d", year), counter+int64(n)); err != nil {
			return err
		}
		if tx.Engine() != db.Postgres {
			return nil
		}
		// Ids were given explicitly: move the identity sequences past them.
		for _, table := range []string{"users", "businesses", "products", "applications", "application_events", "documents"} {
			if _, err := tx.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('"+table+"', 'id'), (SELECT MAX(id) FROM "+table+"))"); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, "ANALYZE")
		return err
	})
}

// pickState draws a state with a gallery's mix.
func pickState(rng *rand.Rand) sop.State {
	switch p := rng.IntN(100); {
	case p < 30:
		return sop.Draft
	case p < 45:
		return sop.Submitted
	case p < 55:
		return sop.DocumentsReturned
	case p < 65:
		return sop.AwaitingSample
	case p < 80:
		return sop.InCuration
	case p < 90:
		return sop.OnDisplay
	case p < 95:
		return sop.Referred
	}
	return sop.Withdrawn
}
