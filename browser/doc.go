// Package browser holds the end-to-end tests: the demo deployment served as
// `anwei serve` serves it, driven in headless Chromium (chromedp) as each
// role uses it — sign-in, the plan, registry, hazard and risk flows, the
// Content-Security-Policy on every page. With ANWEI_ARTIFACTS set to a
// folder, they leave their screenshots and PDFs there for a person to look
// at: `ANWEI_ARTIFACTS=/tmp/shots go test ./browser`.
//
// It sits at the top of the module, not under internal/web, for one reason:
// `go test ./...` starts test binaries in import-path order, and these are
// the suite's longest (Chromium's work, not the Go process's), so they go
// first and run beside the other packages instead of after them.
package browser
