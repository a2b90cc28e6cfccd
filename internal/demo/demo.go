// Package demo fills a database with realistic East Java demo data, so that a
// newcomer running `etalase serve --demo` sees a living system. Every capability
// adds its part here. Seeding runs once: a marker setting records that it did.
package demo

import (
	"context"
	"fmt"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/settings"
)

// Password is shared by every demo account. Demo data is for trying Etalase out,
// never for an Office's real database.
const Password = "etalase-demo-2026"

const seededKey = "demo.seeded"

// Cred is a demo account to print at start-up.
type Cred struct {
	Role  role.Role
	Login string
}

// Accounts are the demo people, one or more per role.
var Accounts = []account.NewUser{
	{Name: "Siti Nurhaliza", Email: "siti.galeri@demo.etalase.id", Phone: "081234500101", Role: role.StafGaleri},
	{Name: "Dr. Bambang Setiawan, M.M.", Email: "bambang.kurator@demo.etalase.id", Role: role.Kurator},
	{Name: "Rina Wulandari", Email: "rina.halal@demo.etalase.id", Role: role.Bidang, Division: role.Halal},
	{Name: "Agus Prasetyo", Email: "agus.hki@demo.etalase.id", Role: role.Bidang, Division: role.HKI},
	{Name: "Ir. Hadi Santoso", Email: "hadi.pimpinan@demo.etalase.id", Role: role.Pimpinan},
	{Name: "Sri Wahyuni", Email: "sri.keripik@demo.etalase.id", Phone: "085233100202", Role: role.Pemohon},
	{Name: "Moh. Kholil", Phone: "081937700303", Role: role.Pemohon},
}

// Seed adds the demo data unless it was added before, and returns the demo
// accounts created now (none when seeding had already happened).
func Seed(ctx context.Context, d *db.DB, accounts *account.Service) ([]Cred, error) {
	ctx = audit.WithActor(ctx, audit.Actor{Label: "demo"})
	st := settings.Store{DB: d}
	var creds []Cred
	err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if v, err := st.Get(ctx, seededKey); err != nil || v != "" {
			return err
		}
		for _, n := range Accounts {
			n.Password = Password
			u, err := accounts.Create(ctx, n)
			if err != nil {
				return fmt.Errorf("demo account %s: %w", n.Name, err)
			}
			creds = append(creds, Cred{Role: u.Role, Login: u.Login()})
		}
		if err := st.Set(ctx, settings.DPOName, "Dra. Endang Lestari, M.Si. (Sekretaris Dinas)", 0); err != nil {
			return err
		}
		if err := st.Set(ctx, settings.DPOEmail, "ppid@demo.etalase.id", 0); err != nil {
			return err
		}
		return st.Set(ctx, seededKey, tx.Now.Format("2006-01-02T15:04:05Z"), 0)
	})
	return creds, err
}
