package account_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/role"
)

const (
	ownerIP    = "10.1.1.1"
	attackerIP = "203.0.113.66"
)

func retryAfter(t *testing.T, err error) time.Duration {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.TooMany || e.RetryAfter <= 0 {
		t.Fatalf("got %v, want a refusal to try again yet", err)
	}
	return e.RetryAfter
}

// The finding: five wrong guesses from anywhere locked the account for
// everyone. Now the guesser's address waits, longer after every further
// failure, while the owner signs in from their own address as usual.
func TestTheOwnerSignsInFromTheirAddressWhileAnAttackersGuessesAreThrottled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		clk := newClock(d)
		ctx := context.Background()
		mustCreate(t, s, account.NewUser{Email: "sri@keripik.id", Phone: "085233100202", Role: role.Pemohon})

		// E-mail and phone of one account share one counter: five guesses
		// spread over both are the five free ones.
		for i, login := range []string{"sri@keripik.id", "085233100202", "SRI@keripik.id", "+62 852 3310 0202", "sri@keripik.id"} {
			if _, _, err := s.Login(ctx, login, fmt.Sprintf("tebakan salah %d", i), attackerIP, ""); !apperr.IsKind(err, apperr.Unauthorized) {
				t.Fatalf("guess %d: %v, want a wrong password", i+1, err)
			}
		}
		_, _, err := s.Login(ctx, "085233100202", "tebakan salah 5", attackerIP, "")
		if got := retryAfter(t, err); got != time.Minute {
			t.Fatalf("after five failures the guesser waits %v, want 1m", got)
		}

		// The owner, from home, is not held up at all.
		if _, _, err := s.Login(ctx, "sri@keripik.id", pw, ownerIP, ""); err != nil {
			t.Fatalf("the owner signing in during the attack: %v", err)
		}

		// The guesser's wait doubles with every further failure, up to 15 minutes.
		for _, want := range []time.Duration{2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 15 * time.Minute, 15 * time.Minute} {
			clk.add(16 * time.Minute)
			if _, _, err := s.Login(ctx, "sri@keripik.id", "masih menebak", attackerIP, ""); !apperr.IsKind(err, apperr.Unauthorized) {
				t.Fatalf("a guess after the wait: %v", err)
			}
			_, _, err := s.Login(ctx, "sri@keripik.id", "masih menebak", attackerIP, "")
			if got := retryAfter(t, err); got != want {
				t.Fatalf("wait %v, want %v", got, want)
			}
		}
		if _, _, err := s.Login(ctx, "085233100202", pw, ownerIP, ""); err != nil {
			t.Fatalf("the owner signing in after an hour of guessing: %v", err)
		}

		// The owner's own typing mistakes cost them a minute at most, and a
		// successful sign-in forgets them.
		for i := 0; i < 5; i++ {
			_, _, _ = s.Login(ctx, "sri@keripik.id", "salah ketik", ownerIP, "")
		}
		_, _, err = s.Login(ctx, "sri@keripik.id", pw, ownerIP, "")
		retryAfter(t, err)
		clk.add(time.Minute)
		if _, _, err := s.Login(ctx, "sri@keripik.id", pw, ownerIP, ""); err != nil {
			t.Fatalf("the owner after a minute: %v", err)
		}
		for i := 0; i < 5; i++ {
			if _, _, err := s.Login(ctx, "sri@keripik.id", "salah ketik", ownerIP, ""); !apperr.IsKind(err, apperr.Unauthorized) {
				t.Fatalf("after a successful sign-in the owner's mistake %d: %v", i+1, err)
			}
		}
	})
}

// One address trying many accounts is held up, across accounts; other
// addresses are not.
func TestOneAddressTryingManyAccountsWaits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		newClock(d)
		ctx := context.Background()
		mustCreate(t, s, account.NewUser{Email: "sri@keripik.id", Role: role.Pemohon})
		for i := 0; i < 30; i++ {
			if _, _, err := s.Login(ctx, fmt.Sprintf("orang%d@contoh.id", i), "tebakan salah", attackerIP, ""); !apperr.IsKind(err, apperr.Unauthorized) {
				t.Fatalf("guess %d: %v", i+1, err)
			}
		}
		_, _, err := s.Login(ctx, "sri@keripik.id", pw, attackerIP, "")
		retryAfter(t, err)
		if _, _, err := s.Login(ctx, "sri@keripik.id", pw, ownerIP, ""); err != nil {
			t.Fatalf("the owner from another address: %v", err)
		}
	})
}

