package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/settings"
)

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, err := s.accounts.Page(r.Context(), account.Filter{Role: role.Role(q.Get("role")), Search: q.Get("q")}, q.Get("cursor"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	next, first := pageURLs(r, "/admin/users", p.Next)
	s.render(w, r, http.StatusOK, "admin/users", page{Title: "admin.users.title", Data: map[string]any{
		"Users": p.Users, "Role": q.Get("role"), "Q": q.Get("q"), "NextURL": next, "FirstURL": first,
	}})
}

func (s *Server) adminUserNewForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "admin/user_new", page{Title: "admin.users.new", Form: newForm(r), Data: newStaffData()})
}

// newStaffData is what the new-staff form starts from: the staff roles, least
// privileged first and preselected, so that an admin is made only on purpose.
func newStaffData() map[string]any {
	return map[string]any{"U": account.User{Role: policy.NewStaffRole}, "Roles": policy.StaffRoles}
}

// adminUserCreate makes a staff account with a one-time password, shown once to
// the admin to hand over; the user must change it at the first sign-in.
func (s *Server) adminUserCreate(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	pf := r.PostForm
	otp := account.NewOneTimePassword()
	u, err := s.accounts.Create(r.Context(), account.NewUser{
		Name: pf.Get("name"), Email: pf.Get("email"), Phone: pf.Get("phone"),
		Role: role.Role(pf.Get("role")), Division: role.Division(pf.Get("division")),
		Password: otp, MustChangePassword: true, Lang: reqFrom(r.Context()).lang,
	})
	if err != nil {
		if _, ok := apperr.As(err); !ok {
			s.serverError(w, r, err)
			return
		}
		f := newForm(r)
		f.setError(err, reqFrom(r.Context()).lang)
		s.render(w, r, http.StatusUnprocessableEntity, "admin/user_new", page{Title: "admin.users.new", Form: f, Here: "/admin/users/new", Data: newStaffData()})
		return
	}
	s.renderUser(w, r, http.StatusCreated, u, otp, nil)
}

func (s *Server) adminUserShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	u, err := s.accounts.Get(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderUser(w, r, http.StatusOK, u, "", nil)
}

