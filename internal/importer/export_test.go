package importer

// SetAfterBatch sets the hook called after each committed transaction of a
// real run.
func SetAfterBatch(im *Importer, f func(rowsDone int)) { im.afterBatch = f }

// StopRuns cancels the background runs without waiting for them, as a
// shutdown does.
func StopRuns(im *Importer) { im.stop() }

// HeaderCheck reports the titles of header not understood and how many of
// the importer's fields it lacks.
func HeaderCheck(header []string) (unknown []string, missing int) {
	c := matchHeader(header)
	for _, i := range c.index {
		if i < 0 {
			missing++
		}
	}
	return c.unknown, missing
}