// Many machines guessing one account: past a hundred failures in an hour,
// addresses the account was never signed in from wait; the owner's usual
// address does not.
func TestManyAddressesGuessingOneAccountDoNotShutOutTheOwnersUsualAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		clk := newClock(d)
		ctx := context.Background()
		mustCreate(t, s, account.NewUser{Email: "kurator@galeri.id", Role: role.Kurator})
		if _, _, err := s.Login(ctx, "kurator@galeri.id", pw, ownerIP, ""); err != nil {
			t.Fatal(err)
		}
		clk.add(time.Hour)
		for i := 0; i < 100; i++ {
			ip := fmt.Sprintf("198.51.100.%d", i)
			if _, _, err := s.Login(ctx, "kurator@galeri.id", "tebakan salah", ip, ""); !apperr.IsKind(err, apperr.Unauthorized) {
				t.Fatalf("guess %d: %v", i+1, err)
			}
		}
		_, _, err := s.Login(ctx, "kurator@galeri.id", pw, "198.51.100.200", "")
		retryAfter(t, err)
		if _, _, err := s.Login(ctx, "kurator@galeri.id", pw, ownerIP, ""); err != nil {
			t.Fatalf("the owner from the address they signed in from before: %v", err)
		}
		clk.add(time.Hour)
		if _, _, err := s.Login(ctx, "kurator@galeri.id", pw, "198.51.100.200", ""); err != nil {
			t.Fatalf("a new address once the hour has passed: %v", err)
		}
	})
}

// Wrong current passwords on the change form are guesses too: they count
// with the sign-ins of the same account at the same address.
func TestWrongCurrentPasswordsCountAsFailedSignIns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		newClock(d)
		ctx := context.Background()
		u := mustCreate(t, s, account.NewUser{Email: "staf@galeri.id", Role: role.StafGaleri})
		_, tok, err := s.Login(ctx, "staf@galeri.id", pw, attackerIP, "")
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			err := s.ChangePassword(ctx, account.PasswordChange{UserID: u.ID, Current: fmt.Sprintf("tebakan %d salah", i), New: "kopi luwak banyuwangi", Session: tok, IP: attackerIP})
			if !apperr.IsKind(err, apperr.Invalid) {
				t.Fatalf("wrong current password %d: %v", i+1, err)
			}
		}
		for i := 0; i < 2; i++ {
			_, _, _ = s.Login(ctx, "staf@galeri.id", "tebakan lain", attackerIP, "")
		}
		err = s.ChangePassword(ctx, account.PasswordChange{UserID: u.ID, Current: pw, New: "kopi luwak banyuwangi", Session: tok, IP: attackerIP})
		retryAfter(t, err)
		_, _, err = s.Login(ctx, "staf@galeri.id", pw, attackerIP, "")
		retryAfter(t, err)
	})
}

// A password reset lifts any wait on the account, so the person handed the
// new password can sign in with it at once, wherever they are.
func TestAResetLiftsTheWait(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		newClock(d)
		ctx := context.Background()
		u := mustCreate(t, s, account.NewUser{Email: "sri@keripik.id", Role: role.Pemohon})
		for i := 0; i < 5; i++ {
			_, _, _ = s.Login(ctx, "sri@keripik.id", "lupa kata sandi", ownerIP, "")
		}
		_, _, err := s.Login(ctx, "sri@keripik.id", "lupa kata sandi", ownerIP, "")
		retryAfter(t, err)
		otp, err := s.ResetPassword(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Login(ctx, "sri@keripik.id", otp, ownerIP, ""); err != nil {
			t.Fatalf("signing in with the new one-time password right after the reset: %v", err)
		}
	})
}

// The spellings of a number share one counter whether or not the number has
// an account, so the wait cannot tell which numbers are registered.
func TestTheWaitDoesNotTellWhetherANumberIsRegistered(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := service(d)
		newClock(d)
		ctx := context.Background()
		mustCreate(t, s, account.NewUser{Phone: "085233100202", Role: role.Pemohon})
		for _, number := range []string{"085233100202", "081299990000"} {
			for i := 0; i < 5; i++ {
				_, _, _ = s.Login(ctx, number, "tebakan salah", attackerIP, "")
			}
			international := "+62 " + number[1:]
			_, _, err := s.Login(ctx, international, "tebakan salah", attackerIP, "")
			if !apperr.IsKind(err, apperr.TooMany) {
				t.Errorf("%s after five failures as %s: %v, want the same wait for a registered and an unregistered number", international, number, err)
			}
		}
	})
}
