package policy_test

import (
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/policy"
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
			if got := policy.ReadsDocument(p.u, owner, document.IsIdentity(kind)); got != w[i] {
				t.Errorf("%s opening a %s: %v, want %v", p.name, kind, got, w[i])
			}
		}
	}
	views := [7]bool{true, false, true, true, true, false, false}
	for i, p := range people {
		if got := policy.ViewsApplication(p.u, owner); got != views[i] {
			t.Errorf("%s viewing the application: %v, want %v", p.name, got, views[i])
		}
	}
}

// Contact details in full only for the owner and the gallery staff who call
// them; the full NIK likewise; changes to what an application under review is
// judged on only by gallery staff.
func TestWhoSeesContactsAndTheNIKAndWhoAmends(t *testing.T) {
	const owner = 7
	for _, c := range []struct {
		name                   string
		u                      account.User
		contact, nik, amend    bool
		lists, registers, edit bool
	}{
		{"owner", account.User{ID: owner, Role: role.Pemohon}, true, true, false, false, false, true},
		{"another applicant", account.User{ID: 8, Role: role.Pemohon}, false, false, false, false, false, false},
		{"clerk", account.User{ID: 1, Role: role.StafGaleri}, true, true, true, true, true, true},
		{"curator", account.User{ID: 2, Role: role.Kurator}, false, false, false, true, false, false},
		{"leadership", account.User{ID: 3, Role: role.Pimpinan}, false, false, false, true, false, false},
		{"division", account.User{ID: 4, Role: role.Bidang}, false, false, false, false, false, false},
		{"admin", account.User{ID: 5, Role: role.Admin}, false, false, false, false, false, false},
	} {
		if got := policy.SeesContact(c.u, owner); got != c.contact {
			t.Errorf("%s sees contacts: %v, want %v", c.name, got, c.contact)
		}
		if got := policy.SeesFullNIK(c.u, owner); got != c.nik {
			t.Errorf("%s sees the full NIK: %v, want %v", c.name, got, c.nik)
		}
		if got := policy.AmendsUnderReview(c.u); got != c.amend {
			t.Errorf("%s amends under review: %v, want %v", c.name, got, c.amend)
		}
		if got := policy.ListsApplications(c.u); got != c.lists {
			t.Errorf("%s lists applications: %v, want %v", c.name, got, c.lists)
		}
		if got := policy.RegistersApplicants(c.u); got != c.registers {
			t.Errorf("%s registers applicants: %v, want %v", c.name, got, c.registers)
		}
		if got := policy.EditsBusiness(c.u, owner); got != c.edit {
			t.Errorf("%s edits the business: %v, want %v", c.name, got, c.edit)
		}
	}
}

// Who may give whom a new one-time password: the admin anyone; gallery staff
// an applicant at the desk, never a staff account; nobody else.
func TestWhoResetsWhosePassword(t *testing.T) {
	targets := []account.User{{Role: role.Pemohon}, {Role: role.StafGaleri}, {Role: role.Kurator}, {Role: role.Admin}}
	for _, c := range []struct {
		actor role.Role
		want  [4]bool
	}{
		{role.Admin, [4]bool{true, true, true, true}},
		{role.StafGaleri, [4]bool{true, false, false, false}},
		{role.Kurator, [4]bool{}},
		{role.Pimpinan, [4]bool{}},
		{role.Bidang, [4]bool{}},
		{role.Pemohon, [4]bool{}},
	} {
		for i, target := range targets {
			if got := policy.ResetsPassword(account.User{ID: 1, Role: c.actor}, target); got != c.want[i] {
				t.Errorf("%s resetting a %s's password: %v, want %v", c.actor, target.Role, got, c.want[i])
			}
		}
	}
	if policy.NewStaffRole == role.Admin || policy.StaffRoles[0] != policy.NewStaffRole || policy.StaffRoles[len(policy.StaffRoles)-1] != role.Admin {
		t.Errorf("new staff start as %s; the form offers %v: want the least role first and preselected, admin last", policy.NewStaffRole, policy.StaffRoles)
	}
}
