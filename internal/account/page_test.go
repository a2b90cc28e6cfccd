package account_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/role"
)

// An admin paging through every account sees each once, in name order, even
// where names repeat or carry letters outside ASCII, and a filter holds across
// pages.
func TestAccountPagesShowEveryAccountOnceInNameOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := service(d)
		names := []string{"Siti Aminah", "siti aminah", "Ébru Wijaya", "Agus", "Çatur Putra", "Zainal"}
		want := 0
		for i := range 2*account.PageSize + 17 {
			n := account.NewUser{Name: names[i%len(names)], Email: fmt.Sprintf("akun%03d@contoh.id", i), Role: role.Pemohon, NoPassword: true}
			if i%10 == 0 {
				n.Role = role.StafGaleri
			} else {
				want++
			}
			mustCreate(t, s, n)
		}

		var seen []account.User
		cursor, pages := "", 0
		for {
			p, err := s.Page(ctx, account.Filter{Role: role.Pemohon}, cursor)
			if err != nil {
				t.Fatalf("page %d: %v", pages+1, err)
			}
			pages++
			if len(p.Users) > account.PageSize {
				t.Fatalf("page %d holds %d accounts, more than %d", pages, len(p.Users), account.PageSize)
			}
			seen = append(seen, p.Users...)
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
		if want <= 2*account.PageSize || len(seen) != want || pages != 3 {
			t.Fatalf("saw %d applicants on %d pages, want %d on 3", len(seen), pages, want)
		}
		ids := map[int64]bool{}
		for i, u := range seen {
			if u.Role != role.Pemohon {
				t.Errorf("%s (%s) listed under applicants", u.Name, u.Role)
			}
			if ids[u.ID] {
				t.Errorf("%s (id %d) shown twice", u.Name, u.ID)
			}
			ids[u.ID] = true
			if i > 0 && seen[i-1].Name == u.Name && seen[i-1].ID > u.ID {
				t.Errorf("same name out of id order: %d before %d", seen[i-1].ID, u.ID)
			}
		}

		if _, err := s.Page(ctx, account.Filter{}, "bukan-kursor"); err == nil {
			t.Error("a made-up cursor was accepted")
		} else if e, ok := apperr.As(err); !ok || e.Kind != apperr.Invalid {
			t.Errorf("a made-up cursor: %v, want an error the admin can read", err)
		}
	})
}

// The admin finds an account by the beginning of a word of its name, its
// e-mail or its phone as people write it, and a renamed account by its new
// name only; a search of only punctuation finds nothing, without an error.
func TestAccountsAreFoundByNameEmailOrPhone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := service(d)
		sri := mustCreate(t, s, account.NewUser{Name: "Sri Wahyuni", Email: "sri@keripik.id", Role: role.Pemohon, NoPassword: true})
		mustCreate(t, s, account.NewUser{Name: "Moh. Kholil", Phone: "0819-3770-0303", Role: role.Pemohon, NoPassword: true})
		mustCreate(t, s, account.NewUser{Name: "Siti Nurhaliza", Email: "siti@galeri.jatimprov.go.id", Role: role.StafGaleri, NoPassword: true})
		find := func(q string) []string {
			t.Helper()
			p, err := s.Page(ctx, account.Filter{Search: q}, "")
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			var names []string
			for _, u := range p.Users {
				names = append(names, u.Name)
			}
			return names
		}
		for q, want := range map[string]string{
			"wahyu": "Sri Wahyuni", "sri@kerip": "Sri Wahyuni", "0819": "Moh. Kholil", "+62819377": "Moh. Kholil",
			"kholil": "Moh. Kholil", "jatimprov": "Siti Nurhaliza", "si nur": "Siti Nurhaliza",
		} {
			if got := find(q); len(got) != 1 || got[0] != want {
				t.Errorf("search %q found %q, want only %s", q, got, want)
			}
		}
		if got := find("\"'%;--"); len(got) != 0 {
			t.Errorf("a search of punctuation found %q", got)
		}
		if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE users SET name = ? WHERE id = ?", "Sri Rahayu", sri.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got := find("wahyu"); len(got) != 0 {
			t.Errorf("the old name still finds %q", got)
		}
		if got := find("rahayu"); len(got) != 1 {
			t.Errorf("the new name finds %q", got)
		}
	})
}
