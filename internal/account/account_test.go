package account_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/role"
)

// cheap keeps password hashing fast in tests; the real parameters are tested in
// password_test.go.
var cheap = account.Hasher{MemoryKiB: 64, Time: 1, Threads: 1}

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock(d *db.DB) *clock {
	c := &clock{t: time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)}
	d.Now = c.now
	return c
}
func service(d *db.DB) *account.Service { s := account.New(d); s.Hasher = cheap; return s }

const pw = "batik tulis madura"

func mustCreate(t *testing.T, s *account.Service, n account.NewUser) account.User {
	t.Helper()
	if n.Password == "" {
		n.Password = pw
	}
	if n.Name == "" {
		n.Name = "Pengguna Uji"
	}
	u, err := s.Create(context.Background(), n)
	if err != nil {
		t.Fatalf("create %+v: %v", n, err)
	}
	return u
}

func fieldsOf(err error) map[string]string {
	out := map[string]string{}
	if e, ok := apperr.As(err); ok {
		for _, f := range e.Fields {
			out[f.Name] = f.Text.ID
		}
	}
	return out
}

func TestCreateNormalisesLoginsAndRefusesBadInputAtTheRightField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		ctx := context.Background()
		u := mustCreate(t, s, account.NewUser{Name: " Siti Nurhaliza ", Email: "Siti@Galeri.Jatimprov.go.id", Phone: "0812-3450-0101", Role: role.StafGaleri})
		if u.Email != "siti@galeri.jatimprov.go.id" || u.Phone != "+6281234500101" || u.Name != "Siti Nurhaliza" || !u.Active || u.Lang != "id" {
			t.Fatalf("created %+v", u)
		}
		cases := []struct {
			name  string
			n     account.NewUser
			field string
		}{
			{"no name", account.NewUser{Email: "a@b.id", Role: role.Pemohon, Password: pw}, "name"},
			{"bad e-mail", account.NewUser{Name: "A", Email: "a@b", Role: role.Pemohon, Password: pw}, "email"},
			{"bad phone", account.NewUser{Name: "A", Phone: "12", Role: role.Pemohon, Password: pw}, "phone"},
			{"no login at all", account.NewUser{Name: "A", Role: role.Pemohon, Password: pw}, "email"},
			{"unknown role", account.NewUser{Name: "A", Email: "x@b.id", Role: "raja", Password: pw}, "role"},
			{"division officer without division", account.NewUser{Name: "A", Email: "x@b.id", Role: role.Bidang, Password: pw}, "division"},
			{"short password", account.NewUser{Name: "A", Email: "x@b.id", Role: role.Pemohon, Password: "pendek"}, "password"},
			{"password containing the e-mail", account.NewUser{Name: "A", Email: "x@b.id", Role: role.Pemohon, Password: "x@b.id-123456"}, "password"},
			{"e-mail taken", account.NewUser{Name: "A", Email: "SITI@galeri.jatimprov.go.id", Role: role.Pemohon, Password: pw}, "email"},
			{"phone taken in another spelling", account.NewUser{Name: "A", Phone: "+62 812 3450 0101", Role: role.Pemohon, Password: pw}, "phone"},
		}
		for _, c := range cases {
			_, err := s.Create(ctx, c.n)
			if _, ok := fieldsOf(err)[c.field]; !ok {
				t.Errorf("%s: err = %v, want a problem at field %q", c.name, err, c.field)
			}
		}
		if n, _ := s.Count(ctx); n != 1 {
			t.Fatalf("%d accounts after refused creations, want 1", n)
		}
	})
}

func TestLoginByEmailOrPhoneAndTheSameAnswerForUnknownAccountsAndWrongPasswords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		newClock(d)
		ctx := context.Background()
		u := mustCreate(t, s, account.NewUser{Email: "sri@keripik.id", Phone: "085233100202", Role: role.Pemohon})
		for _, login := range []string{"sri@keripik.id", " SRI@keripik.id ", "085233100202", "+62 852-3310-0202", "85233100202"} {
			got, token, err := s.Login(ctx, login, pw, "10.1.1.1", "test")
			if err != nil || got.ID != u.ID || token == "" {
				t.Fatalf("login %q: %v", login, err)
			}
		}
		_, _, wrong := s.Login(ctx, "sri@keripik.id", "salah sekali ya", "10.1.1.1", "test")
		_, _, unknown := s.Login(ctx, "nobody@keripik.id", pw, "10.1.1.1", "test")
		ew, _ := apperr.As(wrong)
		eu, _ := apperr.As(unknown)
		if ew == nil || eu == nil || ew.Text != eu.Text || ew.Kind != apperr.Unauthorized {
			t.Fatalf("wrong password %v and unknown account %v must answer alike", wrong, unknown)
		}
	})
}

