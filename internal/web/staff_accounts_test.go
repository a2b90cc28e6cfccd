package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/role"
)

// The admin's form for a new staff account starts at the least role; an admin
// is made only by choosing it.
func TestNewStaffAccountsDefaultToTheLeastPrivilegedRole(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		adm := e.signIn("admin@contoh.id", pw)
		form := adm.get("/admin/users/new").wantStatus(http.StatusOK)
		if v, _ := form.attr("#f-role option[selected]", "value"); v != string(role.Pimpinan) {
			t.Errorf("preselected role %q, want %s", v, role.Pimpinan)
		}
		if v, _ := form.attr("#f-role option", "value"); v == string(role.Admin) {
			t.Error("admin is the first role offered")
		}
		if form.find("#f-role option[value='pemohon']").Length() != 0 {
			t.Error("the staff form offers the applicant role")
		}
		// The form as it comes, filled in with a name and an e-mail.
		adm.post("/admin/users", url.Values{"name": {"Staf Baru"}, "email": {"baru@contoh.id"}, "role": {string(role.Pimpinan)}}).wantStatus(http.StatusCreated)
		if u, _ := e.accounts.ByLogin(systemCtx(), "baru@contoh.id"); u.Role != role.Pimpinan {
			t.Errorf("made a %s", u.Role)
		}
		// A refused form keeps the role chosen, not the default.
		a := adm.post("/admin/users", url.Values{"name": {""}, "email": {"lain@contoh.id"}, "role": {string(role.Kurator)}}).wantStatus(http.StatusUnprocessableEntity)
		if v, _ := a.attr("#f-role option[selected]", "value"); v != string(role.Kurator) {
			t.Errorf("after a refusal the role is %q, want the one chosen", v)
		}
	})
}

// An applicant who forgot the password gets a new one-time password at the
// desk, after the clerk has seen the KTP; a staff account is not reset there.
func TestGalleryStaffGiveAnApplicantANewOneTimePasswordAtTheDesk(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.user(account.NewUser{Email: "clerk@contoh.id", Name: "Bu Clerk", Role: role.StafGaleri})
		e.user(account.NewUser{Email: "kurator@contoh.id", Name: "Pak Kurator", Role: role.Kurator})
		e.user(account.NewUser{Phone: "085233100202", Name: "Sri Wahyuni"})
		// Sri mistyped her password a few times at home and now waits.
		home := e.browser()
		for i := range 6 {
			home.post("/login", url.Values{"login": {"085233100202"}, "password": {"lupa " + strconv.Itoa(i)}})
		}
		home.post("/login", url.Values{"login": {"085233100202"}, "password": {pw}}).wantStatus(http.StatusTooManyRequests)

		clerk := e.signIn("clerk@contoh.id", pw)
		if clerk.get("/").find("a[href='/desk/password']").Length() != 1 {
			t.Error("the clerk's home page has no way to the desk's password reset")
		}
		clerk.get("/desk/password").wantStatus(http.StatusOK)
		a := clerk.post("/desk/password", url.Values{"login": {"0852 3310 0202"}}).wantStatus(http.StatusUnprocessableEntity)
		if a.fieldNote("identity") == "" {
			t.Error("a reset without the KTP checked is not refused at the box")
		}
		a = clerk.post("/desk/password", url.Values{"login": {"kurator@contoh.id"}, "identity": {"1"}}).wantStatus(http.StatusUnprocessableEntity)
		if !strings.Contains(a.fieldError("login"), "admin") {
			t.Errorf("a staff account at the desk: %q, want it sent to the admin", a.fieldError("login"))
		}
		a = clerk.post("/desk/password", url.Values{"login": {"0852 3310 0202"}, "identity": {"1"}}).wantStatus(http.StatusOK)
		otp := a.text("#otp")
		if otp == "" || !strings.Contains(a.text("#desk-otp"), "Sri Wahyuni") {
			t.Fatalf("the new password %q for %q", otp, a.text("#desk-otp"))
		}
		// She signs in with it at once, from the same phone that was held up.
		home.post("/login", url.Values{"login": {"085233100202"}, "password": {pw}}).wantStatus(http.StatusUnauthorized)
		home.post("/login", url.Values{"login": {"085233100202"}, "password": {strings.ToLower(otp)}}).wantRedirect("/password")

		kurator := e.signIn("kurator@contoh.id", pw)
		kurator.get("/desk/password").wantStatus(http.StatusForbidden)
		kurator.post("/desk/password", url.Values{"login": {"085233100202"}, "identity": {"1"}}).wantStatus(http.StatusForbidden)
	})
}

// An account held up by wrong guesses opens again when the admin resets its
// password.
func TestAnAdminResetLiftsTheWait(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		staff := e.user(account.NewUser{Email: "staf@contoh.id", Name: "Pak Staf", Role: role.StafGaleri})
		b := e.browser()
		for i := range 5 {
			b.post("/login", url.Values{"login": {"staf@contoh.id"}, "password": {"lupa " + strconv.Itoa(i)}}).wantStatus(http.StatusUnauthorized)
		}
		b.post("/login", url.Values{"login": {"staf@contoh.id"}, "password": {pw}}).wantStatus(http.StatusTooManyRequests)
		adm := e.signIn("admin@contoh.id", pw)
		otp := adm.post("/admin/users/"+strconv.FormatInt(staff.ID, 10)+"/reset-password", nil).wantStatus(http.StatusOK).text("#otp")
		b.post("/login", url.Values{"login": {"staf@contoh.id"}, "password": {otp}}).wantRedirect("/password")
	})
}
