package enforce

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"mime"
	"os"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/files"
	"anwei/internal/org"
	"anwei/internal/store"
)

// Media is a file of an inspection's 全过程记录: a photo, a sound or a
// short video, by its sniffed type.
type Media struct {
	ID          int64     `json:"id"`
	ItemKey     string    `json:"item_key,omitempty"`
	FindingID   int64     `json:"finding_id,omitempty"`
	Kind        string    `json:"kind"` // photo | audio | video | file
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	ContentType string    `json:"content_type"`
	CreatedAt   time.Time `json:"created_at"`
}

// playable are the sniffed types a page plays inline (audio, video) and the
// type it is served as; anything else downloads.
var playable = map[string]struct{ kind, serve string }{
	"audio/mpeg":      {"audio", "audio/mpeg"},
	"audio/wave":      {"audio", "audio/wav"},
	"application/ogg": {"audio", "audio/ogg"},
	"video/mp4":       {"video", "video/mp4"},
	"video/webm":      {"video", "video/webm"},
}

// MediaKind is the kind a sniffed type is recorded as.
func MediaKind(ct string) string {
	mt, _, _ := mime.ParseMediaType(ct)
	if files.IsPhoto(ct) {
		return "photo"
	}
	if p, ok := playable[mt]; ok {
		return p.kind
	}
	return "file"
}

// ServeType is the type a media file is served as inline, "" when it is
// only downloaded (never what the uploader claimed).
func (m Media) ServeType() string {
	mt, _, _ := mime.ParseMediaType(m.ContentType)
	if files.IsPhoto(m.ContentType) {
		return mt
	}
	return playable[mt].serve
}

// MediaInput is files attached to an inspection under way: to a checklist
// item, a finding, or the inspection as a whole.
type MediaInput struct {
	ItemKey   string
	FindingID int64
	Files     []files.Upload
}

// isMedia: a photo, a sound or a video by its bytes.
func isMedia(ct string) bool { return MediaKind(ct) != "file" }

// AddMedia stores the files (at most MediaPerUpload at a time, each within
// files.MaxSize, the uploader's media within MediaQuota) and records them
// on the inspection. Only an officer of the team, on an inspection under
// way, stores anything, and only photos, sounds and videos by their bytes
// (anything else is refused by name before a byte is kept).
func (s *Service) AddMedia(ctx context.Context, a *org.Actor, id int64, in MediaInput) ([]Media, error) {
	if err := s.mayWork(ctx, a, id, StateStarted); err != nil {
		return nil, err
	}
	stored, err := s.storeMedia(ctx, a, in.Files)
	if err != nil {
		return nil, err
	}
	if len(stored) == 0 {
		return nil, apperr.Field("files", "请选择要上传的照片、录音或视频")
	}
	var out []Media
	err = s.onSite(ctx, a, id, []string{StateStarted}, func(tx *store.Tx, i Inspection, now time.Time) error {
		out = nil // a group run again runs this again
		if in.FindingID != 0 {
			var n int
			if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM enforce_findings WHERE id = ? AND inspection_id = ?", in.FindingID, id).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return apperr.Field("finding_id", "该问题不属于本次检查")
			}
		}
		var err error
		out, err = recordMedia(ctx, tx, a, now, id, in.ItemKey, in.FindingID, stored)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.media", ObjectKind: "enforce_inspection", ObjectID: fmt.Sprint(id),
			Region: i.Region, After: map[string]any{"files": len(out), "item": in.ItemKey, "finding": in.FindingID}})
	})
	return out, err
}

// storeMedia keeps photos, sounds and videos within the uploader's quota
// (what the user's recorded media and these add up to).
func (s *Service) storeMedia(ctx context.Context, a *org.Actor, ups []files.Upload) ([]files.Stored, error) {
	var used int64
	if err := s.db.QueryRow(ctx, "SELECT COALESCE(SUM(size), 0) FROM enforce_media WHERE created_by = ?", a.UserID).Scan(&used); err != nil {
		return nil, err
	}
	if used >= MediaQuota {
		return nil, apperr.Field("files", fmt.Sprintf("您上传的检查音视频已达 %d MB 的限额，请联系管理员", MediaQuota>>20))
	}
	stored, err := s.files.PutKinds(ups, MediaPerUpload, isMedia, "照片、录音或视频")
	if err != nil {
		return nil, err
	}
	var total int64
	for _, f := range stored {
		total += f.Size
	}
	if used+total > MediaQuota {
		return nil, apperr.Field("files", fmt.Sprintf("超出每人 %d MB 的检查音视频限额 (已用 %d MB)", MediaQuota>>20, used>>20))
	}
	return stored, nil
}