func TestSessionsExpireWhenIdleOrTooOldAndEndWithDeactivation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		clk := newClock(d)
		ctx := context.Background()
		admin := mustCreate(t, s, account.NewUser{Email: "admin@galeri.id", Role: role.Admin})
		clerk := mustCreate(t, s, account.NewUser{Email: "clerk@galeri.id", Role: role.StafGaleri})
		_, tok, err := s.Login(ctx, "clerk@galeri.id", pw, "", "")
		if err != nil {
			t.Fatal(err)
		}
		// Busy all day: each request within the idle limit keeps the session, until
		// the absolute limit.
		for i := 0; i < 11; i++ {
			clk.add(time.Hour)
			if _, err := s.SessionUser(ctx, tok); err != nil {
				t.Fatalf("hour %d: %v", i+1, err)
			}
		}
		clk.add(61 * time.Minute)
		if _, err := s.SessionUser(ctx, tok); !errors.Is(err, account.ErrNoSession) {
			t.Fatalf("after 12 hours: %v, want ErrNoSession", err)
		}
		_, tok, _ = s.Login(ctx, "clerk@galeri.id", pw, "", "")
		clk.add(2*time.Hour + time.Minute)
		if _, err := s.SessionUser(ctx, tok); !errors.Is(err, account.ErrNoSession) {
			t.Fatalf("after 2 idle hours: %v, want ErrNoSession", err)
		}
		_, tok, _ = s.Login(ctx, "clerk@galeri.id", pw, "", "")
		if _, err := s.SetActive(ctx, clerk.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, tok); !errors.Is(err, account.ErrNoSession) {
			t.Fatalf("after deactivation: %v, want ErrNoSession", err)
		}
		if _, _, err := s.Login(ctx, "clerk@galeri.id", pw, "", ""); !apperr.IsKind(err, apperr.Forbidden) {
			t.Fatalf("a deactivated user signing in: %v, want Forbidden", err)
		}
		// The last active admin stays.
		if _, err := s.SetActive(ctx, admin.ID, false); !apperr.IsKind(err, apperr.Conflict) {
			t.Fatalf("deactivating the last admin: %v, want Conflict", err)
		}
		if _, err := s.SetRole(ctx, admin.ID, role.StafGaleri, ""); !apperr.IsKind(err, apperr.Conflict) {
			t.Fatalf("demoting the last admin: %v, want Conflict", err)
		}
	})
}

func TestPasswordChangeAndResetEndOtherSessionsAndAreAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		newClock(d)
		ctx := context.Background()
		u := mustCreate(t, s, account.NewUser{Email: "kurator@galeri.id", Role: role.Kurator, MustChangePassword: true})
		_, phoneTok, _ := s.Login(ctx, "kurator@galeri.id", pw, "", "phone")
		_, deskTok, _ := s.Login(ctx, "kurator@galeri.id", pw, "", "desk")
		if err := s.ChangePassword(ctx, account.PasswordChange{UserID: u.ID, Current: "bukan sandinya", New: "kopi luwak banyuwangi", Session: deskTok}); !apperr.IsKind(err, apperr.Invalid) {
			t.Fatalf("wrong current password: %v", err)
		}
		if err := s.ChangePassword(ctx, account.PasswordChange{UserID: u.ID, Current: pw, New: "kopi luwak banyuwangi", Session: deskTok}); err != nil {
			t.Fatal(err)
		}
		if got, err := s.SessionUser(ctx, deskTok); err != nil || got.MustChangePassword {
			t.Fatalf("the session that changed the password: %+v, %v", got, err)
		}
		if _, err := s.SessionUser(ctx, phoneTok); !errors.Is(err, account.ErrNoSession) {
			t.Fatalf("the other session survived a password change")
		}
		otp, err := s.ResetPassword(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, deskTok); !errors.Is(err, account.ErrNoSession) {
			t.Fatalf("a session survived a reset")
		}
		got, _, err := s.Login(ctx, "kurator@galeri.id", otp, "", "")
		if err != nil || !got.MustChangePassword {
			t.Fatalf("login with the one-time password: %+v %v", got, err)
		}
		trail, _ := audit.List(ctx, d, audit.Filter{ObjectType: "user", ObjectID: "1", Action: "user."})
		var actions []string
		for _, e := range trail {
			actions = append(actions, e.Action)
			if strings.Contains(e.Before+e.After, "argon2") {
				t.Fatal("a password hash reached the audit trail")
			}
		}
		if strings.Join(actions, ",") != "user.reset_password,user.change_password,user.create" {
			t.Fatalf("audit trail %v", actions)
		}
	})
}

