package web_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/web"
)

// hangGuard is how long a test waits for the server to close a connection
// before calling it a failure; the server's timeouts are far shorter, so
// this bounds a hang and measures nothing.
const hangGuard = 5 * time.Second

// slowServer runs the demo deployment through Server.HTTPServer with
// timeouts of 200 ms (uploads: a minute) on a real loopback listener.
func slowServer(t *testing.T) (*app.App, string) {
	t.Helper()
	return apptest.Serve(t, app.Config{DemoEnterprises: 20,
		Timeouts: web.Timeouts{ReadHeader: 200 * time.Millisecond, Read: 200 * time.Millisecond, Write: 2 * time.Second, Idle: 200 * time.Millisecond, Upload: time.Minute}})
}

// trickle writes head, then one byte of tail every 20 ms, until the
// connection fails or tail is sent.
func trickle(conn net.Conn, head, tail string) {
	if _, err := io.WriteString(conn, head); err != nil {
		return
	}
	for i := range len(tail) {
		time.Sleep(20 * time.Millisecond)
		if _, err := conn.Write([]byte{tail[i]}); err != nil {
			return
		}
	}
}

// closedByServer reads until the server closes the connection and returns
// what it sent; it fails the test if the connection is still open after
// hangGuard.
func closedByServer(t *testing.T, conn net.Conn) string {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(hangGuard))
	b, err := io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the server kept the trickling connection open (%v); read so far: %q", err, b)
	}
	return string(b)
}

// TestServerTimeoutsCloseTricklingClients: with the timeouts configured
// small, the server closes a connection that trickles its headers, one that
// trickles its body and one that idles after a request; a signed-in upload
// that takes longer than the read timeout still goes through.
func TestServerTimeoutsCloseTricklingClients(t *testing.T) {
	t.Parallel()
	_, addr := slowServer(t)
	dial := func(t *testing.T) net.Conn {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return conn
	}
	t.Run("headers", func(t *testing.T) {
		conn := dial(t)
		go trickle(conn, "GET /healthz HTTP/1.1\r\nHost: anwei\r\nX-Slow: ", strings.Repeat("a", 1000))
		closedByServer(t, conn)
	})
	t.Run("body", func(t *testing.T) {
		conn := dial(t)
		go trickle(conn, "POST /login HTTP/1.1\r\nHost: anwei\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n",
			"username=office&password="+strings.Repeat("a", 975))
		closedByServer(t, conn)
	})
	t.Run("idle", func(t *testing.T) {
		conn := dial(t)
		if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: anwei\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Close {
			t.Fatalf("healthz: %d, close %v", resp.StatusCode, resp.Close)
		}
		closedByServer(t, conn)
	})
	t.Run("upload", func(t *testing.T) {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Post("http://"+addr+"/api/v1/session", "application/json", strings.NewReader(`{"username":"enterprise","password":"Anwei2026"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("login: %d", resp.StatusCode)
		}
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("place", "二号仓库")
		_ = mw.WriteField("description", "慢速上传的隐患")
		_ = mw.WriteField("source", "self")
		fw, _ := mw.CreateFormFile("files", "p.png")
		_, _ = fw.Write(append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("x"), 2000)...))
		_ = mw.Close()
		// About 0.6 s in 30 pieces: three times the read timeout.
		pr, pw := io.Pipe()
		go func() {
			b := buf.Bytes()
			step := len(b)/30 + 1
			for i := 0; i < len(b); i += step {
				time.Sleep(20 * time.Millisecond)
				if _, err := pw.Write(b[i:min(i+step, len(b))]); err != nil {
					return
				}
			}
			pw.Close()
		}()
		req, _ := http.NewRequest("POST", "http://"+addr+"/hazards/new", pr)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err = c.Do(req)
		if err != nil {
			t.Fatalf("slow upload: %v", err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("slow upload: %d %.300s", resp.StatusCode, b)
		}
	})
}
