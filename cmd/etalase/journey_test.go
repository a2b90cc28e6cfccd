package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/browsertest"
)

// TestJourneyFirstAdminCreatesStaff is the first day of a new installation, in a
// real browser against the real server started as a newcomer starts it: the admin
// signs in on a phone with the one-time password printed in the terminal, must
// replace it, creates an account for a gallery staff member and signs out; the
// staff member signs in at a desk computer with the password the admin handed
// over, must replace it too, sees the staff home page without the admin menu, is
// refused the admin pages, and switches the page to English.
//
// Screenshots of every page land in test-artifacts/TestJourneyFirstAdminCreatesStaff/.
func TestJourneyFirstAdminCreatesStaff(t *testing.T) {
	browsertest.Require(t) // before the server starts
	start := time.Now()
	addr, stdout, _ := startServe(t, "--data", t.TempDir(), "--db", "", "--lang", "id", "--demo=false")
	base := "http://" + addr

	adminLogin := journeyOutput(t, stdout.String(), `login:\s+(\S+)`)
	adminOTP := journeyOutput(t, stdout.String(), `password:\s+(\S+)`)
	if adminLogin != "admin@etalase.local" {
		t.Fatalf("first admin login %q, want admin@etalase.local", adminLogin)
	}
	const (
		adminPassword = "batik tulis madura 1945"
		staffName     = "Dewi Kartika Sari"
		staffEmail    = "dewi.galeri@example.id"
		staffPassword = "keripik tempe malang 07"
	)

	// The admin, on a phone.
	admin := browsertest.New(t, browsertest.Phone(), browsertest.BaseURL(base))
	admin.Navigate("/login")
	journeyHeading(t, admin, "Masuk")
	admin.Screenshot("admin-login")
	journeySignIn(admin, adminLogin, adminOTP)

	if p := admin.Path(); p != "/password" {
		t.Fatalf("after signing in with the one-time password the admin is on %s, want /password", p)
	}
	journeyHeading(t, admin, "Ganti kata sandi")
	journeyText(t, admin, "main .notice", "sekali pakai")
	admin.Screenshot("admin-must-change-password")
	journeyChangePassword(t, admin, adminPassword)

	if p := admin.Path(); p != "/" {
		t.Fatalf("after changing the password the admin is on %s, want /", p)
	}
	journeyHeading(t, admin, "Selamat datang, Administrator")
	journeyText(t, admin, "main .flash", "Kata sandi sudah diganti")
	if !admin.Exists(`nav a[href="/admin/users"]`) {
		t.Error("the admin's menu has no link to Pengguna")
	}
	admin.Screenshot("admin-home")

	admin.ClickAndWait(`nav a[href="/admin/users"]`)
	journeyHeading(t, admin, "Pengguna")
	journeyText(t, admin, "#users", adminLogin)
	admin.Screenshot("admin-users")

	admin.ClickAndWait(`main a[href="/admin/users/new"]`)
	journeyHeading(t, admin, "Akun staf baru")
	admin.Fill("#f-name", staffName)
	admin.Fill("#f-email", staffEmail)
	admin.Fill("#f-phone", "0812 3456 7801")
	admin.Select("#f-role", "staf_galeri")
	admin.Screenshot("admin-new-staff-filled")
	admin.ClickAndWait(`main form[action="/admin/users"] button[type=submit]`)

	journeyHeading(t, admin, staffName)
	staffOTP := admin.Text("#otp")
	if !regexp.MustCompile(`^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$`).MatchString(staffOTP) {
		t.Fatalf("the one-time password shown is %q, want four groups of four", staffOTP)
	}
	journeyText(t, admin, "main .facts", "Staf Galeri")
	journeyText(t, admin, "main .facts", "harus ganti kata sandi")
	admin.Screenshot("admin-staff-created")

	admin.ClickAndWait(`form[action="/logout"] button`)
	if p := admin.Path(); p != "/login" {
		t.Fatalf("after signing out the admin is on %s, want /login", p)
	}
	journeyText(t, admin, "main .flash", "Anda sudah keluar")
	admin.Screenshot("admin-signed-out")
	admin.Navigate("/admin/users")
	if p := admin.Path(); !strings.HasPrefix(p, "/login") {
		t.Errorf("after signing out, /admin/users shows %s, want the sign-in page", p)
	}

	// The staff member, at a desk computer, with the password the admin handed over.
	staff := browsertest.New(t, browsertest.BaseURL(base))
	staff.Navigate("/login")
	// Typed from the paper in lower case and without the dashes.
	journeySignIn(staff, staffEmail, strings.ToLower(strings.ReplaceAll(staffOTP, "-", "")))
	if p := staff.Path(); p != "/password" {
		t.Fatalf("after signing in with the one-time password the staff member is on %s, want /password", p)
	}
	journeyHeading(t, staff, "Ganti kata sandi")
	staff.Screenshot("staff-must-change-password")
	journeyChangePassword(t, staff, staffPassword)

	if p := staff.Path(); p != "/" {
		t.Fatalf("after changing the password the staff member is on %s, want /", p)
	}
	journeyHeading(t, staff, "Selamat datang, "+staffName)
	journeyText(t, staff, "nav .who", "Staf Galeri")
	if staff.Exists(`nav a[href="/admin/users"]`) || strings.Contains(staff.Text("nav"), "Pengguna") {
		t.Error("the staff member's menu shows the admin's Pengguna link")
	}
	staff.Screenshot("staff-home")

	staff.Navigate("/admin/users")
	journeyHeading(t, staff, "Akses ditolak")
	staff.Screenshot("staff-access-denied")

	staff.Navigate("/")
	staff.ClickAndWait(`header form.lang button[value="en"]`)
	journeyHeading(t, staff, "Welcome, "+staffName)
	journeyText(t, staff, "nav", "Sign out")
	staff.Screenshot("staff-home-english")

	t.Logf("journey took %v", time.Since(start).Round(time.Millisecond))
}

func journeySignIn(b *browsertest.Browser, login, password string) {
	b.Fill("#login", login)
	b.Fill("#password", password)
	b.ClickAndWait(`main form[action="/login"] button[type=submit]`)
}

// journeyChangePassword replaces a one-time password: the form asks only for
// the new one, since the sign-in a moment ago proved the old.
func journeyChangePassword(t *testing.T, b *browsertest.Browser, next string) {
	t.Helper()
	if b.Exists("#f-current") {
		t.Errorf("page %s asks for the one-time password again", b.Path())
	}
	b.Fill("#f-password", next)
	b.Fill("#f-password2", next)
	b.ClickAndWait(`main form[action="/password"] button[type=submit]`)
}

// heading checks the page's h1, the first thing a person reads.
func journeyHeading(t *testing.T, b *browsertest.Browser, want string) {
	t.Helper()
	if got := b.Text("main h1"); got != want {
		t.Fatalf("page %s has the heading %q, want %q", b.Path(), got, want)
	}
}

func journeyText(t *testing.T, b *browsertest.Browser, sel, want string) {
	t.Helper()
	if got := b.Text(sel); !strings.Contains(got, want) {
		t.Errorf("page %s: %s says %q, want it to contain %q", b.Path(), sel, got, want)
	}
}

func journeyOutput(t *testing.T, s, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("the server's terminal output has no %s:\n%s", re, s)
	}
	return m[1]
}
