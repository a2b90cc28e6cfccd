// Package demo fills a database with realistic East Java demo data, so that a
// newcomer running `etalase serve --demo` sees a living system. Every capability
// adds its part here. Seeding runs once: a marker setting records that it did.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/settings"
	"github.com/etalase-id/etalase/internal/workday"
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

// Staff are the demo Office people, one or more per role.
var Staff = []account.NewUser{
	{Name: "Siti Nurhaliza", Email: "siti.galeri@demo.etalase.id", Phone: "081234500101", Role: role.StafGaleri},
	{Name: "Dr. Bambang Setiawan, M.M.", Email: "bambang.kurator@demo.etalase.id", Role: role.Kurator},
	{Name: "Rina Wulandari", Email: "rina.halal@demo.etalase.id", Role: role.Bidang, Division: role.Halal},
	{Name: "Agus Prasetyo", Email: "agus.hki@demo.etalase.id", Role: role.Bidang, Division: role.HKI},
	{Name: "Ir. Hadi Santoso", Email: "hadi.pimpinan@demo.etalase.id", Role: role.Pimpinan},
}

// Seed adds the demo data unless it was added before, through the same
// services the pages use — so it can only contain what the app allows — and
// returns the demo accounts created now (none when seeding happened before).
//
// The demo's history is spread over the past two weeks: while seeding, the
// database clock is walked forward from two weeks ago, so timelines, due dates
// and the late list look like a real gallery's.
func Seed(ctx context.Context, s *app.App) ([]Cred, error) {
	ctx = audit.WithActor(ctx, audit.Actor{Label: "demo"})
	st := settings.Store{DB: s.DB}
	if v, err := st.Get(ctx, seededKey); err != nil || v != "" {
		return nil, err
	}
	realNow := s.DB.Now
	defer func() { s.DB.Now = realNow }()
	clock := newClock(realNow())
	s.DB.Now = clock.now

	var creds []Cred
	people := map[string]account.User{}
	for _, n := range Staff {
		n.Password = Password
		u, err := s.Accounts.Create(ctx, n)
		if err != nil {
			return nil, fmt.Errorf("demo account %s: %w", n.Name, err)
		}
		people[string(u.Role)+":"+u.Name] = u
		creds = append(creds, Cred{Role: u.Role, Login: u.Login()})
	}
	clerk := people["staf_galeri:Siti Nurhaliza"]
	applicants := map[string]account.User{}
	for _, sme := range smes {
		u, err := s.Accounts.Create(ctx, account.NewUser{Name: sme.owner, Email: sme.email, Phone: sme.phone, Role: role.Pemohon, Password: Password})
		if err != nil {
			return nil, fmt.Errorf("demo applicant %s: %w", sme.owner, err)
		}
		applicants[sme.owner] = u
		creds = append(creds, Cred{Role: u.Role, Login: u.Login()})
		if err := sme.play(ctx, s, clock, u, clerk); err != nil {
			return nil, fmt.Errorf("demo application of %s: %w", sme.business, err)
		}
	}
	// Curation first, so that its rounds keep their numbers; the stock's own
	// (earlier) round comes after.
	expert := people["kurator:Dr. Bambang Setiawan, M.M."]
	if err := seedCuration(ctx, s, clock, clerk, expert, applicants); err != nil {
		return nil, fmt.Errorf("demo curation: %w", err)
	}
	if err := seedStock(ctx, s, clock, clerk, expert); err != nil {
		return nil, fmt.Errorf("demo stock: %w", err)
	}
	// Referrals to each division (SOP step 8), in different states.
	officers := map[role.Division]account.User{}
	for _, n := range append(append([]account.NewUser{}, Staff...), divisionOfficers...) {
		if n.Role != role.Bidang {
			continue
		}
		u, err := s.Accounts.ByLogin(ctx, n.Email) // Staff's were made above
		if err != nil {
			n.Password = Password
			if u, err = s.Accounts.Create(ctx, n); err != nil {
				return nil, fmt.Errorf("demo account %s: %w", n.Name, err)
			}
			creds = append(creds, Cred{Role: u.Role, Login: u.Login()})
		}
		officers[n.Division] = u
	}
	if err := seedReferrals(ctx, s, clock, clerk, officers); err != nil {
		return nil, err
	}
	if err := st.Set(ctx, settings.DPOName, "Dra. Endang Lestari, M.Si. (Sekretaris Dinas)", 0); err != nil {
		return nil, err
	}
	if err := st.Set(ctx, settings.DPOEmail, "ppid@demo.etalase.id", 0); err != nil {
		return nil, err
	}
	return creds, st.Set(ctx, seededKey, realNow().UTC().Format(time.RFC3339), 0)
}

// clock walks the demo's history forward from two weeks ago, in office hours.
type clock struct {
	start, t, end time.Time
}

func newClock(now time.Time) *clock {
	wib := workday.WIB
	s := now.In(wib).AddDate(0, 0, -14)
	start := time.Date(s.Year(), s.Month(), s.Day(), 8, 30, 0, 0, wib)
	return &clock{start: start, t: start, end: now}
}

func (c *clock) now() time.Time { return c.t }

// at sets the clock to days after the start, at hh:mm WIB, but never past the
// real present.
func (c *clock) at(days, hh, mm int) {
	wib := workday.WIB
	b := c.start.AddDate(0, 0, days)
	c.t = time.Date(b.Year(), b.Month(), b.Day(), hh, mm, 0, 0, wib)
	if c.t.After(c.end) {
		c.t = c.end
	}
}
