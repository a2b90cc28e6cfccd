package intake

import (
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/workday"
)

func TestReapplyRefusal(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    reapplyCase
		want string // the refusal's code, "" when allowed
	}{
		{"before the announcement", reapplyCase{NotPassed: 1}, "reapply.not_announced"},
		{"before the announcement, another open", reapplyCase{NotPassed: 1, OpenNumber: "GAL-2026-00009"}, "reapply.not_announced"},
		{"everything passed", reapplyCase{ResultOut: true}, "reapply.nothing_not_passed"},
		{"the old one still open", reapplyCase{ResultOut: true, NotPassed: 1, OpenNumber: "GAL-2026-00001", OpenIsThis: true}, "reapply.still_open"},
		{"another one open", reapplyCase{ResultOut: true, NotPassed: 2, OpenNumber: "GAL-2026-00009"}, "reapply.other_open"},
		{"closed, one not passed, nothing open", reapplyCase{ResultOut: true, NotPassed: 1}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := reapplyRefusal(tc.c)
			got := ""
			if e, ok := apperr.As(err); ok {
				got = e.Code
				if e.Kind != apperr.Conflict || e.Text.ID == "" || e.Text.EN == "" {
					t.Errorf("refusal %+v: want a conflict in both languages", e)
				}
			} else if err != nil {
				t.Fatalf("untyped refusal %v", err)
			}
			if got != tc.want {
				t.Errorf("refusal %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDocumentHolds(t *testing.T) {
	today := workday.DateOf(time.Date(2026, 12, 2, 9, 0, 0, 0, workday.WIB))
	for _, tc := range []struct {
		name string
		d    document.Document
		want bool
	}{
		{"accepted, no expiry", document.Document{Status: document.Accepted}, true},
		{"accepted, expires later", document.Document{Status: document.Accepted, ExpiresOn: "2027-01-31"}, true},
		{"accepted, expires today", document.Document{Status: document.Accepted, ExpiresOn: "2026-12-02"}, true},
		{"accepted, expired yesterday", document.Document{Status: document.Accepted, ExpiresOn: "2026-12-01"}, false},
		{"accepted, unreadable expiry", document.Document{Status: document.Accepted, ExpiresOn: "Desember"}, false},
		{"returned", document.Document{Status: document.Returned}, false},
		{"pending", document.Document{Status: document.Pending}, false},
		{"replaced", document.Document{Status: document.Replaced}, false},
	} {
		if got := holds(tc.d, today); got != tc.want {
			t.Errorf("%s: holds = %v, want %v", tc.name, got, tc.want)
		}
	}
}
