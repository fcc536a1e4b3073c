package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"

	"anwei/internal/apperr"
	"anwei/internal/docs"
	"anwei/internal/enterprise"
)

// maxSheetUpload is the largest sheet an import takes.
const maxSheetUpload = 64 << 20

// spool copies an uploaded sheet to a temporary file, so it is never held
// whole in memory; remove deletes it.
func spool(name string, r io.Reader) (f docs.File, remove func(), err error) {
	tmp, err := os.CreateTemp("", "anwei-import-*")
	if err != nil {
		return docs.File{}, nil, err
	}
	remove = func() { tmp.Close(); os.Remove(tmp.Name()) }
	n, err := io.Copy(tmp, io.LimitReader(r, maxSheetUpload+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || n > maxSheetUpload:
		remove()
		return docs.File{}, nil, apperr.Field("file", fmt.Sprintf("文件超过 %d MB，请分成多个文件导入", maxSheetUpload>>20))
	case err != nil:
		remove()
		return docs.File{}, nil, err
	}
	if err := tmp.Close(); err != nil {
		remove()
		return docs.File{}, nil, err
	}
	return docs.File{Name: name, Path: tmp.Name()}, remove, nil
}

// formSheet reads a multipart form as a stream: the part named file is
// spooled (see spool), the other fields (up to 1 KB each) are returned.
func formSheet(w http.ResponseWriter, r *http.Request, missing string) (docs.File, map[string]string, func(), error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxSheetUpload+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return docs.File{}, nil, nil, apperr.Field("file", missing)
	}
	fields := map[string]string{}
	var f docs.File
	remove := func() {}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			remove()
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return docs.File{}, nil, nil, apperr.Field("file", fmt.Sprintf("文件超过 %d MB，请分成多个文件导入", maxSheetUpload>>20))
			}
			return docs.File{}, nil, nil, apperr.Field("file", missing)
		}
		if p.FormName() == "file" && p.FileName() != "" && f.Path == "" {
			if f, remove, err = spool(p.FileName(), p); err != nil {
				return docs.File{}, nil, nil, err
			}
			continue
		}
		v, _ := io.ReadAll(io.LimitReader(p, 1<<10))
		fields[p.FormName()] = string(v)
	}
	if f.Path == "" {
		return docs.File{}, nil, nil, apperr.Field("file", missing)
	}
	return f, fields, remove, nil
}

// sendRejects answers with the rejects file as a CSV download.
func sendRejects(w http.ResponseWriter, rejects *os.File, name string) error {
	if _, err := rejects.Seek(0, io.SeekStart); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(path.Base(name)+".rejects.csv"))
	_, err := io.Copy(w, rejects)
	return err
}

// rejectsFile is a temporary file for an import's rejected rows; remove
// deletes it.
func rejectsFile() (*os.File, func(), error) {
	f, err := os.CreateTemp("", "anwei-rejects-*.csv")
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close(); os.Remove(f.Name()) }, nil
}

// streamed is what an API handler returns when it has written the response
// itself (a download).
type streamed struct{}

// importReply is the answer of POST /enterprises/import: the counts, the
// first rejected rows, and how to get all of them when some are left out.
type importReply struct {
	enterprise.ImportResult
	RejectsNote string `json:"rejects_note,omitempty"`
}

// rejectsNote says how many rejected rows a reply leaves out and how to get
// them all; "" when none are left out.
func rejectsNote(total, omitted int) string {
	if omitted == 0 {
		return ""
	}
	return fmt.Sprintf("共退回 %d 行，只列出前 %d 行，另有 %d 行未列出。要得到全部被退回的行 (CSV)，以 rejects=csv 再次提交同一文件 (重复导入同一文件不会改变任何数据)。",
		total, total-omitted, omitted)
}
