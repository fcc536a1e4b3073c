// Package passwd hashes and checks passwords with argon2id (RFC 9106's
// second recommended option, tuned to 64 MiB). Concurrent hashing is bounded
// by a semaphore so a burst of logins cannot exhaust memory or starve the
// server: on 2 cores 250 parallel argon2id hashes would take seconds each.
package passwd

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
	KeyLen  uint32
}

// Default are the parameters for new hashes.
var Default = Params{Time: 1, Memory: 64 * 1024, Threads: 2, KeyLen: 32}

// maxMemory bounds the memory (KiB) a stored hash may make Check use.
const maxMemory = 256 * 1024

var sem = make(chan struct{}, max(2, runtime.NumCPU()))

// Hash returns an encoded argon2id hash of pw in the PHC string format.
func Hash(pw string) (string, error) {
	return HashWith(pw, Default)
}

// HashWith hashes with explicit parameters (tests use cheap ones).
func HashWith(pw string, p Params) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	sem <- struct{}{}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	<-sem
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrMalformed is returned for a stored hash that cannot be read.
var ErrMalformed = errors.New("malformed password hash")

// Check reports whether pw matches the encoded hash.
func Check(pw, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformed
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, ErrMalformed
	}
	// argon2 panics on zero rounds or threads; a stored hash must not be able
	// to ask for more than maxMemory either.
	if p.Time < 1 || p.Time > 16 || p.Threads < 1 || p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory {
		return false, ErrMalformed
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrMalformed
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 64 {
		return false, ErrMalformed
	}
	sem <- struct{}{}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	<-sem
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// Validate checks a new password against the policy: at least 8 characters
// with letters and digits. It returns a Chinese message, or "".
func Validate(pw string) string {
	if len([]rune(pw)) < 8 {
		return "密码至少 8 位"
	}
	var letter, digit bool
	for _, r := range pw {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
			letter = true
		}
	}
	if !letter || !digit {
		return "密码须同时包含字母和数字"
	}
	return ""
}
