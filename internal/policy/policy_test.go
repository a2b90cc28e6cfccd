package intake_test

import (
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/role"
)

// Who may open which document's file, for every role, the owner and another
// applicant: the KTP and NIB only by their owner and the clerk who verifies them.
func TestWhoMayOpenWhichDocument(t *testing.T) {
	const owner = 7
	people := []struct {
		name string
		u    account.User
	}{
		{"owner", account.User{ID: owner, Role: role.Pemohon}},
		{"another applicant", account.User{ID: 8, Role: role.Pemohon}},
		{"clerk", account.User{ID: 1, Role: role.StafGaleri}},
		{"curator", account.User{ID: 2, Role: role.Kurator}},
		{"leadership", account.User{ID: 3, Role: role.Pimpinan}},
		{"division", account.User{ID: 4, Role: role.Bidang}},
		{"admin", account.User{ID: 5, Role: role.Admin}},
	}
	// want[kind] lists, in the order of people, who may open it.
	want := map[string][7]bool{
		"ktp":         {true, false, true, false, false, false, false},
		"nib":         {true, false, true, false, false, false, false},
		"pirt":        {true, false, true, true, false, false, false},
		"halal":       {true, false, true, true, false, false, false},
		"bpom":        {true, false, true, true, false, false, false},
		"foto_produk": {true, false, true, true, false, false, false},
	}
	for kind, w := range want {
		for i, p := range people {
			if got := intake.CanReadDocument(p.u, owner, kind); got != w[i] {
				t.Errorf("%s opening a %s: %v, want %v", p.name, kind, got, w[i])
			}
		}
	}
	views := [7]bool{true, false, true, true, true, false, false}
	for i, p := range people {
		if got := intake.CanView(p.u, owner); got != views[i] {
			t.Errorf("%s viewing the application: %v, want %v", p.name, got, views[i])
		}
	}
}
