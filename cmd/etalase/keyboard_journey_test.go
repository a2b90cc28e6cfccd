package main

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/etalase-id/etalase/internal/browsertest"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/demo"
)

// TestJourneyByKeyboardAndScreenReader is WCAG 2.1 AA as people meet it, on
// the demo:
//   - the clerk checks documents by keyboard alone: Tab to a document's
//     reason, type it, Enter — the document is returned with that reason;
//   - every stop of the header shows its focus, at 3:1 or more against the
//     header (a screenshot at each);
//   - a refused form puts the focus on its list of errors, and the page's
//     title says there are errors;
//   - a form sent after the session ended is not lost: after the sign-in it
//     is offered again and sending it saves it.
func TestJourneyByKeyboardAndScreenReader(t *testing.T) {
	browsertest.Require(t)
	data := t.TempDir()
	addr, _, _ := startServe(t, "--data", data, "--demo")
	base := "http://" + addr
	ids := demoIDs(t, data)

	clerk := browsertest.New(t, browsertest.Desktop(), browsertest.BaseURL(base), browsertest.Timeout(3*time.Minute))
	clerk.Navigate("/login")
	journeySignIn(clerk, "siti.galeri@demo.etalase.id", demo.Password)

	{ // The header's focus is visible at every stop.
		clerk.Navigate("/")
		headerBG := clerk.EvalString(`getComputedStyle(document.querySelector("header.top")).backgroundColor`)
		for i := 1; i <= 12; i++ {
			clerk.Press("\t")
			// The skip link comes first, then the header's controls.
			inHeader := clerk.EvalString(`document.activeElement.closest("header.top, a.skip") ? "yes" : "no"`) == "yes"
			if !inHeader {
				if i < 5 {
					t.Fatalf("after %d Tabs the focus left the header: %s", i, clerk.Focused())
				}
				break
			}
			ring := clerk.EvalString(`(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + " " + s.outlineWidth + " " + s.outlineColor; })()`)
			clerk.Screenshot(fmt.Sprintf("header-focus-%02d", i))
			style, width, color := splitRing(ring)
			if style == "none" || width < 2 {
				t.Errorf("header stop %d (%s) shows no focus ring: %s", i, clerk.Focused(), ring)
				continue
			}
			bg := headerBG
			if clerk.EvalString(`document.activeElement.matches("a.skip") ? "yes" : "no"`) == "yes" {
				bg = clerk.EvalString(`getComputedStyle(document.body).backgroundColor`)
			}
			if c := contrast(color, bg); c < 3 {
				t.Errorf("header stop %d (%s): focus ring %s on %s is %.2f:1, want 3:1 at least", i, clerk.Focused(), color, bg, c)
			}
		}
	}

	{ // The document check by keyboard alone.
		clerk.Navigate(ids.app("kholil")) // submitted: its documents await the check
		focused := ""
		for range 80 {
			clerk.Press("\t")
			if focused = clerk.Focused(); strings.HasPrefix(focused, "input#f-reason_") {
				break
			}
		}
		if !strings.HasPrefix(focused, "input#f-reason_") {
			t.Fatalf("Tab never reached a document's reason; last focus %q", focused)
		}
		clerk.Do("type the reason", chromedp.KeyEvent("Foto KTP buram, mohon unggah ulang"))
		clerk.Screenshot("check-reason-typed")
		clerk.Do("press Enter and wait", chromedp.KeyEvent("\r"))
		clerk.WaitText("#app-state", "Dokumen dikembalikan")
		journeyText(t, clerk, "#riwayat", "Foto KTP buram, mohon unggah ulang")
		clerk.Screenshot("check-returned-by-keyboard")
	}

	sri := browsertest.New(t, browsertest.Phone(), browsertest.BaseURL(base), browsertest.Timeout(3*time.Minute))
	sri.Navigate("/login")
	journeySignIn(sri, "fauzi.kopi@demo.etalase.id", demo.Password)
	profile := ids.business("fauzi.kopi") + "/profile"

	{ // A refused form moves the focus to its errors.
		sri.Navigate(profile)
		sri.Fill("#f-nik", "351110300188000") // 15 digits
		sri.ClickAndWait(`main form button[type=submit]`)
		if got := sri.EvalString(`document.activeElement.id`); got != "error-summary" {
			t.Errorf("after the refusal the focus is on %q, want the error summary", got)
		}
		if got := sri.EvalString(`document.title`); !strings.HasPrefix(got, "Ada kesalahan") {
			t.Errorf("the title after the refusal is %q, want it to say there are errors", got)
		}
		journeyText(t, sri, "#error-summary a[href=\"#f-nik\"]", "16")
		sri.Screenshot("refused-focus-on-errors")
	}

	{ // A form sent after the session ended is not lost.
		sri.Navigate(profile)
		sri.Fill("#f-address", "Ds. Sukosari Lor RT 03 RW 02, Sukosari")
		// The idle limit passes while the form is open.
		expireSessions(t, data, "fauzi.kopi@demo.etalase.id")
		sri.ClickAndWait(`main form button[type=submit]`)
		journeyText(t, sri, "#expired", "tersimpan")
		sri.Screenshot("expired-sign-in-again")
		journeySignIn(sri, "fauzi.kopi@demo.etalase.id", demo.Password)
		journeyHeading(t, sri, "Isian Anda belum terkirim")
		sri.Screenshot("expired-entry-offered")
		sri.ClickAndWait(`main form button[type=submit]`)
		journeyText(t, sri, "#usaha", "Ds. Sukosari Lor RT 03 RW 02")
	}
}

// expireSessions makes the sessions of login look idle for three hours, as if
// the person had gone to lunch with the form open.
func expireSessions(t *testing.T, dataDir, login string) {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, "", dataDir, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE sessions SET last_seen_at = ? WHERE user_id = (SELECT id FROM users WHERE email = ?)", time.Now().UTC().Add(-3*time.Hour), login)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// splitRing reads "solid 3px rgb(255, 210, 77)".
func splitRing(s string) (style string, width float64, color string) {
	parts := strings.SplitN(s, " ", 3)
	if len(parts) < 3 {
		return "none", 0, ""
	}
	w, _ := strconv.ParseFloat(strings.TrimSuffix(parts[1], "px"), 64)
	return parts[0], w, parts[2]
}

// contrast is the WCAG contrast ratio of two CSS rgb()/rgba() colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(css string) float64 {
	inner := css[strings.IndexByte(css, '(')+1 : strings.LastIndexByte(css, ')')]
	var c [3]float64
	for i, p := range strings.Split(inner, ",")[:3] {
		v, _ := strconv.ParseFloat(strings.TrimSpace(p), 64)
		v /= 255
		if v <= 0.03928 {
			c[i] = v / 12.92
		} else {
			c[i] = math.Pow((v+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}
