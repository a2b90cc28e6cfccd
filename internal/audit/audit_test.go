package audit_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
)

func TestAuditRecordsWhoWhatWhenAndRollsBackWithTheChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := audit.WithActor(context.Background(), audit.Actor{Label: "siti@galeri.jatimprov.go.id", IP: "10.0.0.7"})
		d.Now = func() time.Time { return time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC) }
		err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			return audit.Record(ctx, tx, "setting.update", "setting", "dpo_name", "DPO diubah", map[string]string{"value": "lama"}, map[string]string{"value": "baru"})
		})
		if err != nil {
			t.Fatal(err)
		}
		rolled := errors.New("rolled back")
		_ = d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			if err := audit.Record(ctx, tx, "user.create", "user", "9", "never happened", nil, nil); err != nil {
				return err
			}
			return rolled
		})
		got, err := audit.List(ctx, d, audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("got %d entries, want 1 (the rolled-back change must leave no trace)", len(got))
		}
		e := got[0]
		if e.Action != "setting.update" || e.ActorLabel != "siti@galeri.jatimprov.go.id" || e.IP != "10.0.0.7" ||
			e.ObjectID != "dpo_name" || e.Before != `{"value":"lama"}` || e.After != `{"value":"baru"}` ||
			!e.At.Equal(time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)) {
			t.Fatalf("entry = %+v", e)
		}
	})
}

func TestAuditListFiltersByActionPrefixObjectAndTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		day := func(n int) time.Time { return time.Date(2026, 11, n, 1, 0, 0, 0, time.UTC) }
		for i, a := range []string{"user.create", "user.change_role", "session.login", "user_x.other"} {
			d.Now = func() time.Time { return day(i + 1) }
			if err := audit.Write(ctx, d, a, "user", "1", ""); err != nil {
				t.Fatal(err)
			}
		}
		cases := []struct {
			name string
			f    audit.Filter
			want []string
		}{
			{"prefix user. matches user actions only", audit.Filter{Action: "user."}, []string{"user.change_role", "user.create"}},
			{"exact action", audit.Filter{Action: "session.login"}, []string{"session.login"}},
			{"time window", audit.Filter{From: day(2), To: day(3)}, []string{"user.change_role"}},
			{"limit", audit.Filter{Limit: 1}, []string{"user_x.other"}},
			{"other object", audit.Filter{ObjectID: "2"}, nil},
		}
		for _, c := range cases {
			got, err := audit.List(ctx, d, c.f)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range got {
				actions = append(actions, e.Action)
			}
			if len(actions) != len(c.want) {
				t.Errorf("%s: got %v, want %v", c.name, actions, c.want)
				continue
			}
			for i := range actions {
				if actions[i] != c.want[i] {
					t.Errorf("%s: got %v, want %v", c.name, actions, c.want)
				}
			}
		}
	})
}

// The trail reads in time order even where ids do not follow time (a
// transaction that began earlier committed later; the demo writes its past
// with a moved clock), and its pages follow that order without gaps or
// repeats.
func TestAuditListIsInTimeOrderAndPagesFollowIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC) }
		// Written in this order (ids rising), happened in another.
		for _, w := range []struct {
			summary string
			at      time.Time
		}{{"c", at(3, 1)}, {"a", at(1, 1)}, {"e", at(5, 1)}, {"b1", at(2, 1)}, {"b2", at(2, 1)}, {"d", at(4, 1)}} {
			d.Now = func() time.Time { return w.at }
			if err := audit.Write(ctx, d, "user.create", "user", "1", w.summary); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		before := int64(0)
		for page := 0; page < 5; page++ {
			es, err := audit.List(ctx, d, audit.Filter{Limit: 2, BeforeID: before})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				got = append(got, e.Summary)
			}
			if len(es) < 2 {
				break
			}
			before = es[len(es)-1].ID
		}
		if want := "e d c b2 b1 a"; strings.Join(got, " ") != want {
			t.Fatalf("pages read %q, want %q", strings.Join(got, " "), want)
		}
	})
}

// Entries made without an account (the system, a visitor, a failed sign-in)
// can be asked for apart from everyone's.
func TestAuditListFindsEntriesWithoutAnAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.SQL().ExecContext(ctx, "INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES ('a@b.id', 'A', 'admin', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"); err != nil {
			t.Fatal(err)
		}
		if err := audit.Write(audit.WithActor(ctx, audit.Actor{UserID: 1, Label: "a@b.id"}), d, "setting.update", "setting", "x", "by a person"); err != nil {
			t.Fatal(err)
		}
		if err := audit.Write(audit.WithActor(ctx, audit.System), d, "calendar.default", "calendar_year", "2026", "by the system"); err != nil {
			t.Fatal(err)
		}
		es, err := audit.List(ctx, d, audit.Filter{NoActor: true})
		if err != nil || len(es) != 1 || es[0].Summary != "by the system" {
			t.Fatalf("entries without an account: %+v %v", es, err)
		}
	})
}
