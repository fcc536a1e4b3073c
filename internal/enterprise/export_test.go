package enterprise

// SetChunkRows sets how many rows an import checks together and returns
// the old number: tests import across many chunks with a few rows.
func SetChunkRows(n int) int {
	old := chunkRows
	chunkRows = n
	return old
}

// SetEachPage sets how many records an export reads a page and returns the
// old number: tests page through the demo's registry with a few.
func SetEachPage(n int) int {
	old := eachPage
	eachPage = n
	return old
}
