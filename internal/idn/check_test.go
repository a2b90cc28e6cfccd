package idn

import (
	"errors"
	"testing"
	"time"
)

func TestCheckGivesTheStoredFormOfEachKindAndRefusesAsItsParser(t *testing.T) {
	now := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		kind  Kind
		in    string
		want  string
		fails bool
	}{
		{KindNIK, "3573 0541 0785 0003", "3573054107850003", false},
		{KindNIK, "357305410785000", "", true},
		{KindNIB, "9120 3012 34567", "9120301234567", false},
		{KindPIRT, "PIRT 206357301023428", "P-IRT No. 2063573010234-28", false},
		{KindPhone, "0852-3310-0202", "+6285233100202", false},
		{KindRupiah, "Rp 25.000", "25000", false},
		{KindHalal, "KH-123", "", true},
	}
	for _, c := range cases {
		got, err := Check(c.kind, c.in, now)
		var p *Problem
		if c.fails != (err != nil) || (err != nil && !errors.As(err, &p)) || got.Normal != c.want {
			t.Errorf("Check(%s, %q) = %+v, %v; want %q (fails %v) with a *Problem on failure", c.kind, c.in, got, err, c.want, c.fails)
		}
	}
	if _, err := Check("ktp", "x", now); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("unknown kind: %v", err)
	}
}
