package web

import (
	"errors"
	"fmt"
	"net/http"

	"anwei/internal/apperr"
	"anwei/internal/files"
)

// Body limits of the routes that take files, checked while the body is
// read: a request over its limit is refused before more of it reaches the
// temporary directory. formSlack leaves room for the form's other fields
// and the multipart framing.
const (
	formSlack = 1 << 20
	// maxFiles is how many files one form may carry (hazard photos,
	// rectification material, progress attachments).
	maxFiles = 10
	// filesBody: the forms with up to maxFiles files of files.MaxSize each.
	filesBody = maxFiles*files.MaxSize + formSlack
	// planTextBody: a plan's full text (.txt/.html/.docx) or pasted text.
	planTextBody = 32<<20 + formSlack
	// progressSheetBody: a filled-in 任务分工表.
	progressSheetBody = 16<<20 + formSlack
	// enterpriseSheetBody: an enterprise register to import.
	enterpriseSheetBody = 64<<20 + formSlack
)

// formMemory is how much of a multipart form is held in memory; larger
// files wait in the temporary directory until the request ends (identify
// removes them).
const formMemory = 8 << 20

// parseMultipart limits r's body to limit bytes and parses it as a form:
// multipart, or a plain form when it is not multipart. Its error is a
// field error on field, in Chinese.
func parseMultipart(w http.ResponseWriter, r *http.Request, limit int64, field string) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	err := r.ParseMultipartForm(formMemory)
	var tooBig *http.MaxBytesError
	switch {
	case err == nil || errors.Is(err, http.ErrNotMultipart):
		return nil
	case errors.As(err, &tooBig):
		return apperr.Field(field, fmt.Sprintf("上传内容超过 %d MB，请减少或压缩文件后重试", limit>>20))
	default:
		return apperr.Field(field, "上传失败: "+err.Error())
	}
}

// dropForm removes the temporary files of a multipart form parsed on cp,
// a copy of the request r that net/http passed in (made to carry a new
// context): net/http removes only those of r's own form, never a copy's.
func dropForm(r, cp *http.Request) {
	if f := cp.MultipartForm; f != nil && f != r.MultipartForm {
		_ = f.RemoveAll()
	}
}
