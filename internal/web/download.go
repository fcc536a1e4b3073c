package web

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"

	"anwei/internal/apperr"
	"anwei/internal/docs"
)

// sendPDF writes a rendered document inline, named for saving.
func sendPDF(w http.ResponseWriter, name string, pdf []byte, err error) error {
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(name))
	_, err = w.Write(pdf)
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

// sendFile writes a stored attachment; images show inline, the rest download.
func (s *Server) sendFile(w http.ResponseWriter, sum, name, contentType string, inline bool) error {
	f, err := s.Files.Open(sum)
	if err != nil {
		return apperr.Wrap(err, "附件文件缺失")
	}
	defer f.Close()
	disp := "attachment"
	if inline {
		disp = "inline"
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = io.Copy(w, f)
	return err
}