func TestFirstAdminIsCreatedOnceWithAOneTimePassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		ctx := context.Background()
		login, otp, created, err := s.EnsureFirstAdmin(ctx)
		if err != nil || !created || otp == "" {
			t.Fatalf("first start: %v %v", created, err)
		}
		u, _, err := s.Login(ctx, login, otp, "", "")
		if err != nil || u.Role != role.Admin || !u.MustChangePassword {
			t.Fatalf("admin %+v, %v", u, err)
		}
		_, again, created, err := s.EnsureFirstAdmin(ctx)
		if err != nil || created || again != "" {
			t.Fatalf("second start created another admin (%v) or printed a password", created)
		}
	})
}

func TestAPITokensWorkUntilRevokedAndOnlyTheirOwnerOrAnAdminSeesThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		newClock(d)
		ctx := context.Background()
		owner := mustCreate(t, s, account.NewUser{Email: "pimpinan@galeri.id", Role: role.Pimpinan})
		other := mustCreate(t, s, account.NewUser{Email: "staf@galeri.id", Role: role.StafGaleri})
		admin := mustCreate(t, s, account.NewUser{Email: "admin@galeri.id", Role: role.Admin})
		if _, _, err := s.CreateToken(ctx, owner, "  "); !apperr.IsKind(err, apperr.Invalid) {
			t.Fatalf("nameless token: %v", err)
		}
		tok, secret, err := s.CreateToken(ctx, owner, "Laporan Excel bulanan")
		if err != nil || !strings.HasPrefix(secret, tok.Prefix) {
			t.Fatalf("token %+v %v", tok, err)
		}
		if u, err := s.TokenUser(ctx, secret); err != nil || u.ID != owner.ID {
			t.Fatalf("token user %v %v", u, err)
		}
		if _, err := s.Token(ctx, other, tok.ID); !errors.Is(err, account.ErrTokenNotFound) {
			t.Fatalf("another user reading the token: %v", err)
		}
		if err := s.RevokeToken(ctx, other, tok.ID); !errors.Is(err, account.ErrTokenNotFound) {
			t.Fatalf("another user revoking the token: %v", err)
		}
		if _, err := s.Token(ctx, admin, tok.ID); err != nil {
			t.Fatalf("admin reading the token: %v", err)
		}
		if err := s.RevokeToken(ctx, owner, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, secret); !errors.Is(err, account.ErrBadToken) {
			t.Fatalf("revoked token still works: %v", err)
		}
		if _, err := s.TokenUser(ctx, "etl_"+strings.Repeat("A", 52)); !errors.Is(err, account.ErrBadToken) {
			t.Fatalf("made-up token: %v", err)
		}
	})
}

// One-time passwords are copied from paper or a chat onto a phone keyboard:
// lower case, without the dashes, with spaces, all sign in. Once the user has
// chosen their own password, it is compared exactly as typed.
func TestAOneTimePasswordTypedInLowerCaseWithoutDashesIsAccepted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		newClock(d)
		ctx := context.Background()
		u := mustCreate(t, s, account.NewUser{Email: "sri@keripik.id", Role: role.Pemohon})
		otp, err := s.ResetPassword(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		plain := strings.ReplaceAll(otp, "-", "")
		for _, typed := range []string{otp, strings.ToLower(plain), strings.ToLower(otp), " " + plain[:8] + " " + plain[8:] + " ", strings.ReplaceAll(otp, "-", " ")} {
			if _, _, err := s.Login(ctx, "sri@keripik.id", typed, ownerIP, ""); err != nil {
				t.Errorf("one-time password typed as %q: %v", typed, err)
			}
		}
		wrong := []byte(plain)
		wrong[0] = map[bool]byte{true: 'B', false: 'A'}[wrong[0] == 'A']
		if _, _, err := s.Login(ctx, "sri@keripik.id", string(wrong), ownerIP, ""); !apperr.IsKind(err, apperr.Unauthorized) {
			t.Fatalf("a wrong one-time password: %v", err)
		}
		_, tok, _ := s.Login(ctx, "sri@keripik.id", otp, ownerIP, "")
		if err := s.ChangePassword(ctx, account.PasswordChange{UserID: u.ID, New: "Kopi Luwak Banyuwangi", Session: tok, IP: ownerIP}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Login(ctx, "sri@keripik.id", "kopi luwak banyuwangi", ownerIP, ""); !apperr.IsKind(err, apperr.Unauthorized) {
			t.Fatalf("a chosen password in another case: %v, want refused", err)
		}
		if _, _, err := s.Login(ctx, "sri@keripik.id", "Kopi Luwak Banyuwangi", ownerIP, ""); err != nil {
			t.Fatal(err)
		}
	})
}

