package web

import (
	"net/http"
	"strconv"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/calendar"
	"github.com/etalase-id/etalase/internal/workday"
)

type calendarData struct {
	Year     int
	Years    []calendar.Year
	Holidays []workday.Holiday
	Warning  string
	Kinds    []workday.Kind
}

// adminCalendar shows one year's holidays with forms to edit them.
func (s *Server) adminCalendar(w http.ResponseWriter, r *http.Request) {
	s.renderCalendar(w, r, http.StatusOK, newForm(nil))
}

func (s *Server) renderCalendar(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	now := s.db.Clock(ctx)
	year := workday.DateOf(now).Year
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	} else if y, err := strconv.Atoi(r.PostFormValue("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	d := calendarData{Year: year, Kinds: workday.Kinds}
	var err error
	if d.Years, err = s.calendar.Years(ctx); err == nil {
		d.Holidays, err = s.calendar.Holidays(ctx, year)
	}
	cal, lerr := s.calendar.Load(ctx)
	if err == nil {
		err = lerr
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if t, ok := cal.MissingYearWarning(now); ok {
		d.Warning = t.In(reqFrom(ctx).lang)
	}
	s.render(w, r, status, "admin/calendar", page{Title: "calendar.title", Form: f, Data: d})
}

func (s *Server) adminCalendarYear(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	y, _ := strconv.Atoi(r.PostForm.Get("year"))
	err := s.calendar.SetYear(r.Context(), y, r.PostForm.Get("year_decree"))
	// The page has two decree fields, the year's and a holiday's: the year's
	// problem belongs at the year's.
	if e, ok := apperr.As(err); ok {
		e2 := *e
		e2.Fields = nil
		for _, f := range e.Fields {
			if f.Name == "decree" || f.Name == "year" {
				f.Name = "year_decree"
			}
			e2.Fields = append(e2.Fields, f)
		}
		err = &e2
	}
	s.calendarResult(w, r, err, y)
}

func (s *Server) adminCalendarHoliday(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	pf := r.PostForm
	h, err := s.calendar.SaveHoliday(r.Context(), calendar.HolidayInput{Day: pf.Get("day"), Name: pf.Get("name"), Kind: pf.Get("kind"), Decree: pf.Get("decree")})
	s.calendarResult(w, r, err, h.Date.Year)
}

// adminCalendarHolidayDelete deletes a holiday. The page asks first (a
// <details> holding the confirming button, no script needed); a form that
// was not confirmed is not acted on.
func (s *Server) adminCalendarHolidayDelete(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	d, _ := workday.ParseDate(r.PathValue("day"))
	if r.PostForm.Get("confirm") != "yes" {
		http.Redirect(w, r, "/admin/calendar?year="+strconv.Itoa(d.Year), http.StatusSeeOther)
		return
	}
	s.calendarResult(w, r, s.calendar.DeleteHoliday(r.Context(), r.PathValue("day")), d.Year)
}

func (s *Server) calendarResult(w http.ResponseWriter, r *http.Request, err error, year int) {
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid {
			f := newForm(r)
			f.setError(err, reqFrom(r.Context()).lang)
			s.renderCalendar(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "flash.saved")
	if year == 0 {
		year = workday.DateOf(s.db.Clock(r.Context())).Year
	}
	http.Redirect(w, r, "/admin/calendar?year="+strconv.Itoa(year), http.StatusSeeOther)
}
