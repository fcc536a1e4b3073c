package web

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/docs"
	"anwei/internal/files"
)

// sendPDF writes a rendered document inline, named for saving.
func sendPDF(w http.ResponseWriter, name string, pdf []byte, err error) error {
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(name))
	// The pages' CSP (object-src 'none', style-src 'self') keeps Chrome's
	// PDF viewer from drawing a document shown inline; these PDFs are anwei's
	// own writs, never an upload, so only framing by other sites is refused.
	w.Header().Set("Content-Security-Policy", "frame-ancestors 'none'")
	_, err = w.Write(pdf)
	return err
}

// sendDOCX writes a writ as a .docx download (issue 15: an office edits it
// in WPS or Word before stamping), named for saving.
func sendDOCX(w http.ResponseWriter, name string, doc []byte, err error) error {
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", docs.DOCXType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	_, err = w.Write(doc)
	return err
}

// sendXLSX writes a sheet as an .xlsx download.
func sendXLSX(w http.ResponseWriter, name string, sh docs.Sheet) error {
	var buf bytes.Buffer
	if err := sh.XLSX(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	_, err := buf.WriteTo(w)
	return err
}

// fileCSP is the policy of every stored file: it loads nothing and runs
// sandboxed, so even a file a browser renders as a page runs no script
// with the site's cookies.
const fileCSP = "default-src 'none'; sandbox; frame-ancestors 'none'"

// sendFile writes a stored file (a hazard photo, an attachment) with the
// type its bytes show, whatever type the database recorded from the
// uploader: raster pictures (JPEG, PNG, WebP, GIF) show inline, everything
// else — SVG, HTML, PDF, documents — downloads.
func (s *Server) sendFile(w http.ResponseWriter, sum, name string) error {
	f, err := s.Files.Open(sum)
	if err != nil {
		return apperr.Wrap(err, "附件文件缺失")
	}
	defer f.Close()
	ct, err := files.SniffFile(f)
	if err != nil {
		return apperr.Wrap(err, "附件文件无法读取")
	}
	disp := "attachment"
	if files.IsRaster(ct) {
		disp = "inline"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", fileCSP)
	if st, err := f.Stat(); err == nil {
		h.Set("Content-Length", strconv.FormatInt(st.Size(), 10))
	}
	_, err = io.Copy(w, f)
	return err
}
