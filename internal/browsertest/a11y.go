package browsertest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
)

// axe-core, vendored for the tests only (see axe/VENDORED.md).
//
//go:embed axe/axe.min.js
var axeSource string

// Violation is one axe-core rule a page breaks, with the elements that break it.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target []string `json:"target"`
		HTML   string   `json:"html"`
		Why    string   `json:"failureSummary"`
	} `json:"nodes"`
}

func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for i, n := range v.Nodes {
		if i == 3 {
			fmt.Fprintf(&b, "\n      … and %d more", len(v.Nodes)-3)
			break
		}
		fmt.Fprintf(&b, "\n      %s %s", strings.Join(n.Target, " "), truncate(n.HTML, 160))
	}
	return b.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Axe runs axe-core's WCAG 2.0 and 2.1 level A and AA rules on the page as it
// is now and returns what it breaks.
func (b *Browser) Axe() []Violation {
	b.t.Helper()
	ctx, cancel := b.stepContext()
	defer cancel()
	if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`)); !ok {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
			b.fatalf("inject axe-core: %v", err)
		}
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](
		`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]}).then(r => r.violations)`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("run axe-core: %v", err)
	}
	var vs []Violation
	if err := json.Unmarshal(raw, &vs); err != nil {
		b.fatalf("read axe-core's result: %v", err)
	}
	return vs
}

// SetTextZoom sets the page's text size, in percent of the default (200 for
// the WCAG reflow check), the way a browser's text-size setting does: every
// rem and em grows, the viewport stays.
func (b *Browser) SetTextZoom(percent int) {
	b.t.Helper()
	b.Do("set text size", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.documentElement.style.fontSize = "%d%%"`, percent)))
}

// Overflow is an element wider than the window, outside any labelled,
// scrollable region (the only place a wide data table may scroll).
type Overflow struct {
	What  string `json:"what"`
	Right int    `json:"right"`
}

// SideScroll reports whether the page scrolls sideways in the window, and the
// elements that stick out to the right of it, leaving out those inside a
// scrollable region (role="region" with overflow) — a data table's own box.
func (b *Browser) SideScroll() (scrolls bool, over []Overflow) {
	b.t.Helper()
	ctx, cancel := b.stepContext()
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`(() => {
		const w = document.documentElement.clientWidth;
		const out = [];
		for (const el of document.body.querySelectorAll("*")) {
			if (el.closest('[role="region"]')) continue;
			const r = el.getBoundingClientRect();
			if (r.width === 0 || r.right <= w + 1) continue;
			const id = el.id ? "#" + el.id : "";
			const cls = el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "";
			out.push({what: el.tagName.toLowerCase() + id + cls + " “" + (el.innerText || el.value || "").trim().slice(0, 40) + "”", right: Math.round(r.right)});
		}
		return {scrolls: document.documentElement.scrollWidth > w + 1, over: out.slice(0, 8)};
	})()`))
	if err != nil {
		b.fatalf("measure sideways scrolling: %v", err)
	}
	var res struct {
		Scrolls bool       `json:"scrolls"`
		Over    []Overflow `json:"over"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		b.fatalf("read the measure: %v", err)
	}
	return res.Scrolls, res.Over
}

// Press types keys as a keyboard does (e.g. "\t" for Tab, "\r" for Enter).
func (b *Browser) Press(keys string) {
	b.t.Helper()
	b.Do(fmt.Sprintf("press %q", keys), chromedp.KeyEvent(keys))
}

// Focused describes the element that has the keyboard focus: its tag, id and
// text.
func (b *Browser) Focused() string {
	b.t.Helper()
	ctx, cancel := b.stepContext()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const e = document.activeElement; if (!e) return ""; return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + " " + (e.innerText || e.value || e.getAttribute("aria-label") || "").trim().slice(0, 40); })()`))
	if err != nil {
		b.fatalf("the focused element: %v", err)
	}
	return s
}

// EvalString evaluates a JavaScript expression that gives a string.
func (b *Browser) EvalString(expr string) string {
	b.t.Helper()
	ctx, cancel := b.stepContext()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		b.fatalf("evaluate %s: %v", truncate(expr, 60), err)
	}
	return s
}
