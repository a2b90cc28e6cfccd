package message

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

func staff(u account.User) bool {
	return u.Active && (u.Role == role.StafGaleri || u.Role == role.Admin || u.Role == role.Kurator)
}

// OnTransition enqueues the applicant's notice of a transition, inside the
// transition's transaction: the message exists if and only if the change
// committed.
func (s *Service) OnTransition(ctx context.Context, tx *db.Tx, m application.Moved) error {
	var event string
	switch m.Action {
	case sop.Submit:
		event = ApplicationReceived
	case sop.ReturnDocuments:
		event = DocumentsReturned
	case sop.RecordSamples:
		event = SamplesReceived
	case sop.Announce:
		event = ResultPassed // or not passed: decided below from the decisions
	case sop.SendFeedback:
		event = Feedback
	case sop.Display:
		event = OnDisplay
	default:
		return nil
	}
	owner, err := s.Accounts.Get(ctx, m.App.OwnerID)
	if err != nil {
		return fmt.Errorf("message: owner of application %d: %w", m.App.ID, err)
	}
	vars, err := s.appVars(ctx, tx, m.App, owner)
	if err != nil {
		return err
	}
	if m.DueAt != nil {
		vars["due"] = FormatDate(*m.DueAt, owner.Lang)
	}
	vars["documents"] = bulletList(m.Reason)
	if m.Action == sop.Announce || m.Action == sop.SendFeedback {
		passed, notPassed, reasons, err := decisions(ctx, tx, m.App.ID)
		if err != nil {
			return err
		}
		vars["reasons"] = strings.Join(reasons, "\n")
		vars["documents"] = "-"
		if m.Action == sop.Announce {
			if len(passed) > 0 {
				vars["products"] = strings.Join(passed, ", ")
			} else {
				event = ResultNotPassed
				vars["products"] = strings.Join(notPassed, ", ")
			}
		}
	}
	// The result and the feedback come once per application (the procedure
	// announces it once); the other notices once per occurrence.
	key := fmt.Sprintf("%s:app%d:%s", event, m.App.ID, tx.Now.Format(time.RFC3339Nano))
	if m.Action == sop.Announce || m.Action == sop.SendFeedback || m.Action == sop.Display {
		key = fmt.Sprintf("%s:app%d", m.Action, m.App.ID)
	}
	if m.Action == sop.Display {
		// On display are the products that passed; the link is the catalogue.
		passed, _, _, err := decisions(ctx, tx, m.App.ID)
		if err != nil {
			return err
		}
		base, _ := s.Setting(ctx, SetBaseURL)
		vars["products"], vars["link"] = strings.Join(passed, ", "), strings.TrimRight(base, "/")+"/katalog"
	}
	_, err = s.Enqueue(ctx, tx, Notice{
		Event: event, Key: key,
		ApplicationID: m.App.ID, User: owner, Vars: vars,
	})
	return err
}

// appVars are the variables every notice about application a may use.
func (s *Service) appVars(ctx context.Context, tx db.Querier, a application.Application, owner account.User) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT p.name FROM application_products ap JOIN products p ON p.id = ap.product_id WHERE ap.application_id = ? ORDER BY p.name, p.id`, a.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	base, _ := s.Setting(ctx, SetBaseURL)
	return map[string]string{
		"name": owner.Name, "number": a.Number, "business": a.BusinessName,
		"products": strings.Join(names, ", "),
		"link":     strings.TrimRight(base, "/") + fmt.Sprintf("/applications/%d", a.ID),
	}, nil
}

// decisions reads the products passed and not passed, and the reasons of
// those not passed, one line each.
func decisions(ctx context.Context, tx db.Querier, appID int64) (passed, notPassed, reasons []string, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT p.name, d.decision, d.reason FROM product_decisions d JOIN products p ON p.id = d.product_id
		WHERE d.application_id = ? ORDER BY p.name, p.id`, appID)
	if err != nil {
		return nil, nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, decision, reason string
		if err := rows.Scan(&name, &decision, &reason); err != nil {
			return nil, nil, nil, err
		}
		if decision == "passed" {
			passed = append(passed, name)
		} else {
			notPassed = append(notPassed, name)
			reasons = append(reasons, reasonBlock(name, reason))
		}
	}
	return passed, notPassed, reasons, rows.Err()
}

// reasonBlock is one not-passed product's reasons in a message: the product,
// then each reason on a line of its own. The expert's reasons are often a list
// already ("- Nilai akhir …"); it is not bulleted twice.
func reasonBlock(name, reason string) string {
	var b strings.Builder
	b.WriteString(name + ":")
	for _, line := range strings.Split(reason, "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "- "))
		if line != "" {
			b.WriteString("\n- " + line)
		}
	}
	return b.String()
}

// bulletList turns the history's "a; b; c" into one line each.
func bulletList(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	parts := strings.Split(s, "; ")
	for i, p := range parts {
		parts[i] = "- " + strings.TrimSpace(p)
	}
	return strings.Join(parts, "\n")
}

var (
	monthsID = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
	monthsEN = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// FormatDate writes t's date in WIB as people write it: 3 Desember 2026.
func FormatDate(t time.Time, l i18n.Lang) string {
	w := workday.InWIB(t)
	if l == i18n.EN {
		return fmt.Sprintf("%d %s %d", w.Day(), monthsEN[w.Month()-1], w.Year())
	}
	return fmt.Sprintf("%d %s %d", w.Day(), monthsID[w.Month()-1], w.Year())
}
