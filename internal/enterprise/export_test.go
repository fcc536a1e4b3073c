package enterprise

// SetChunkRows sets how many rows an import checks together and returns
// the old number: tests import across many chunks with a few rows.
func SetChunkRows(n int) int {
	old := chunkRows
	chunkRows = n
	return old
}
