package enforce

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/codes"
	"anwei/internal/files"
	"anwei/internal/org"
	"anwei/internal/store"
)

// MarkInput is one checklist item as marked on site.
type MarkInput struct {
	Item   string `json:"item"`
	Result string `json:"result"` // pass | fail | na; on a re-check pass (已整改) | fail (拒不改正)
	Note   string `json:"note"`
}

// Mark saves checklist marks as the officer goes (the page sends each as
// it is made; the API may send them all): an item of the inspection's
// checklist, a result, a note. Marking again replaces the mark.
func (s *Service) Mark(ctx context.Context, a *org.Actor, id int64, ms []MarkInput) error {
	if len(ms) == 0 {
		return apperr.Field("item", "没有要保存的检查项")
	}
	for n := range ms {
		ms[n].Note = strings.TrimSpace(ms[n].Note)
		if l := len([]rune(ms[n].Note)); l > Limits["mark_note"] {
			return apperr.Field("note", fmt.Sprintf("第 %d 项说明最多 %d 字 (现为 %d 字)", n+1, Limits["mark_note"], l))
		}
	}
	return s.onSite(ctx, a, id, []string{StateStarted}, func(tx *store.Tx, i Inspection, now time.Time) error {
		items, err := s.items(ctx, tx, i)
		if err != nil {
			return err
		}
		names := Results
		if i.OfInspection != 0 {
			names = RecheckResults
		}
		known := map[string]int{}
		for n, it := range items {
			known[it.Key] = n + 1
		}
		for _, m := range ms {
			if known[m.Item] == 0 {
				return apperr.Field("item", fmt.Sprintf("检查项 %q 不在本次检查表中", m.Item))
			}
			if codes.NameOf(names, m.Result) == m.Result {
				return apperr.Field("result", fmt.Sprintf("第 %d 项: 请选择%s", known[m.Item], choiceWords(names)))
			}
			if i.OfInspection != 0 && m.Result == "fail" && m.Note == "" {
				return apperr.Field("note", fmt.Sprintf("第 %d 项: 认定拒不改正须写明复查情况", known[m.Item]))
			}
		}
		var changed int64
		for _, m := range ms { // every mark checked before the first is written
			res, err := tx.Exec(ctx, `INSERT INTO enforce_marks (inspection_id, item_key, result, note, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (inspection_id, item_key) DO UPDATE SET result = excluded.result, note = excluded.note, updated_by = excluded.updated_by,
				updated_at = excluded.updated_at WHERE enforce_marks.result <> excluded.result OR enforce_marks.note <> excluded.note`,
				id, m.Item, m.Result, m.Note, a.UserID, now)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			changed += n
		}
		if changed == 0 {
			return nil // the same marks sent again (a reload's resend): nothing changed
		}
		unsigned, err := tx.Exec(ctx, "DELETE FROM enforce_signatures WHERE inspection_id = ?", id)
		if err != nil {
			return err
		}
		after := map[string]any{"marks": len(ms)}
		if len(ms) == 1 {
			after = map[string]any{"item": ms[0].Item, "result": ms[0].Result, "note": ms[0].Note}
		}
		if n, _ := unsigned.RowsAffected(); n > 0 {
			after["unsigned"] = n // the record changed after it was signed: signed again before closing
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.mark", ObjectKind: "enforce_inspection", ObjectID: fmt.Sprint(id),
			Region: i.Region, After: after})
	})
}

func choiceWords(cs []codes.Choice) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return strings.Join(out, "、")
}

// SignInput is a signature on the 现场检查记录: an officer's (role officer1
// or officer2, in the team's order: the name and 执法证号 come from the
// 名录库) or the party's (its name, or its refusal with the reason).
type SignInput struct {
	Role    string `json:"role"`
	Name    string `json:"name"`      // party
	PNG     []byte `json:"signature"` // the drawn signature
	Refused bool   `json:"refused"`   // party: refused to sign
	Reason  string `json:"reason"`
}

// Sign records a signature box of the record while the inspection is under
// way (signed again, it is replaced until the record closes).
func (s *Service) Sign(ctx context.Context, a *org.Actor, id int64, in SignInput) error {
	if err := a.Require(org.PermEnforceInspect); err != nil { // before a byte is stored
		return err
	}
	in.Name, in.Reason = strings.TrimSpace(in.Name), strings.TrimSpace(in.Reason)
	if codes.NameOf(SignRoles, in.Role) == in.Role {
		return apperr.Field("role", "请选择签名人")
	}
	var c apperr.Checks
	if in.Role == "party" {
		c.If(in.Name == "", "name", "请填写被检查单位现场负责人姓名")
		c.If(len([]rune(in.Name)) > Limits["name"], "name", fmt.Sprintf("姓名最多 %d 字", Limits["name"]))
		c.If(in.Refused && in.Reason == "", "reason", "拒绝签字的，执法人员须注明情况")
		c.If(len([]rune(in.Reason)) > Limits["reason"], "reason", fmt.Sprintf("情况说明最多 %d 字", Limits["reason"]))
	} else {
		in.Refused = false
	}
	if !in.Refused {
		c.Take(checkPNG(in.PNG))
	}
	if err := c.Err(); err != nil {
		return err
	}
	if err := s.mayWork(ctx, a, id, StateStarted); err != nil {
		return err
	}
	var sum string
	if !in.Refused {
		st, err := s.files.PutPhotos([]files.Upload{{Name: "signature-" + in.Role + ".png", Body: bytes.NewReader(in.PNG)}}, 1)
		if err != nil {
			return err
		}
		sum = st[0].SHA256
	}
	return s.onSite(ctx, a, id, []string{StateStarted}, func(tx *store.Tx, i Inspection, now time.Time) error {
		name, cert := in.Name, ""
		if in.Role != "party" {
			ids := officersOf(i.Officers)
			n := 0
			if in.Role == "officer2" {
				n = 1
			}
			if ids[n] != a.UserID { // each officer signs the record himself
				return apperr.Field("role", "执法人员须本人签名: 请由该执法人员登录后签名")
			}
			ms, err := team(ctx, tx, ids[n:n+1])
			if err != nil {
				return err
			}
			name, cert = ms[0].Name, ms[0].Cert
		}
		if _, err := tx.Exec(ctx, `INSERT INTO enforce_signatures (inspection_id, role, name, certificate, sha256, refused, reason, signed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (inspection_id, role) DO UPDATE SET name = excluded.name, certificate = excluded.certificate,
			sha256 = excluded.sha256, refused = excluded.refused, reason = excluded.reason, signed_at = excluded.signed_at`,
			id, in.Role, name, cert, sum, in.Refused, in.Reason, now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.sign", ObjectKind: "enforce_inspection", ObjectID: fmt.Sprint(id),
			Region: i.Region, After: map[string]any{"role": in.Role, "name": name, "refused": in.Refused, "reason": in.Reason, "sha256": sum}})
	})
}
