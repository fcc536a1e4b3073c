package files

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"anwei/internal/apperr"
)

// A form that comes back with an error keeps the files its user chose
// (issue 16.2): each is held under pending/<user>/ in the store's folder —
// the data directory, never the system's temporary one — for PendingTTL,
// within a quota per user, and the form carries its token to be sent again.
// Tokens are random and a user reads only its own folder.

// Held is an upload kept for a form that came back with an error.
type Held struct {
	Token       string    `json:"token"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	At          time.Time `json:"at"`
}

// The bounds of what a user may have held at once, and for how long.
const (
	PendingTTL       = 24 * time.Hour
	PendingQuota     = 200 << 20 // bytes per user
	PendingQuotaFile = 30        // files per user
)

func (s *Store) pendingDir(user int64) string {
	return filepath.Join(s.dir, "pending", strconv.FormatInt(user, 10))
}

// validToken is a token as Hold makes them: 32 hex digits.
func validToken(t string) bool {
	if len(t) != 32 {
		return false
	}
	_, err := hex.DecodeString(t)
	return err == nil
}

// Hold keeps u for user, read to its end, and returns its token.
func (s *Store) Hold(user int64, now time.Time, u Upload) (Held, error) {
	dir := s.pendingDir(user)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return Held{}, err
	}
	files, bytes, err := s.pendingUse(user)
	if err != nil {
		return Held{}, err
	}
	if files >= PendingQuotaFile {
		return Held{}, apperr.Field("files", "暂存的待提交文件已达 "+strconv.Itoa(PendingQuotaFile)+" 个，请先提交或一天后再试")
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return Held{}, err
	}
	h := Held{Token: hex.EncodeToString(b), Name: baseName(u.Name), ContentType: u.ContentType, At: now}
	f, err := os.OpenFile(filepath.Join(dir, h.Token), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return Held{}, err
	}
	h.Size, err = io.Copy(f, io.LimitReader(u.Body, min(MaxSize, PendingQuota-bytes)+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && (h.Size > MaxSize || bytes+h.Size > PendingQuota) {
		err = apperr.Field("files", "暂存的待提交文件超过 "+strconv.Itoa(PendingQuota>>20)+" MB，请重新选择文件")
	}
	if err == nil {
		var meta []byte
		if meta, err = json.Marshal(h); err == nil {
			err = os.WriteFile(filepath.Join(dir, h.Token+".json"), meta, 0o640)
		}
	}
	if err != nil {
		os.Remove(filepath.Join(dir, h.Token))
		return Held{}, err
	}
	return h, nil
}

// pendingUse is how many files and bytes user has held.
func (s *Store) pendingUse(user int64) (int, int64, error) {
	es, err := os.ReadDir(s.pendingDir(user))
	if errors.Is(err, os.ErrNotExist) {
		return 0, 0, nil
	}
	n, size := 0, int64(0)
	for _, e := range es {
		if filepath.Ext(e.Name()) == ".json" {
			continue
		}
		if fi, err := e.Info(); err == nil {
			n, size = n+1, size+fi.Size()
		}
	}
	return n, size, err
}

// Kept returns the upload user holds under token, open for reading, or
// ok false when there is none (expired, released, another user's).
func (s *Store) Kept(user int64, token string) (h Held, f *os.File, ok bool, err error) {
	if !validToken(token) {
		return h, nil, false, nil
	}
	meta, err := os.ReadFile(filepath.Join(s.pendingDir(user), token+".json"))
	if errors.Is(err, os.ErrNotExist) {
		return h, nil, false, nil
	}
	if err != nil {
		return h, nil, false, err
	}
	if err := json.Unmarshal(meta, &h); err != nil {
		return h, nil, false, err
	}
	if time.Since(h.At) > PendingTTL { // gone for the user, whether or not the job has run
		return h, nil, false, nil
	}
	f, err = os.Open(filepath.Join(s.pendingDir(user), token))
	if errors.Is(err, os.ErrNotExist) {
		return h, nil, false, nil
	}
	return h, f, err == nil, err
}

// Release drops what user holds under token (once the form went through).
func (s *Store) Release(user int64, token string) {
	if !validToken(token) {
		return
	}
	os.Remove(filepath.Join(s.pendingDir(user), token))
	os.Remove(filepath.Join(s.pendingDir(user), token+".json"))
}

// ExpirePending drops every held upload older than PendingTTL, and reports
// how many (a scheduled job).
func (s *Store) ExpirePending(now time.Time) (int, error) {
	users, err := os.ReadDir(filepath.Join(s.dir, "pending"))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, u := range users {
		dir := filepath.Join(s.dir, "pending", u.Name())
		es, err := os.ReadDir(dir)
		if errors.Is(err, os.ErrNotExist) {
			continue // emptied and removed by another server on the same folder
		}
		if err != nil {
			return n, err
		}
		for _, e := range es {
			fi, err := e.Info()
			if err != nil || now.Sub(fi.ModTime()) < PendingTTL {
				continue
			}
			if os.Remove(filepath.Join(dir, e.Name())) == nil && filepath.Ext(e.Name()) != ".json" {
				n++
			}
		}
		os.Remove(dir) // only when emptied
	}
	return n, nil
}
