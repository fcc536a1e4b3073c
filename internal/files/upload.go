package files

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"anwei/internal/apperr"
)

// Upload is one file a user sent.
type Upload struct {
	Name, ContentType string
	Body              io.Reader
}

// Stored is an upload once kept: what the database records of it.
type Stored struct {
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	ContentType string `json:"content_type"`
}

// PutAll stores up to limit uploads (skipping empty ones) and returns what
// to record. The name loses any client path (C:\照片\现场.jpg → 现场.jpg).
// A nil store with uploads is an error, so a missing attachment directory
// is never silently ignored.
func (s *Store) PutAll(ups []Upload, limit int) ([]Stored, error) {
	var out []Stored
	for _, u := range ups {
		if u.Body == nil {
			continue
		}
		if len(out) == limit {
			return nil, apperr.Field("files", fmt.Sprintf("一次最多上传 %d 个附件", limit))
		}
		if s == nil {
			return nil, apperr.New(apperr.Internal, "未配置附件目录")
		}
		sum, n, err := s.Put(u.Body)
		if err != nil {
			return nil, apperr.Field("files", "附件 "+u.Name+": "+err.Error())
		}
		name := filepath.Base(strings.ReplaceAll(u.Name, "\\", "/"))
		if name == "." || name == "/" || name == "" {
			name = "附件"
		}
		ct := u.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		out = append(out, Stored{Name: name, Size: n, SHA256: sum, ContentType: ct})
	}
	return out, nil
}
