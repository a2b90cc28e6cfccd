package account

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/role"
)

// dummiesAtStart is read during package initialisation, after every
// package-level variable of the package itself and before any test: no
// password hash is made just by loading the package (it cost 40 ms of every
// `etalase version`).
var dummiesAtStart = func() (n int) {
	dummies.Range(func(any, any) bool { n++; return true })
	return n
}()

func TestNoHashIsMadeUntilAPasswordIsChecked(t *testing.T) {
	if dummiesAtStart != 0 {
		t.Fatalf("%d dummy hashes made at start", dummiesAtStart)
	}
}

var testHasher = Hasher{MemoryKiB: 64, Time: 1, Threads: 1}

func testService(d *db.DB) *Service {
	s := New(d)
	s.Hasher = testHasher
	d.Now = func() time.Time { return time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC) }
	return s
}

func failures(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.Q(context.Background()).QueryRowContext(context.Background(), "SELECT COUNT(*) FROM login_failures").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// occupy takes every hashing slot, as a burst of sign-ins would, until the
// returned function gives them back.
func occupy() (free func()) {
	for range cap(hashSlots) {
		hashSlots <- struct{}{}
	}
	return func() {
		for range cap(hashSlots) {
			<-hashSlots
		}
	}
}

// While every hashing slot is taken, a sign-in waits; one whose client goes
// away, and one that waits too long, are answered without checking the
// password, and neither counts as a failed attempt.
func TestASignInNeverCheckedDoesNotCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := testService(d)
		ctx := context.Background()
		if _, err := s.Create(ctx, NewUser{Email: "sri@keripik.id", Name: "Sri", Role: role.Pemohon, Password: "batik tulis madura"}); err != nil {
			t.Fatal(err)
		}
		free := occupy()
		defer func() { free() }()

		cctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() {
			_, _, err := s.Login(cctx, "sri@keripik.id", "tebakan salah", "10.0.0.1", "")
			done <- err
		}()
		time.Sleep(50 * time.Millisecond) // queued behind the burst
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("a sign-in cancelled while waiting: %v", err)
		}
		if n := failures(t, d); n != 0 {
			t.Fatalf("the cancelled sign-in left %d failures counted", n)
		}

		old := hashQueueWait
		hashQueueWait = 20 * time.Millisecond
		defer func() { hashQueueWait = old }()
		_, _, err := s.Login(ctx, "sri@keripik.id", "batik tulis madura", "10.0.0.1", "")
		if e, ok := apperr.As(err); !ok || e.Code != "account.busy" || e.Kind != apperr.TooMany || e.RetryAfter <= 0 || e.Text.EN == "" {
			t.Fatalf("a sign-in that waited too long: %v, want account.busy", err)
		}
		if n := failures(t, d); n != 0 {
			t.Fatalf("the refused sign-in left %d failures counted", n)
		}

		free()
		free = func() {}
		if _, _, err := s.Login(ctx, "sri@keripik.id", "batik tulis madura", "10.0.0.1", ""); err != nil {
			t.Fatalf("with slots free again: %v", err)
		}
	})
}

// A burst of sign-ins larger than the hashing slots queues for them: every
// one is answered, none is told to come back. (That a full queue answers
// "busy" is the test above; the channel itself bounds the hashes at once.)
func TestBurstOfSignInsQueuesForTheHashingSlots(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := testService(d)
		ctx := context.Background()
		for i := range 4 {
			if _, err := s.Create(ctx, NewUser{Email: fmt.Sprintf("u%d@keripik.id", i), Name: "U", Role: role.Pemohon, Password: "batik tulis madura"}); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make([]error, max(24, 6*cap(hashSlots)))
		for i := range errs {
			wg.Go(func() {
				_, _, errs[i] = s.Login(ctx, fmt.Sprintf("u%d@keripik.id", i%4), "batik tulis madura", fmt.Sprintf("10.0.0.%d", i), "")
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("sign-in %d: %v", i, err)
			}
		}
	})
}

// An imported applicant has no password until the desk gives one: every
// password is refused with the same words as a wrong one, after the same work
// (a hash of the dummy).
func TestAnAccountWithoutPasswordAnswersLikeAWrongPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := testService(d)
		ctx := context.Background()
		if _, err := s.Create(ctx, NewUser{Email: "sri@keripik.id", Name: "Sri", Role: role.Pemohon, Password: "batik tulis madura"}); err != nil {
			t.Fatal(err)
		}
		imported, err := s.Create(ctx, NewUser{Phone: "085233100202", Name: "Endah", Role: role.Pemohon, NoPassword: true, MustChangePassword: true})
		if err != nil {
			t.Fatal(err)
		}
		if h, _ := s.passwordHash(ctx, imported.ID); h != Unusable {
			t.Fatalf("imported account's hash %q, want %q", h, Unusable)
		}
		dummies.Delete(testHasher)
		_, _, none := s.Login(ctx, "085233100202", "", "10.0.0.1", "")
		_, _, guess := s.Login(ctx, "085233100202", "batik tulis madura", "10.0.0.1", "")
		_, _, wrong := s.Login(ctx, "sri@keripik.id", "salah sekali ya", "10.0.0.1", "")
		if _, made := dummies.Load(testHasher); !made {
			t.Error("checking a password against an account without one did no hashing work")
		}
		for _, err := range []error{none, guess} {
			if e, w := errCode(err), errCode(wrong); e != w || e != "account.bad_login" {
				t.Errorf("without a password: %v; a wrong password: %v", err, wrong)
			}
		}
		if _, err := s.ResetPassword(ctx, imported.ID); err != nil {
			t.Fatal(err)
		}
		if h, _ := s.passwordHash(ctx, imported.ID); !Usable(h) {
			t.Fatal("a reset gives the imported account a real password")
		}
	})
}

func errCode(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return fmt.Sprint(err)
}

// Old failures are purged in short chunks, apart from sign-ins, and recent
// ones stay.
func TestOldFailuresArePurgedInChunks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := testService(d)
		ctx := context.Background()
		now := d.Now()
		err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			for i := range purgeChunk*2 + 7 {
				if _, err := tx.ExecContext(ctx, "INSERT INTO login_failures (key, at) VALUES (?, ?)", "ip:10.0.0.1", now.Add(-48*time.Hour+time.Duration(i)*time.Second)); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO login_failures (key, at) VALUES (?, ?)", "ip:10.0.0.1", now.Add(-time.Hour))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// A sign-in leaves them to the purge; it counts its own try three
		// ways (the account, the account at the address, the address).
		_, _, _ = s.Login(ctx, "nobody@keripik.id", "x", "10.0.0.2", "")
		if n := failures(t, d); n != purgeChunk*2+7+1+3 {
			t.Fatalf("%d failures after a sign-in", n)
		}
		n, err := s.PurgeLoginFailures(ctx)
		if err != nil || n != purgeChunk*2+7 {
			t.Fatalf("purged %d (%v), want %d", n, err, purgeChunk*2+7)
		}
		if n := failures(t, d); n != 4 {
			t.Fatalf("%d failures left, want the recent 4", n)
		}
	})
}
