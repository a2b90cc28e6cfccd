package stock

// SetFTSWindow makes the SQLite search read n matches at a time, for a test
// of its paging; the returned func restores it.
func SetFTSWindow(n int) func() {
	old := ftsWindow
	ftsWindow = n
	return func() { ftsWindow = old }
}
