package account

import (
	"strings"
	"testing"
)

func TestPasswordHashVerifiesOnlyTheRightPasswordAndKeepsItsParameters(t *testing.T) {
	h, err := DefaultHasher.Hash("batik tulis madura")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not carry Argon2id and its parameters", h)
	}
	if !Verify(h, "batik tulis madura") || Verify(h, "batik tulis madurA") || Verify(h, "") {
		t.Fatal("verify accepts a wrong password or refuses the right one")
	}
	h2, _ := DefaultHasher.Hash("batik tulis madura")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is missing")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=999999999,t=1,p=1$AAAA$AAAA"} {
		if Verify(bad, "x") {
			t.Errorf("Verify accepted malformed hash %q", bad)
		}
	}
}

func TestOneTimePasswordsAreLongAndUnambiguous(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		p := NewOneTimePassword()
		if len(p) != 19 || strings.Count(p, "-") != 3 || strings.ContainsAny(p, "0189abcdefghijklmnopqrstuvwxyz") || seen[p] {
			t.Fatalf("one-time password %q", p)
		}
		seen[p] = true
		if _, ok := CheckPassword(p); !ok {
			t.Fatalf("our own one-time password %q fails the password rules", p)
		}
	}
}

func FuzzVerifyNeverPanics(f *testing.F) {
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "pw")
	f.Add("$$$$$", "")
	f.Fuzz(func(t *testing.T, hash, pw string) {
		if len(hash) > 200 {
			return
		}
		_ = Verify(hash, pw)
	})
}

// The passwords guessers try first are refused with a message saying why;
// ordinary passphrases, and our own one-time passwords, are not.
func TestACommonPasswordIsRefusedWithAMessageSayingWhy(t *testing.T) {
	for _, p := range []string{"password123", "Password1234", "1234567890", "qwertyuiop", "bismillah123", "Bismillah 2026!", "surabaya2026", "indonesia123", "sayangku123", "admin12345", "iloveyou123", "123456789a", "Assalamualaikum", "etalase2026"} {
		text, ok := CheckPassword(p)
		if ok {
			t.Errorf("%q accepted", p)
			continue
		}
		if !strings.Contains(text.ID, "sering dipakai") || !strings.Contains(text.EN, "commonly used") {
			t.Errorf("%q refused with %q / %q, want it to say the password is common", p, text.ID, text.EN)
		}
	}
	for _, p := range []string{"batik tulis madura", "kopi luwak banyuwangi", "keripik tempe malang 07", "etalase-demo-2026", "bismillah usaha jamu", NewOneTimePassword()} {
		if text, ok := CheckPassword(p); !ok {
			t.Errorf("%q refused: %s", p, text.ID)
		}
	}
}
