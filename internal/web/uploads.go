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
	"anwei/internal/calendar"
	"anwei/internal/docs"
	"anwei/internal/files"
)

// Body limits, set per route before a byte of the body is read (see
// Server.form): a request over its limit is refused before more of it
// reaches memory or the temporary directory. formSlack leaves room for
// the form's other fields and the multipart framing.
const (
	formSlack = 1 << 20
	// publicBody: what anyone may send without signing in (the login form).
	publicBody = 64 << 10
	// formBody: a signed-in user's form without files.
	formBody = 1 << 20
	// jsonBody: an API request's JSON body (decodeJSON).
	jsonBody = 1 << 20
	// maxFiles is how many files one form may carry (hazard photos,
	// rectification material, progress attachments).
	maxFiles = 10
	// filesBody: the forms with up to maxFiles files of files.MaxSize each.
	filesBody = maxFiles*files.MaxSize + formSlack
	// planTextBody: a plan's full text (.txt/.html/.docx) or pasted text.
	planTextBody = 32<<20 + formSlack
	// maxSheetUpload is the largest sheet an import takes (enterprise
	// register, 任务分工表), as a form or as an API body.
	maxSheetUpload = 64 << 20
	// sheetBody: the form that carries such a sheet.
	sheetBody = maxSheetUpload + formSlack
	// progressSheetBody: a filled-in 任务分工表 (one row per task: far
	// smaller than a register).
	progressSheetBody = 16<<20 + formSlack
	// caseSheetUpload: a department's year of past cases (at most
	// enforce.CaseImportMax rows), as an API body; caseSheetBody the form
	// that carries it.
	caseSheetUpload = 16 << 20
	caseSheetBody   = caseSheetUpload + formSlack
	// noticeBody: a year's holiday notice (a few KB of CSV; at most
	// calendar.MaxNoticeBytes) and the form's framing.
	noticeBody = calendar.MaxNoticeBytes + 8<<10
)

// formMemory is how much of a multipart form is held in memory; larger
// files wait in the temporary directory until the request ends (identify
// removes them).
const formMemory = 8 << 20

// tooLarge is the error for a body over its route's limit.
func tooLarge(field string, limit int64) error {
	return apperr.Field(field, "上传内容超过 "+limitText(limit)+"，请减少、压缩或分成多个文件后重试")
}

// jsonTooLarge is the error of a JSON request body over its limit (no file
// to compress or split).
func jsonTooLarge(limit int64) error {
	return apperr.New(apperr.Invalid, "请求体超过 "+limitText(limit))
}

// limitText writes a limit in MB, or in KB below one MB.
func limitText(limit int64) string {
	if limit < 1<<20 {
		return fmt.Sprintf("%d KB", limit>>10)
	}
	return fmt.Sprintf("%d MB", limit>>20)
}

// dropForm removes the temporary files of a multipart form parsed on cp,
// a copy of the request r that net/http passed in (made to carry a new
// context): net/http removes only those of r's own form, never a copy's.
func dropForm(r, cp *http.Request) {
	if f := cp.MultipartForm; f != nil && f != r.MultipartForm {
		_ = f.RemoveAll()
	}
}

// spool copies an uploaded sheet to a temporary file, so it is never held
// whole in memory (and a retried import can read it again); remove deletes
// it.
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

// formSheet spools the form's part named file (the form was parsed, within
// the route's limit, by Server.form); missing is the error when there is
// none.
func formSheet(r *http.Request, missing string) (docs.File, func(), error) {
	f, fh, err := r.FormFile("file")
	if err != nil {
		return docs.File{}, nil, apperr.Field("file", missing)
	}
	defer f.Close()
	return spool(fh.Filename, f)
}

// uploadsOf reads the parts of a form named field (a form without them may
// be multipart or not; more than maxFiles are refused here, before the
// service runs — the services check their own count again), parsed within
// the route's limit by Server.form; the pages take them with those held
// from an earlier try (heldUploads).
func uploadsOf(r *http.Request, field string) ([]files.Upload, func(), error) {
	var out []files.Upload
	var closers []io.Closer
	if r.MultipartForm != nil {
		if n := len(r.MultipartForm.File[field]); n > maxFiles {
			return nil, func() {}, apperr.Field(field, fmt.Sprintf("一次最多上传 %d 个附件，本次 %d 个", maxFiles, n))
		}
		for _, fh := range r.MultipartForm.File[field] {
			if fh.Filename == "" || fh.Size == 0 {
				continue
			}
			f, err := fh.Open()
			if err != nil {
				return nil, func() {}, err
			}
			closers = append(closers, f)
			out = append(out, files.Upload{Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Body: f})
		}
	}
	return out, func() {
		for _, c := range closers {
			c.Close()
		}
	}, nil
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
