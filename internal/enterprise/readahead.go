package enterprise

import (
	"io"
	"runtime"
	"sync"

	"anwei/internal/apperr"
	"anwei/internal/docs"
)

// checkedChunk is up to chunkRows rows as read with their checks, or the
// error that ended the reading.
type checkedChunk struct {
	rows   []sheetRow
	checks []rowCheck
	err    error
}

// readAhead reads and checks the rows in chunks on its own goroutine, one
// chunk ahead of the caller, who writes them: a bulk import's checks then
// cost no time of the writing connection. The last chunk may be empty; a
// reading error is the last item. stop ends the reading early and waits for
// it, so rows may be closed after it.
func (r *importRun) readAhead(rows docs.Rows) (<-chan checkedChunk, func()) {
	out := make(chan checkedChunk, 1)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(out)
		send := func(c checkedChunk) bool {
			select {
			case out <- c:
				return true
			case <-done:
				return false
			}
		}
		chunk := make([]sheetRow, 0, chunkRows)
		for {
			line, raw, err := rows.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				send(checkedChunk{err: apperr.Field("file", err.Error())})
				return
			}
			if chunk = append(chunk, sheetRow{line, raw}); len(chunk) == chunkRows {
				if !send(r.check(chunk)) {
					return
				}
				chunk = make([]sheetRow, 0, chunkRows)
			}
		}
		send(r.check(chunk))
	}()
	var once sync.Once
	return out, func() {
		once.Do(func() { close(done) })
		wg.Wait()
	}
}

// check checks rows in parallel (checkRow and forNew are pure).
func (r *importRun) check(rows []sheetRow) checkedChunk {
	checks := make([]rowCheck, len(rows))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(rows)/1000))
	var wg sync.WaitGroup
	for wk := 0; wk < workers; wk++ {
		wg.Add(1)
		go func(wk int) {
			defer wg.Done()
			for i := wk; i < len(rows); i += workers {
				checks[i] = checkRow(rows[i].raw, r.cell, r.names, r.a)
				if c := &checks[i]; !c.blank && c.reason == "" {
					r.w.forNew(c)
				}
			}
		}(wk)
	}
	wg.Wait()
	return checkedChunk{rows: rows, checks: checks}
}
