package account

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/etalase-id/etalase/internal/i18n"
)

// Hasher hashes passwords with Argon2id, a memory-hard function: guessing a leaked
// hash costs memory as well as time. The parameters travel inside each hash, so
// raising them later leaves old hashes verifiable.
type Hasher struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultHasher follows OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane):
// about 30 ms on the Office's small server, bearable for sign-ins, costly for a
// guesser.
var DefaultHasher = Hasher{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// Hash returns the PHC-formatted Argon2id hash of password.
func (h Hasher) Hash(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, h.Time, h.MemoryKiB, h.Threads, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.MemoryKiB, h.Time, h.Threads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Verify reports whether password matches hash, in time independent of where they
// differ.
func Verify(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var v int
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 256*1024 || t > 10 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// MinPasswordLength is the shortest password accepted. Length beats complexity
// rules (NIST SP 800-63B); a passphrase such as "batik tulis madura" is welcome.
const MinPasswordLength = 10

// CheckPassword says what is wrong with a new password, if anything.
func CheckPassword(password string, identifiers ...string) (i18n.Text, bool) {
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLength {
		return i18n.Text{
			ID: fmt.Sprintf("Kata sandi minimal %d karakter; yang diisi %d karakter. Gabungan beberapa kata mudah diingat dan kuat.", MinPasswordLength, n),
			EN: fmt.Sprintf("The password needs at least %d characters; %d were entered. A few words together are easy to remember and strong.", MinPasswordLength, n),
		}, false
	}
	if n > 200 {
		return i18n.Text{ID: "Kata sandi terlalu panjang (maksimal 200 karakter).", EN: "The password is too long (200 characters at most)."}, false
	}
	lower := strings.ToLower(password)
	for _, id := range identifiers {
		if id != "" && strings.Contains(lower, strings.ToLower(id)) {
			return i18n.Text{ID: "Kata sandi tidak boleh memuat e-mail atau nomor telepon Anda.", EN: "The password must not contain your e-mail or phone number."}, false
		}
	}
	if strings.Count(password, password[:1]) == len(password) {
		return i18n.Text{ID: "Kata sandi tidak boleh satu karakter yang diulang-ulang.", EN: "The password must not be one character repeated."}, false
	}
	if IsCommonPassword(password) {
		return i18n.Text{
			ID: "Kata sandi ini termasuk yang paling sering dipakai orang, jadi mudah ditebak. Pilih yang lain, misalnya gabungan beberapa kata.",
			EN: "This password is among the most commonly used, so it is easy to guess. Choose another, e.g. a few words together.",
		}, false
	}
	return i18n.Text{}, true
}

//go:embed common_passwords.txt
var commonPasswordsFile string

// commonPasswords is the embedded list, lower-cased.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsFile, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

// IsCommonPassword reports whether password is one of the passwords guessers
// try first: on the embedded list as it stands, or a word of the list with
// only digits and symbols around it ("Bismillah123!", "surabaya 2026").
func IsCommonPassword(password string) bool {
	p := strings.ToLower(strings.Join(strings.Fields(password), ""))
	if commonPasswords[p] {
		return true
	}
	stem := strings.TrimFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	return stem != "" && commonPasswords[stem]
}

// NewOneTimePassword returns a random password to hand to a user once (the first
// admin, a reset): 16 characters of base32 (A–Z, 2–7, so no 0/O or 1/I mix-ups) in
// groups of four, 80 bits of entropy.
func NewOneTimePassword() string {
	t := rand.Text()
	return t[0:4] + "-" + t[4:8] + "-" + t[8:12] + "-" + t[12:16]
}

// oneTimeForm returns what typed means for an account on a one-time password:
// the password's own form (upper case, four groups of four) when typed looks
// like one written down loosely — in lower case, without dashes, with spaces,
// or with 0 and 1 for O and I, which the alphabet does not use — and typed
// itself otherwise. People copy these passwords from paper or a chat message
// onto a phone keyboard that starts in lower case.
func oneTimeForm(typed string) string {
	var b strings.Builder
	for _, r := range typed {
		switch {
		case r == '-' || unicode.IsSpace(r):
			continue
		case r == '0':
			r = 'O'
		case r == '1':
			r = 'I'
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	t := b.String()
	if len(t) != 16 || strings.IndexFunc(t, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') }) >= 0 {
		return typed
	}
	return t[0:4] + "-" + t[4:8] + "-" + t[8:12] + "-" + t[12:16]
}

// secretFor is the string hashed and compared for a password: an account that
// must change its password is on a one-time password, compared in its own
// form; any other password exactly as typed.
func secretFor(password string, oneTime bool) string {
	if oneTime {
		return oneTimeForm(password)
	}
	return password
}