// recordMedia records stored files on an inspection in tx.
func recordMedia(ctx context.Context, tx *store.Tx, a *org.Actor, now time.Time, id int64, item string, finding int64, stored []files.Stored) ([]Media, error) {
	var fid any
	if finding != 0 {
		fid = finding
	}
	var out []Media
	for _, f := range stored {
		m := Media{ItemKey: item, FindingID: finding, Kind: MediaKind(f.ContentType), Name: f.Name, Size: f.Size, SHA256: f.SHA256,
			ContentType: f.ContentType, CreatedAt: now}
		var err error
		m.ID, err = tx.InsertID(ctx, `INSERT INTO enforce_media (inspection_id, item_key, finding_id, kind, name, size, sha256, content_type, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, item, fid, m.Kind, m.Name, m.Size, m.SHA256, m.ContentType, a.UserID, now)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func mediaOf(ctx context.Context, q querier, id int64) ([]Media, error) {
	rows, err := q.Query(ctx, `SELECT id, item_key, COALESCE(finding_id, 0), kind, name, size, sha256, content_type, created_at
		FROM enforce_media WHERE inspection_id = ? ORDER BY id`, id)
	return store.Collect(rows, err, func(r store.Scanner) (Media, error) {
		var m Media
		return m, r.Scan(&m.ID, &m.ItemKey, &m.FindingID, &m.Kind, &m.Name, &m.Size, &m.SHA256, &m.ContentType, &m.CreatedAt)
	})
}

// OpenMedia returns a media file of an inspection the actor may see, open
// for reading.
func (s *Service) OpenMedia(ctx context.Context, a *org.Actor, id, mediaID int64) (Media, *os.File, error) {
	w, args, err := seeWhere(a)
	if err != nil {
		return Media{}, nil, err
	}
	var m Media
	err = s.db.QueryRow(ctx, `SELECT m.id, m.item_key, COALESCE(m.finding_id, 0), m.kind, m.name, m.size, m.sha256, m.content_type, m.created_at
		FROM enforce_media m JOIN enforce_inspections i ON i.id = m.inspection_id WHERE m.id = ? AND m.inspection_id = ? AND `+w,
		append([]any{mediaID, id}, args...)...).Scan(&m.ID, &m.ItemKey, &m.FindingID, &m.Kind, &m.Name, &m.Size, &m.SHA256, &m.ContentType, &m.CreatedAt)
	if store.NoRows(err) {
		return m, nil, apperr.New(apperr.NotFound, "文件不存在或不在您的管辖范围内")
	}
	if err != nil {
		return m, nil, err
	}
	f, err := s.files.Open(m.SHA256)
	return m, f, err
}

// OpenSignature returns a drawn signature of an inspection the actor may
// see (a PNG).
func (s *Service) OpenSignature(ctx context.Context, a *org.Actor, id int64, role string) ([]byte, error) {
	d, err := s.GetInspection(ctx, a, id)
	if err != nil {
		return nil, err
	}
	for _, sg := range d.Signatures {
		if sg.Role == role && sg.SHA256 != "" {
			return s.readFile(sg.SHA256)
		}
	}
	return nil, apperr.New(apperr.NotFound, "没有该签名")
}

// checkPNG accepts a drawn signature: a PNG by its bytes, within
// SignatureMax, of a sensible size, and not blank.
func checkPNG(b []byte) error {
	if len(b) == 0 {
		return apperr.Field("signature", "请在签名框内手写签名")
	}
	if len(b) > SignatureMax {
		return apperr.Field("signature", "签名图像过大")
	}
	if files.Sniff(b) != "image/png" {
		return apperr.Field("signature", "签名须为手写签名图像 (PNG)")
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return apperr.Field("signature", "签名图像无法识别")
	}
	r := img.Bounds()
	if r.Dx() < 50 || r.Dy() < 20 || r.Dx() > 2000 || r.Dy() > 1000 {
		return apperr.Field("signature", "签名图像尺寸不合适")
	}
	inked := 0
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			if _, _, _, al := img.At(x, y).RGBA(); al > 0x8000 {
				if cr, cg, cb, _ := img.At(x, y).RGBA(); cr < 0x8000 && cg < 0x8000 && cb < 0x8000 {
					inked++
				}
			}
		}
	}
	if inked < 10 {
		return apperr.Field("signature", "签名框内没有笔迹，请手写签名")
	}
	return nil
}
