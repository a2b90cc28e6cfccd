package account

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/etalase-id/etalase/internal/apperr"
)

// Password hashes cost memory (19 MiB each with DefaultHasher): at most a few
// run at once in a process, one per CPU, so a burst of sign-ins queues instead
// of taking the server's memory (64 at once once took it to 1.5 GB). A request
// waits its turn briefly, then is told to try again in a moment.
var hashSlots = make(chan struct{}, max(1, runtime.NumCPU()))

// hashQueueWait is how long a request waits for a free hashing slot: 64
// people signing in at once on two busy cores are all through in about
// four seconds.
var hashQueueWait = 5 * time.Second

var errBusy = &apperr.Error{Kind: apperr.TooMany, Code: "account.busy", RetryAfter: 2 * time.Second,
	Text: textf("Terlalu banyak orang masuk bersamaan. Tunggu sebentar, lalu coba lagi.",
		"Too many people are signing in at once. Wait a moment, then try again.")}

// hashSlot takes a hashing slot, waiting at most hashQueueWait; the caller
// must call release. A request cancelled while it waits gets ctx's error.
func hashSlot(ctx context.Context) (release func(), err error) {
	release = func() { <-hashSlots }
	select {
	case hashSlots <- struct{}{}:
		return release, nil
	default:
	}
	t := time.NewTimer(hashQueueWait)
	defer t.Stop()
	select {
	case hashSlots <- struct{}{}:
		return release, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, errBusy
	}
}

// hash hashes password in a hashing slot.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	release, err := hashSlot(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return s.Hasher.Hash(password)
}

// verify checks password against hash in a hashing slot. An unusable hash
// (an imported account not yet given a password) is never accepted, yet costs
// what a real one does: the answer and its timing must not tell such an
// account from a wrong password.
func (s *Service) verify(ctx context.Context, hash, password string) (bool, error) {
	release, err := hashSlot(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	if !Usable(hash) {
		Verify(s.Hasher.dummy(), password)
		return false, nil
	}
	return Verify(hash, password), nil
}

// Unusable is the password hash of an account that has no password yet (an
// applicant imported from the old form): no password matches it. It is set
// instead of hashing a random password, which cost a full Argon2id hash per
// imported row for nothing.
const Unusable = "!"

// Usable reports whether hash can match a password at all.
func Usable(hash string) bool { return strings.HasPrefix(hash, "$argon2id$") }

// dummies holds, per hasher, the hash that a sign-in for an unknown or
// passwordless account is checked against, so it costs what a real one does.
// Made on first use: a command that never checks a password (etalase version)
// does not pay for it.
var dummies sync.Map // Hasher → string

func (h Hasher) dummy() string {
	if v, ok := dummies.Load(h); ok {
		return v.(string)
	}
	d, err := h.Hash("etalase-dummy-password")
	if err != nil {
		d = "" // Verify refuses it; the next call tries again
		return d
	}
	v, _ := dummies.LoadOrStore(h, d)
	return v.(string)
}
