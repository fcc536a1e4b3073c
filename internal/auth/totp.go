package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TOTP as every authenticator app reads it (RFC 6238 with the defaults of
// the otpauth:// key URI format): HMAC-SHA-1, 6 digits, 30-second steps; a
// code of the step before or after is accepted too (a phone's clock a little
// off), never a code of a step already used.
const (
	totpDigits = 6
	totpPeriod = 30 // seconds
	totpSkew   = 1  // steps either side
	totpIssuer = "安危"
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// newTOTPSecret is 20 random bytes (160 bits, RFC 4226's recommendation),
// in base32 as apps take it.
func newTOTPSecret() string {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b32.EncodeToString(b)
}

// totpStep is the time step of t.
func totpStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// totpCode is the code of secret (base32) at step.
func totpCode(secret string, step int64) (string, error) {
	key, err := b32.DecodeString(strings.ToUpper(secret))
	if err != nil {
		return "", err
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", n%1_000_000), nil
}

// TOTPCode is the code an authenticator app shows for secret at t: for the
// command line and tests.
func TOTPCode(secret string, t time.Time) string {
	c, _ := totpCode(secret, totpStep(t))
	return c
}

// matchTOTP returns the step within the skew of now whose code is code and
// that is later than after (the last step used), or 0.
func matchTOTP(secret, code string, now time.Time, after int64) int64 {
	code = normaliseCode(code)
	if len(code) != totpDigits {
		return 0
	}
	at := totpStep(now)
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		step := at + d
		if step <= after {
			continue
		}
		if c, err := totpCode(secret, step); err == nil && hmac.Equal([]byte(c), []byte(code)) {
			return step
		}
	}
	return 0
}

// normaliseCode drops the spaces and dashes people type inside a code.
func normaliseCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\u3000' {
			return -1
		}
		return r
	}, strings.TrimSpace(code))
}

// otpauthURI is the key URI an app scans (Google Authenticator's format,
// which every app reads): otpauth://totp/安危:username?secret=…
func otpauthURI(username, secret string) string {
	label := url.PathEscape(totpIssuer + ":" + username)
	q := url.Values{"secret": {secret}, "issuer": {totpIssuer}, "algorithm": {"SHA1"},
		"digits": {strconv.Itoa(totpDigits)}, "period": {strconv.Itoa(totpPeriod)}}
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// groupSecret writes a secret in groups of four for typing by hand.
func groupSecret(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// recoveryAlphabet has no 0/O, 1/I/L: codes are read off paper.
const recoveryAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// newRecoveryCode is ten characters of recoveryAlphabet (about 49 bits) as
// xxxxx-xxxxx.
func newRecoveryCode() string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	out := make([]byte, 0, 11)
	for i, c := range b {
		if i == 5 {
			out = append(out, '-')
		}
		out = append(out, recoveryAlphabet[int(c)%len(recoveryAlphabet)])
	}
	return string(out)
}

// recoveryHash is what is stored of a recovery code: SHA-256 of the user
// and the code as typed without dashes, spaces or case.
func recoveryHash(userID int64, code string) string {
	return hashSecret(strconv.FormatInt(userID, 10) + ":" + strings.ToLower(normaliseCode(code)))
}

// sealSecret encrypts a TOTP secret with AES-256-GCM under key; the user id
// is the additional data, so a ciphertext copied to another user's row does
// not open. The result is "v1:" and base64 of the nonce and ciphertext.
func sealSecret(key []byte, userID int64, secret string) (string, error) {
	g, err := gcm(key)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	ct := g.Seal(nonce, nonce, []byte(secret), []byte(strconv.FormatInt(userID, 10)))
	return "v1:" + base64.StdEncoding.EncodeToString(ct), nil
}

// openSecret is sealSecret's inverse.
func openSecret(key []byte, userID int64, sealed string) (string, error) {
	g, err := gcm(key)
	if err != nil {
		return "", err
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, "v1:"))
	if err != nil || !strings.HasPrefix(sealed, "v1:") || len(raw) < g.NonceSize() {
		return "", errors.New("双因素密钥记录已损坏")
	}
	pt, err := g.Open(nil, raw[:g.NonceSize()], raw[g.NonceSize():], []byte(strconv.FormatInt(userID, 10)))
	if err != nil {
		return "", errors.New("双因素密钥无法用当前密钥文件解密: 请确认 --factor-key-file 指向原来的密钥文件")
	}
	return string(pt), nil
}

func gcm(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, errors.New("未配置双因素密钥 (--factor-key-file)")
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}
