package register

// SetPageSize makes the registers read n rows at a time, to test the paging
// with a few rows; it returns the function that puts it back.
func SetPageSize(n int) func() {
	old := pageSize
	pageSize = n
	return func() { pageSize = old }
}
