package files

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"anwei/internal/apperr"
)

// Upload is one file a user sent. ContentType is what the client claimed;
// it is never recorded or trusted (see Sniff).
type Upload struct {
	Name, ContentType string
	Body              io.Reader
}

// Stored is an upload once kept: what the database records of it.
type Stored struct {
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	ContentType string `json:"content_type"` // sniffed from the bytes
}

// PutAll stores up to limit uploads (skipping empty ones) of any kind and
// returns what to record, each with the type its bytes show. The name loses
// any client path (C:\照片\现场.jpg → 现场.jpg). A nil store with uploads is
// an error, so a missing attachment directory is never silently ignored.
func (s *Store) PutAll(ups []Upload, limit int) ([]Stored, error) {
	return s.putAll(ups, limit, nil, "")
}

// PutKinds is PutAll for the types accept takes by their bytes: an upload
// of any other type is refused by name ("文件 a.html 不是<what> (识别为
// text/html)") before anything is stored.
func (s *Store) PutKinds(ups []Upload, limit int, accept func(ct string) bool, what string) ([]Stored, error) {
	return s.putAll(ups, limit, accept, what)
}

// PutPhotos is PutAll for photos: each upload must be a JPEG, PNG or WebP
// picture by its bytes, whatever its name or claimed type say, or nothing
// is stored and the error names the first file that is not.
func (s *Store) PutPhotos(ups []Upload, limit int) ([]Stored, error) {
	return s.putAll(ups, limit, IsPhoto, "")
}

// putAll sniffs every upload (refusing those accept does not take) before
// it stores any.
func (s *Store) putAll(ups []Upload, limit int, accept func(string) bool, what string) ([]Stored, error) {
	var out []Stored
	var bodies []io.Reader
	for _, u := range ups {
		if u.Body == nil {
			continue
		}
		if len(out) == limit {
			return nil, apperr.Field("files", fmt.Sprintf("一次最多上传 %d 个附件", limit))
		}
		name := baseName(u.Name)
		head := make([]byte, sniffLen)
		n, err := io.ReadFull(u.Body, head)
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return nil, apperr.Field("files", "附件 "+name+": "+err.Error())
		}
		ct := Sniff(head[:n])
		if accept != nil && !accept(ct) {
			if what != "" {
				return nil, apperr.Field("files", "文件 "+name+" 不是"+what+" (识别为 "+mediaType(ct)+")")
			}
			return nil, apperr.Field("files", "照片 "+name+" 不是 JPEG/PNG/WebP 图片")
		}
		out = append(out, Stored{Name: name, ContentType: ct})
		bodies = append(bodies, io.MultiReader(bytes.NewReader(head[:n]), u.Body))
	}
	if len(out) > 0 && s == nil {
		return nil, apperr.New(apperr.Internal, "未配置附件目录")
	}
	for i := range out {
		sum, n, err := s.Put(bodies[i])
		if err != nil {
			return nil, apperr.Field("files", "附件 "+out[i].Name+": "+err.Error())
		}
		out[i].SHA256, out[i].Size = sum, n
	}
	return out, nil
}

// baseName is the file name without any client path.
func baseName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		return "附件"
	}
	return name
}
