package enforce

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"anwei/internal/apperr"
	"anwei/internal/org"
	"anwei/internal/store"
)

// checkinKey is the setting holding the key of the enterprises' entry
// codes (入企码): made once per deployment, never shown.
const checkinKey = "enforce.checkin_key"

// entryKey is the entry-code key once read: it never changes.
type entryKey struct {
	mu  sync.Mutex
	key []byte
}

// key returns the deployment's entry-code key, making it on first use.
func (s *Service) key(ctx context.Context) ([]byte, error) {
	s.entry.mu.Lock()
	defer s.entry.mu.Unlock()
	if s.entry.key != nil {
		return s.entry.key, nil
	}
	k, err := s.readKey(ctx)
	if err == nil {
		s.entry.key = k
	}
	return k, err
}

func (s *Service) readKey(ctx context.Context) ([]byte, error) {
	raw, ok, err := org.ReadSetting(ctx, s.db, checkinKey)
	if err != nil {
		return nil, err
	}
	if !ok {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		if err := s.db.Tx(ctx, func(tx *store.Tx) error { return org.InitSetting(ctx, tx, checkinKey, hex.EncodeToString(b)) }); err != nil {
			return nil, err
		}
		if raw, _, err = org.ReadSetting(ctx, s.db, checkinKey); err != nil {
			return nil, err
		}
	}
	return hex.DecodeString(raw)
}

func tokenOf(key []byte, enterpriseID int64) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "checkin:%d", enterpriseID)
	return strconv.FormatInt(enterpriseID, 10) + "-" + hex.EncodeToString(m.Sum(nil))[:20]
}

// CheckinToken is an enterprise's entry code (入企码, 国办发〔2024〕54号
// 扫码入企): the enterprise prints it at its gate, an officer's phone opens
// /enforce/checkin/{token}. It names the enterprise and cannot be made up
// for another (an HMAC under the deployment's key). The enterprise itself
// and the officials who see it may read it.
func (s *Service) CheckinToken(ctx context.Context, a *org.Actor, enterpriseID int64) (string, error) {
	if a.Unit.Kind == org.KindEnterprise {
		if a.Unit.ID != enterpriseID {
			return "", apperr.New(apperr.NotFound, "企业不存在")
		}
	} else if _, err := s.ents.Ref(ctx, a, enterpriseID); err != nil {
		return "", err
	}
	key, err := s.key(ctx)
	if err != nil {
		return "", err
	}
	return tokenOf(key, enterpriseID), nil
}

// tokenEnterprise is the enterprise an entry code names.
func (s *Service) tokenEnterprise(ctx context.Context, token string) (int64, error) {
	idPart, _, ok := strings.Cut(token, "-")
	id, err := strconv.ParseInt(idPart, 10, 64)
	if !ok || err != nil {
		return 0, apperr.New(apperr.NotFound, "入企码无效")
	}
	key, err := s.key(ctx)
	if err != nil {
		return 0, err
	}
	if !hmac.Equal([]byte(tokenOf(key, id)), []byte(token)) {
		return 0, apperr.New(apperr.NotFound, "入企码无效 (不是本平台生成的企业入企码)")
	}
	return id, nil
}

// CheckinEnterprise is the name of the enterprise an entry code names, for
// the page a scan opens (an officer's).
func (s *Service) CheckinEnterprise(ctx context.Context, a *org.Actor, token string) (string, error) {
	if err := a.Require(org.PermEnforceInspect); err != nil {
		return "", err
	}
	id, err := s.tokenEnterprise(ctx, token)
	if err != nil {
		return "", err
	}
	r, err := s.ents.Ref(ctx, a, id) // an enterprise outside the officer's jurisdiction is not named
	return r.Name, err
}
