package web

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// The audit trail in words: what happened, by whom, to what, in time order,
// with filters chosen from lists. The trail stores codes (user.create); the
// words are the catalogue's (audit.action.user.create).

// auditGroup is one kind of object's actions, as the action filter offers them.
type auditGroup struct {
	Prefix  string // "user." chooses all of them
	Actions []string
}

// auditGroups lists every action the trail holds, by what it acts on. A test
// checks that every action written anywhere in the code is here.
var auditGroups = func() []auditGroup {
	app := []string{"application.create", "application.products", "application.amend", "application.import", "application.reapply"}
	for _, a := range sop.Actions() {
		app = append(app, "application."+string(a))
	}
	return []auditGroup{
		{"user.", []string{"user.create", "user.change_role", "user.activate", "user.deactivate", "user.change_password", "user.reset_password", "user.register_taken", "user.password_by_link"}},
		{"session.", []string{"session.login", "session.login_failed", "session.logout"}},
		{"token.", []string{"token.create", "token.revoke"}},
		{"business.", []string{"business.create", "business.update", "business.nik_view"}},
		{"product.", []string{"product.create", "product.update", "product.archive"}},
		{"document.", []string{"document.upload", "document.view", "document.review", "document.delete"}},
		{"application.", app},
		{"calendar.", []string{"calendar.default", "calendar.year", "calendar.holiday_save", "calendar.holiday_delete"}},
		{"import.", []string{"import.start", "import.done", "import.failed", "import.interrupted", "import.undo"}},
		{"setting.", []string{"setting.update"}},
		{"privacy.", []string{"privacy.export"}},
		{"access.", []string{"access.denied"}},
		{"vault.", []string{"vault.key_recorded"}},
		{"rubric.", []string{"rubric.revise"}},
		{"round.", []string{"round.create", "round.request", "round.add_application", "round.announce"}},
		{"assignment.", []string{"assignment.create", "assignment.declare", "assignment.conflict"}},
		{"review.", []string{"review.submit", "review.reopen"}},
		{"decision.", []string{"decision.record", "decision.revise"}},
		{"photo.", []string{"photo.add"}},
		{"item.", []string{"item.create", "item.status"}},
		{"stock.", []string{"stock.receive", "stock.return", "stock.transfer", "stock.adjust", "stock.reverse", "stock.location_create", "stock.terms_set", "stock.import"}},
		{"message.", []string{"message.retry", "message.sent_by_hand", "message.template_edit", "message.template_reset", "message.activations"}},
		{"referral.", []string{"referral.create", "referral.update", "referral.letter"}},
	}
}()

// auditObjectTypes are the kinds of object the trail names, as the object
// filter offers them.
var auditObjectTypes = []string{"user", "api_token", "business", "product", "document", "application", "holiday", "calendar_year", "import_batch", "setting", "page",
	"rubric", "round", "assignment", "review", "photo", "item", "stock_document", "stock_location", "message", "message_template", "referral"}

// auditRow is one entry as the page shows it.
type auditRow struct {
	At      time.Time
	Actor   string // the name, else the label kept in the trail
	ActorIP string
	ActorID int64
	Action  string // in words
	Object  string // in words
	Link    string // where the object can be seen, if the admin can
	Summary string
	Changes []auditChange
}

// auditChange is one field an entry changed (or set, or cleared).
type auditChange struct {
	Field, Before, After string
}

// auditRows puts entries into words in language l.
func (s *Server) auditRows(ctx context.Context, l i18n.Lang, entries []audit.Entry) ([]auditRow, error) {
	var ids []int64
	for _, e := range entries {
		if e.ActorID != 0 {
			ids = append(ids, e.ActorID)
		}
		if e.ObjectType == "user" {
			if id, err := strconv.ParseInt(e.ObjectID, 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	names, err := s.accounts.Names(ctx, slices.Compact(ids))
	if err != nil {
		return nil, err
	}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		r := auditRow{At: e.At, Actor: e.ActorLabel, ActorIP: e.IP, ActorID: e.ActorID, Summary: e.Summary,
			Action: s.auditText(l, "audit.action."+e.Action, e.Action), Changes: auditChanges(l, s.cat, e.Before, e.After)}
		if n, ok := names[e.ActorID]; ok && e.ActorID != 0 {
			r.Actor = n + " (" + e.ActorLabel + ")"
		}
		r.Object = s.auditText(l, "audit.type."+e.ObjectType, e.ObjectType)
		if e.ObjectID != "" {
			r.Object += " " + e.ObjectID
		}
		switch e.ObjectType {
		case "user":
			if id, err := strconv.ParseInt(e.ObjectID, 10, 64); err == nil {
				if n, ok := names[id]; ok {
					r.Object = s.auditText(l, "audit.type.user", "user") + ": " + n
				}
				r.Link = "/admin/users/" + e.ObjectID
			}
		case "holiday", "calendar_year":
			if len(e.ObjectID) >= 4 {
				r.Link = "/admin/calendar?year=" + e.ObjectID[:4]
			}
			if d, err := workday.ParseDate(e.ObjectID); err == nil {
				r.Object = s.auditText(l, "audit.type.holiday", "holiday") + " " + dayText(d)
			}
		case "setting":
			r.Link = "/admin/settings"
		}
		rows[i] = r
	}
	return rows, nil
}

// auditText is the catalogue's words for key, or fallback where there are none
// (an action of a later version, say).
func (s *Server) auditText(l i18n.Lang, key, fallback string) string {
	if s.cat.Has(l, key) {
		return s.cat.T(l, key)
	}
	return fallback
}

// auditChanges reads an entry's before and after summaries (JSON objects) as a
// list of the fields that differ, in name order.
func auditChanges(l i18n.Lang, cat *i18n.Catalog, before, after string) []auditChange {
	b, a := jsonFields(before), jsonFields(after)
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []auditChange
	for _, k := range keys {
		if b[k] == a[k] {
			continue
		}
		field := k
		if cat.Has(l, "audit.field."+k) {
			field = cat.T(l, "audit.field."+k)
		}
		out = append(out, auditChange{Field: field, Before: b[k], After: a[k]})
	}
	return out
}

// jsonFields flattens a JSON object's top level into text; anything else is
// shown whole under "".
func jsonFields(s string) map[string]string {
	out := map[string]string{}
	if s == "" {
		return out
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		out[""] = s
		return out
	}
	for k, v := range m {
		switch x := v.(type) {
		case nil:
			out[k] = ""
		case string:
			out[k] = x
		default:
			j, _ := json.Marshal(x)
			out[k] = string(j)
		}
	}
	return out
}

type auditPageData struct {
	Rows        []auditRow
	Q           url.Values
	Older       string // the address of the next page, if there is one
	Groups      []auditGroup
	ObjectTypes []string
	Staff       []account.User
	Problem     string // a filter that could not be read
}

// userTrail is the last entries about one account, in words.
func (s *Server) userTrail(ctx context.Context, l i18n.Lang, id int64) ([]auditRow, error) {
	entries, err := audit.List(ctx, s.db, audit.Filter{ObjectType: "user", ObjectID: strconv.FormatInt(id, 10), Limit: 20})
	if err != nil {
		return nil, err
	}
	return s.auditRows(ctx, l, entries)
}