// The first change after signing in with a one-time password asks only for
// the new password: the sign-in a moment ago proved the old one. Without a
// live session of the account, the old one is asked as always; the one-time
// password itself cannot become the new one.
func TestTheFirstPasswordChangeDoesNotAskForTheOneTimePasswordAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		newClock(d)
		ctx := context.Background()
		u := mustCreate(t, s, account.NewUser{Email: "staf@galeri.id", Role: role.StafGaleri})
		other := mustCreate(t, s, account.NewUser{Email: "lain@galeri.id", Role: role.StafGaleri})
		otp, _ := s.ResetPassword(ctx, u.ID)
		_, tok, err := s.Login(ctx, "staf@galeri.id", otp, ownerIP, "")
		if err != nil {
			t.Fatal(err)
		}
		_, otherTok, _ := s.Login(ctx, "lain@galeri.id", pw, ownerIP, "")
		if err := s.ChangePassword(ctx, account.PasswordChange{UserID: u.ID, New: "kopi luwak banyuwangi", Session: otherTok, IP: ownerIP}); fieldsOf(err)["current"] == "" {
			t.Fatalf("a change with another account's session and no current password: %v, want the current password asked", err)
		}
		if err := s.ChangePassword(ctx, account.PasswordChange{UserID: u.ID, New: strings.ToLower(otp), Session: tok, IP: ownerIP}); fieldsOf(err)["password"] == "" {
			t.Fatalf("the one-time password as the new one: %v, want refused", err)
		}
		if err := s.ChangePassword(ctx, account.PasswordChange{UserID: u.ID, New: "kopi luwak banyuwangi", Session: tok, IP: ownerIP}); err != nil {
			t.Fatalf("the first change without the one-time password: %v", err)
		}
		// From now on the current password is asked.
		if err := s.ChangePassword(ctx, account.PasswordChange{UserID: u.ID, New: "teh poci tegal wangi", Session: tok, IP: ownerIP}); fieldsOf(err)["current"] == "" {
			t.Fatalf("a later change without the current password: %v, want it asked", err)
		}
		_ = other
	})
}

// Password changes revoke the account's API tokens unless the user keeps
// them; a reset always does.
func TestAPasswordChangeRevokesAPITokensUnlessKept(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		newClock(d)
		ctx := context.Background()
		u := mustCreate(t, s, account.NewUser{Email: "pimpinan@galeri.id", Role: role.Pimpinan})
		_, secret, _ := s.CreateToken(ctx, u, "Laporan")
		if err := s.ChangePassword(ctx, account.PasswordChange{UserID: u.ID, Current: pw, New: "kopi luwak banyuwangi", KeepTokens: true, IP: ownerIP}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, secret); err != nil {
			t.Fatalf("a kept token: %v", err)
		}
		if err := s.ChangePassword(ctx, account.PasswordChange{UserID: u.ID, Current: "kopi luwak banyuwangi", New: "teh poci tegal wangi", IP: ownerIP}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, secret); !errors.Is(err, account.ErrBadToken) {
			t.Fatalf("a token after a change that did not keep them: %v, want revoked", err)
		}
	})
}