func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, status int, u account.User, otp string, f *form) {
	trail, err := s.userTrail(r.Context(), reqFrom(r.Context()).lang, u.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if f == nil {
		f = newForm(nil)
	}
	s.render(w, r, status, "admin/user", page{Title: "admin.users.edit", Form: f, Data: map[string]any{
		"U": u, "OTP": otp, "Trail": trail,
	}})
}

// adminUserChange applies one change to a user and shows the user again, with
// the error if the change was refused.
func (s *Server) adminUserChange(w http.ResponseWriter, r *http.Request, change func(id int64) (account.User, error), flash string) {
	id, ok := pathID(r)
	if !ok || !parseForm(w, r) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	if _, err := change(id); err != nil {
		e, ok := apperr.As(err)
		if !ok || e.Kind == apperr.NotFound || e.Kind == apperr.Internal {
			s.fail(w, r, err)
			return
		}
		u, gerr := s.accounts.Get(r.Context(), id)
		if gerr != nil {
			s.fail(w, r, gerr)
			return
		}
		f := newForm(r)
		f.setError(err, reqFrom(r.Context()).lang)
		s.renderUser(w, r, kindStatus(e.Kind), u, "", f)
		return
	}
	s.flash(w, flash)
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (s *Server) adminUserRole(w http.ResponseWriter, r *http.Request) {
	s.adminUserChange(w, r, func(id int64) (account.User, error) {
		return s.accounts.SetRole(r.Context(), id, role.Role(r.PostForm.Get("role")), role.Division(r.PostForm.Get("division")))
	}, "flash.saved")
}

func (s *Server) adminUserActive(w http.ResponseWriter, r *http.Request) {
	s.adminUserChange(w, r, func(id int64) (account.User, error) {
		return s.accounts.SetActive(r.Context(), id, r.PostForm.Get("active") == "1")
	}, "flash.saved")
}

func (s *Server) adminUserResetPassword(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	otp, err := s.accounts.ResetPassword(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.accounts.Get(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderUser(w, r, http.StatusOK, u, otp, nil)
}

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	l := reqFrom(ctx).lang
	q := r.URL.Query()
	d := auditPageData{Q: q, Groups: auditGroups, ObjectTypes: auditObjectTypes}
	f := audit.Filter{Action: q.Get("action"), ObjectType: q.Get("object_type"), ObjectID: strings.TrimSpace(q.Get("object_id")), Limit: 100}
	switch actor := q.Get("actor"); actor {
	case "":
	case "none":
		f.NoActor = true
	default:
		if v, err := strconv.ParseInt(actor, 10, 64); err == nil {
			f.ActorID = v
		}
	}
	// An applicant (or anyone) by e-mail or number, where the list of staff
	// does not reach.
	if login := strings.TrimSpace(q.Get("actor_login")); login != "" {
		u, err := s.accounts.ByLogin(ctx, login)
		if err != nil {
			d.Problem = s.cat.T(l, "admin.audit.no_actor", login)
			f.ActorID = -1 // nobody
		} else {
			f.ActorID, f.NoActor = u.ID, false
		}
	}
	if v, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil {
		f.BeforeID = v
	}
	// Dates are WIB calendar days; the "to" day is included.
	if v := q.Get("from"); v != "" {
		if day, err := parseDay(v); err == nil {
			f.From = day.StartWIB()
		} else {
			d.Problem = s.cat.T(l, "admin.audit.bad_date", v)
		}
	}
	if v := q.Get("to"); v != "" {
		if day, err := parseDay(v); err == nil {
			f.To = day.AddDays(1).StartWIB()
		} else {
			d.Problem = s.cat.T(l, "admin.audit.bad_date", v)
		}
	}
	entries, err := audit.List(ctx, s.db, f)
	if err == nil {
		d.Rows, err = s.auditRows(ctx, l, entries)
	}
	if err == nil {
		d.Staff, err = s.accounts.List(ctx, account.Filter{Staff: true})
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(entries) == f.Limit {
		next := url.Values{}
		for k, v := range q {
			if k != "before" {
				next[k] = v
			}
		}
		next.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		d.Older = "/admin/audit?" + next.Encode()
	}
	s.render(w, r, http.StatusOK, "admin/audit", page{Title: "admin.audit.title", Data: d})
}

var settingsKeys = []string{settings.OfficeName, settings.DPOName, settings.DPOEmail, settings.DPOPhone,
	settings.GalleryAddress, settings.GalleryHours, settings.GalleryContact, settings.SampleQuantity,
	settings.DocumentMaxFiles, settings.DocumentMaxMB,
	settings.CurationStaffReviewers, settings.CurationExpertReviewers, settings.CurationBlind}

func (s *Server) adminSettingsForm(w http.ResponseWriter, r *http.Request) {
	f := newForm(nil)
	for _, k := range settingsKeys {
		v, err := s.settings.Get(r.Context(), k)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		f.values.Set(k, v)
	}
	s.render(w, r, http.StatusOK, "admin/settings", page{Title: "admin.settings.title", Form: f})
}

func (s *Server) adminSettingsSave(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	uid := reqFrom(r.Context()).user.ID
	// All values in one transaction: either the whole form is saved or none of it.
	err := s.db.InTx(r.Context(), func(ctx context.Context, _ *db.Tx) error {
		for _, k := range settingsKeys {
			if !r.PostForm.Has(k) {
				continue // a field the form did not send keeps its value
			}
			if err := s.settings.Set(ctx, k, r.PostForm.Get(k), uid); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if _, ok := apperr.As(err); !ok {
			s.serverError(w, r, err)
			return
		}
		f := newForm(r)
		f.setError(err, reqFrom(r.Context()).lang)
		s.render(w, r, http.StatusUnprocessableEntity, "admin/settings", page{Title: "admin.settings.title", Form: f})
		return
	}
	s.flash(w, "flash.saved")
	http.Redirect(w, r, "/admin/settings", http.StatusSeeOther)
}
