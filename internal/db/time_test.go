package db

import (
	"testing"
	"time"
)

// The fast reading of a stored time agrees with time.Parse on every shape
// the driver writes, and refuses the rest.
func TestParseStoredAgreesWithTimeParse(t *testing.T) {
	for _, s := range []string{
		"2026-11-02 09:00:00+00:00", "2026-11-02 09:00:00.1+00:00", "2026-11-02 09:00:00.123456+07:00",
		"2026-11-02 09:00:00.123456789-03:30", "2026-11-02 09:00:00Z", "2026-12-31 23:59:59.999999+00:00",
	} {
		want, err := time.Parse("2006-01-02 15:04:05.999999999Z07:00", s)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := parseStored(s)
		if !ok || !got.Equal(want) {
			t.Errorf("parseStored(%q) = %v %v, want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "2026-11-02", "2026-11-02T09:00:00Z", "2026-11-02 09:00:00", "2026-11-02 09:00:00.+00:00", "2026-11-02 09:0a:00+00:00", "2026-11-02 09:00:00+0000"} {
		if _, ok := parseStored(s); ok {
			t.Errorf("parseStored(%q) accepted", s)
		}
	}
	var n NullTime
	if err := n.Scan("2026-11-02 09:00:00"); err != nil || !n.Valid {
		t.Errorf("a time without a zone falls back to the layouts: %v %+v", err, n)
	}
}
