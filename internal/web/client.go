package web

import (
	"net"
	"net/http"
	"strings"
)

// clientIP is the address the request came from: the connection's peer, or
// with TrustProxy the last address the proxy appended to X-Forwarded-For
// (the only one the proxy vouches for; earlier ones are what the client
// claimed).
func (s *Server) clientIP(r *http.Request) string {
	if s.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(ip) != nil {
				return ip
			}
		}
	}
	if r.Header.Get("X-Forwarded-For") != "" {
		s.proxyWarning.Do(func() {
			s.Log.Warn("请求带有 X-Forwarded-For，但未设置 --trust-proxy: 经代理而来的所有用户共用代理的地址，登录失败限制会对他们一起生效；在代理之后运行时请加 --trust-proxy")
		})
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// secure reports whether the client reached anwei over HTTPS: TLS ended
// here, or with TrustProxy the proxy says so in the last X-Forwarded-Proto
// value (the one it appended; earlier ones are what the client claimed, as
// in clientIP).
func (s *Server) secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	xfp := r.Header.Values("X-Forwarded-Proto")
	if !s.TrustProxy || len(xfp) == 0 {
		return false
	}
	parts := strings.Split(xfp[len(xfp)-1], ",")
	return strings.EqualFold(strings.TrimSpace(parts[len(parts)-1]), "https")
}
