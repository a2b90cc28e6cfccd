package web

import (
	"net/http"
	"strconv"
	"time"

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
	s.calendarResult(w, r, s.calendar.SetYear(r.Context(), y, r.PostForm.Get("decree")), y)
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

func (s *Server) adminCalendarHolidayDelete(w http.ResponseWriter, r *http.Request) {
	d, _ := workday.ParseDate(r.PathValue("day"))
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
		year = time.Now().Year()
	}
	http.Redirect(w, r, "/admin/calendar?year="+strconv.Itoa(year), http.StatusSeeOther)
}
