package audit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"

	"anwei/internal/store"
)

// Head returns the chain head: the latest sequence number and hash.
func Head(ctx context.Context, db *store.DB) (seq int64, hash string, err error) {
	err = db.QueryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&seq, &hash)
	return
}

// KeyedFrom returns the first keyed event of the chain as its head records
// it: 0 when the chain has no key yet.
func KeyedFrom(ctx context.Context, db *store.DB) (int64, error) {
	var from int64
	err := db.QueryRow(ctx, "SELECT keyed_from FROM audit_head WHERE id = 1").Scan(&from)
	return from, err
}

// Broken describes the first place the chain does not hold.
type Broken struct {
	Seq    int64
	Reason string
}

func (b *Broken) Error() string {
	return fmt.Sprintf("审计链在事件 #%d 处断裂: %s", b.Seq, b.Reason)
}

// KeyMissing says that the chain is keyed from event KeyedFrom on and the
// database was opened without the key: the unkeyed events before it, and
// the order and links of the whole chain, were checked; the keyed events'
// contents and the head's signature could not be.
type KeyMissing struct{ KeyedFrom int64 }

func (k *KeyMissing) Error() string {
	return fmt.Sprintf("未提供审计密钥，无法核验带密钥部分 (事件 #%d 起的内容和链头签名)", k.KeyedFrom)
}

// HeadGone says that no event of the chain has the hash of a head saved
// earlier: that event, or one before it, was altered or deleted.
type HeadGone struct{ Hash string }

func (g *HeadGone) Error() string {
	return fmt.Sprintf("保存的链头 %s 已不在审计链上: 该事件或它之前的事件被改动或删除", g.Hash)
}

// ErrNotKeyed: the database was opened with a key and the chain's head
// records none, though the chain has events. Either no process has
// started with the key yet, or the keyed events were rewritten as unkeyed
// ones and the head stripped of its key.
var ErrNotKeyed = errors.New("已提供审计密钥，但审计链头没有启用密钥的记录: 若尚未用此密钥启动过服务，请先启动一次；否则带密钥的事件已被改写为无密钥的形式")

// Verify walks the whole chain. It returns the number of events checked and,
// when the chain does not hold, a *Broken naming the first bad event. With
// no key it checks what it can and returns *KeyMissing if the chain has a
// keyed part; with a key and a chain that records none, ErrNotKeyed.
func Verify(ctx context.Context, db *store.DB) (int64, error) {
	return walk(ctx, db, "")
}

// VerifyTo proves that nothing up to a head saved earlier (the hash that
// Head returned then) has changed: the chain holds from its first event to
// the event with that hash, which must still be there (*HeadGone when it
// is not). It returns that event's sequence number. Events before the key
// need no key: a head saved while the chain had none is a full proof.
func VerifyTo(ctx context.Context, db *store.DB, saved string) (int64, error) {
	if saved == "" {
		return 0, errors.New("缺少保存的链头哈希")
	}
	return walk(ctx, db, saved)
}

// walk checks the chain in order, up to the event whose hash is upTo when
// that is set, else to its end and the head.
func walk(ctx context.Context, db *store.DB, upTo string) (int64, error) {
	key := db.AuditKey
	from, err := KeyedFrom(ctx, db)
	if err != nil {
		return 0, err
	}
	rows, err := db.Query(ctx, "SELECT "+eventCols+" FROM audit_events ORDER BY seq")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var mac hash.Hash
	if key != nil {
		mac = hmac.New(sha256.New, key)
	}
	var n, prevSeq int64
	prevHash := ""
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return n, err
		}
		keyed := from > 0 && e.Seq >= from
		switch {
		case e.Seq != prevSeq+1:
			return n, &Broken{Seq: prevSeq + 1, Reason: fmt.Sprintf("缺少事件 (下一条为 #%d)，事件被删除", e.Seq)}
		case e.PrevHash != prevHash:
			return n, &Broken{Seq: e.Seq, Reason: "前一事件哈希不符，事件被删除或调换顺序"}
		case !keyed && e.ComputeHash() != e.Hash:
			return n, &Broken{Seq: e.Seq, Reason: "内容与哈希不符，事件被改动"}
		case keyed && mac != nil && e.sum(mac) != e.Hash:
			return n, &Broken{Seq: e.Seq, Reason: "内容与密钥签名不符，事件被改动或其后的哈希被重算"}
		}
		prevSeq, prevHash = e.Seq, e.Hash
		n++
		if upTo != "" && e.Hash == upTo {
			if keyed && mac == nil {
				return n, &KeyMissing{KeyedFrom: from}
			}
			return n, nil
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	if upTo != "" {
		return n, &HeadGone{Hash: upTo}
	}
	var h head
	var headMAC string
	if err := db.QueryRow(ctx, "SELECT seq, hash, keyed_from, mac FROM audit_head WHERE id = 1").
		Scan(&h.seq, &h.hash, &h.keyedFrom, &headMAC); err != nil {
		return n, err
	}
	switch {
	case h.seq > prevSeq:
		return n, &Broken{Seq: prevSeq + 1, Reason: fmt.Sprintf("链头记录到 #%d，实有事件只到 #%d，最新事件被删除", h.seq, prevSeq)}
	case h.seq < prevSeq:
		return n, &Broken{Seq: h.seq + 1, Reason: fmt.Sprintf("链头只记录到 #%d，其后的事件不在链上，链头被改动", h.seq)}
	case h.hash != prevHash:
		return n, &Broken{Seq: prevSeq, Reason: "最新事件哈希与链头不符"}
	case h.keyedFrom != from:
		return n, &Broken{Seq: prevSeq, Reason: "链头记录的启用密钥位置在核验中改变，链头被改动"}
	case from == 0 && key != nil && h.seq > 0:
		return n, ErrNotKeyed
	case from == 0:
		return n, nil
	case from > h.seq+1:
		return n, &Broken{Seq: h.seq, Reason: fmt.Sprintf("链头记录的启用密钥位置 #%d 在链尾之后，链头被改动", from)}
	case key == nil:
		return n, &KeyMissing{KeyedFrom: from}
	case !hmac.Equal([]byte(headMAC), []byte(h.mac(key))):
		return n, &Broken{Seq: h.seq, Reason: "链头的密钥签名不符，链头被改动 (例如删除最新事件后退回了链头)"}
	}
	return n, nil
}
