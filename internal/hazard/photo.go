package hazard

import (
	"context"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/files"
	"anwei/internal/org"
	"anwei/internal/store"
)

// Photo stages: the hazard as found, and the evidence of its rectification.
const (
	StageReport    = "report"
	StageRectified = "rectified"
)

// Photo is a photo or report attached to a hazard.
type Photo struct {
	ID          int64     `json:"id"`
	HazardID    int64     `json:"hazard_id"`
	Stage       string    `json:"stage"`
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	ContentType string    `json:"content_type"`
	CreatedAt   time.Time `json:"created_at"`
}

// IsImage reports whether the page shows the file as a picture: only a
// raster type (a row stored before types were sniffed may claim
// image/svg+xml, which is linked, never embedded).
func (p Photo) IsImage() bool { return files.IsRaster(p.ContentType) }

func addPhotos(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, id int64, stage string, ps []files.Stored) error {
	for _, p := range ps {
		if _, err := tx.Exec(ctx, `INSERT INTO hazard_photos (hazard_id, stage, name, size, sha256, content_type, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, stage, p.Name, p.Size, p.SHA256, p.ContentType, now, a.UserID); err != nil {
			return err
		}
	}
	return nil
}

const photoCols = "p.id, p.hazard_id, p.stage, p.name, p.size, p.sha256, p.content_type, p.created_at"

func scanPhoto(r interface{ Scan(...any) error }) (Photo, error) {
	var p Photo
	err := r.Scan(&p.ID, &p.HazardID, &p.Stage, &p.Name, &p.Size, &p.SHA256, &p.ContentType, &p.CreatedAt)
	return p, err
}

// ListPhotos returns the photos of a hazard the actor may see.
func (s *Service) ListPhotos(ctx context.Context, a *org.Actor, id int64) ([]Photo, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, "SELECT "+photoCols+" FROM hazard_photos p WHERE p.hazard_id = ? ORDER BY p.id", id)
	return store.Collect(rows, err, scanPhoto)
}

// GetPhoto returns one photo of a hazard the actor may see.
func (s *Service) GetPhoto(ctx context.Context, a *org.Actor, photoID int64) (Photo, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return Photo{}, err
	}
	w, args := scopeWhere(a)
	p, err := scanPhoto(s.db.QueryRow(ctx, "SELECT "+photoCols+" FROM hazard_photos p JOIN hazards h ON h.id = p.hazard_id WHERE p.id = ? AND "+w,
		append([]any{photoID}, args...)...))
	if store.NoRows(err) {
		return p, apperr.New(apperr.NotFound, "照片不存在或不在您的管辖范围内")
	}
	return p, err
}
