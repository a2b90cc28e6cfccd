package perf

import (
	"runtime"
	"runtime/metrics"
	"time"
)

// HeapGrowth runs fn and returns how far the Go heap (its live and not yet
// swept objects) grew above where it stood before, at the highest point seen
// by sampling every millisecond: for benchmarks of what a request costs in
// memory.
func HeapGrowth(fn func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	before := read()
	peak := before
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, read())
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(stop)
	<-done
	peak = max(peak, read())
	return peak - before
}
