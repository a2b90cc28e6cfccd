package web

import (
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/workday"
)

// The application's page shows its timeline (the SOP's nine steps) and its
// history on every view, the staff's most opened page after the lists. Written
// by the template engine, whose escaping calls a function by reflection for
// every value, these two parts cost more than the page's queries; they are
// written here instead, as the lists' rows are (rowWriter). Every value goes
// through html.EscapeString.

// timelineHTML is the items of the timeline's list, one step a line.
func (s *Server) timelineHTML(l i18n.Lang, tl application.Timeline) template.HTML {
	var b strings.Builder
	b.Grow(400 * len(tl.Steps))
	esc := func(v string) { b.WriteString(html.EscapeString(v)) }
	step, started, finished := s.cat.T(l, "app.step"), s.cat.T(l, "tl.started"), s.cat.T(l, "tl.finished")
	due, late := s.cat.T(l, "app.due"), s.cat.T(l, "tl.late")
	for _, st := range tl.Steps {
		b.WriteString("\n<li class=\"tl-")
		esc(st.Status)
		b.WriteString("\"><strong>")
		esc(step)
		b.WriteString(" ")
		b.WriteString(strconv.Itoa(st.Step.Number))
		b.WriteString("</strong> · ")
		esc(st.Step.Name.In(l))
		b.WriteString("\n<br><small>")
		esc(s.cat.T(l, "tl."+st.Status))
		if st.StartedAt != nil {
			b.WriteString(" · ")
			esc(started + " " + wibText(st.StartedAt))
		}
		if st.FinishedAt != nil {
			b.WriteString(" · ")
			esc(finished + " " + wibText(st.FinishedAt))
		}
		if st.Step.HasStandard {
			b.WriteString(" · ")
			esc(s.cat.T(l, "tl.standard", st.Step.Days))
		}
		if st.DueAt != nil {
			b.WriteString(" · ")
			esc(due + " " + wibText(st.DueAt))
		}
		if st.Late {
			b.WriteString(` · <strong class="late">`)
			esc(late)
			b.WriteString("</strong>")
		}
		b.WriteString("</small></li>")
	}
	b.WriteString("\n")
	return template.HTML(b.String()) // every value above is escaped
}

// historyHTML is the items of the history's list: when, who, what, and the
// reason given (typed in Indonesian, so marked as such on an English page).
func (s *Server) historyHTML(l i18n.Lang, events []application.Event) template.HTML {
	var b strings.Builder
	b.Grow(160 * len(events))
	esc := func(v string) { b.WriteString(html.EscapeString(v)) }
	for _, e := range events {
		b.WriteString(`<li><span class="when">`)
		if e.At.IsZero() {
			b.WriteString("—")
		} else {
			b.WriteString(workday.InWIB(e.At).Format("02-01-2006 15:04") + " WIB")
		}
		b.WriteString("</span> ")
		esc(e.ActorName)
		b.WriteString(" · ")
		esc(s.cat.T(l, "event."+e.Action))
		if e.Reason != "" {
			b.WriteString(": <span")
			if l != i18n.ID {
				b.WriteString(` lang="id"`)
			}
			b.WriteString(">")
			esc(e.Reason)
			b.WriteString("</span>")
		}
		b.WriteString("</li>")
	}
	return template.HTML(b.String()) // every value above is escaped
}
