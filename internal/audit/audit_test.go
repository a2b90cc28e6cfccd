package audit_test

import (
	"context"
	"errors"
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
