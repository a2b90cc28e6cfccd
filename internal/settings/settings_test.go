package settings_test

import (
	"context"
	"testing"

	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/settings"
)

func TestSettingFallsBackToDefaultThenKeepsWhatTheAdminSetAndAuditsIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := settings.Store{DB: d}
		if v, _ := s.Get(ctx, settings.OfficeName); v != settings.Defaults[settings.OfficeName] {
			t.Fatalf("unset office name = %q, want the default", v)
		}
		for _, v := range []string{"Ir. Wahyu Pratama", "Dra. Endang Lestari"} {
			if err := s.Set(ctx, settings.DPOName, "  "+v+" ", 0); err != nil {
				t.Fatal(err)
			}
		}
		dpo, err := s.GetDPO(ctx)
		if err != nil || dpo.Name != "Dra. Endang Lestari" {
			t.Fatalf("DPO = %+v, %v", dpo, err)
		}
		// Saving the same value again is not a change.
		if err := s.Set(ctx, settings.DPOName, "Dra. Endang Lestari", 0); err != nil {
			t.Fatal(err)
		}
		got, _ := audit.List(ctx, d, audit.Filter{Action: "setting.update"})
		if len(got) != 2 || got[0].After != `{"value":"Dra. Endang Lestari"}` || got[0].Before != `{"value":"Ir. Wahyu Pratama"}` {
			t.Fatalf("audit = %+v, want two changes with before and after", got)
		}
	})
}