// Registration on the public page answers alike for an e-mail that has an
// account and one that has not; only the new one gets an account, and the
// attempt on the taken one is audited for the staff to see. Too many
// registrations from one address are refused, whoever they name.
func TestSignUpAnswersAlikeForATakenAndAFreeEmailAndIsThrottled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		s.RegistrationsPerHour = 10 // the Office's setting; 60 by default
		newClock(d)
		ctx := context.Background()
		existing := mustCreate(t, s, account.NewUser{Email: "sri@keripik.id", Phone: "085233100202", Role: role.Pemohon})
		taken := s.SignUp(ctx, account.NewUser{Name: "Sri Lain", Email: "SRI@keripik.id", Password: "teh poci tegal wangi"}, attackerIP)
		free := s.SignUp(ctx, account.NewUser{Name: "Siti", Email: "siti@keripik.id", Password: "teh poci tegal wangi"}, attackerIP)
		if taken != nil || free != nil {
			t.Fatalf("taken e-mail: %v; free e-mail: %v; want both accepted alike", taken, free)
		}
		if err := s.SignUp(ctx, account.NewUser{Name: "Sri Lain", Phone: "0852-3310-0202", Password: "teh poci tegal wangi"}, attackerIP); err != nil {
			t.Fatalf("taken phone: %v", err)
		}
		if n, _ := s.Count(ctx); n != 2 {
			t.Fatalf("%d accounts, want the existing one and the new one", n)
		}
		if _, _, err := s.Login(ctx, "sri@keripik.id", pw, ownerIP, ""); err != nil {
			t.Fatalf("the existing account's password changed: %v", err)
		}
		trail, _ := audit.List(ctx, d, audit.Filter{Action: "user.register_taken"})
		if len(trail) != 2 || trail[0].ObjectID != fmt.Sprint(existing.ID) {
			t.Fatalf("audit of the attempts on the taken account: %+v", trail)
		}
		// A form problem is said as always: it does not depend on who is registered.
		if err := s.SignUp(ctx, account.NewUser{Name: "Sri Lain", Email: "sri@keripik.id", Password: "pendek"}, attackerIP); fieldsOf(err)["password"] == "" {
			t.Fatalf("a short password: %v", err)
		}
		for i := 3; i < 10; i++ {
			if err := s.SignUp(ctx, account.NewUser{Name: "Banjir", Email: fmt.Sprintf("banjir%d@contoh.id", i), Password: "teh poci tegal wangi"}, attackerIP); err != nil {
				t.Fatalf("registration %d: %v", i+1, err)
			}
		}
		for _, email := range []string{"sri@keripik.id", "baru@contoh.id"} {
			err := s.SignUp(ctx, account.NewUser{Name: "Banjir", Email: email, Password: "teh poci tegal wangi"}, attackerIP)
			retryAfter(t, err)
		}
		if err := s.SignUp(ctx, account.NewUser{Name: "Tetangga", Email: "tetangga@contoh.id", Password: "teh poci tegal wangi"}, ownerIP); err != nil {
			t.Fatalf("a registration from another address: %v", err)
		}
	})
}

// The sign-in with a one-time password stands in for it for half an hour:
// a session left open at the desk longer than that asks for it again.
func TestTheOneTimePasswordIsAskedAgainHalfAnHourAfterSigningIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		clk := newClock(d)
		ctx := context.Background()
		u := mustCreate(t, s, account.NewUser{Email: "staf@galeri.id", Role: role.StafGaleri})
		otp, _ := s.ResetPassword(ctx, u.ID)
		u, tok := loginAs(t, s, "staf@galeri.id", otp)
		if s.AsksCurrentPassword(ctx, u, tok) {
			t.Fatal("the one-time password is asked right after signing in with it")
		}
		clk.add(31 * time.Minute)
		if !s.AsksCurrentPassword(ctx, u, tok) {
			t.Fatal("half an hour later the one-time password is not asked")
		}
		if err := s.ChangePassword(ctx, account.PasswordChange{UserID: u.ID, New: "kopi luwak banyuwangi", Session: tok, IP: ownerIP}); fieldsOf(err)["current"] == "" {
			t.Fatalf("a change half an hour later without the one-time password: %v", err)
		}
		if err := s.ChangePassword(ctx, account.PasswordChange{UserID: u.ID, Current: strings.ToLower(otp), New: "kopi luwak banyuwangi", Session: tok, IP: ownerIP}); err != nil {
			t.Fatalf("with the one-time password typed again: %v", err)
		}
	})
}

func loginAs(t *testing.T, s *account.Service, login, password string) (account.User, string) {
	t.Helper()
	u, tok, err := s.Login(context.Background(), login, password, ownerIP, "")
	if err != nil {
		t.Fatalf("sign in as %s: %v", login, err)
	}
	return u, tok
}
