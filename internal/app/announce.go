package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/letter"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/print"
	"github.com/etalase-id/etalase/internal/settings"
	"github.com/etalase-id/etalase/internal/workday"
)

var errAnnounceRole = apperr.New(apperr.Forbidden, "announce.role",
	"Hanya staf galeri yang mengelola putaran kurasi yang dapat mengumumkan hasilnya.",
	"Only the gallery staff who run curation rounds may announce their results.")

// AnnounceRound publishes the results of curation round roundID (SOP step 5)
// as one action, once: curation's guard freezes the round and names its
// applications, each applicant's own result is enqueued by WhatsApp and
// e-mail, and the announcement is audited — all in one transaction. It
// returns the IDs of the applications announced.
func (a *App) AnnounceRound(ctx context.Context, u account.User, roundID int64) ([]int64, error) {
	if !policy.CuratesRounds(u) {
		return nil, errAnnounceRole
	}
	return a.Messages.PublishResults(ctx, u, roundID, func(ctx context.Context, tx *db.Tx, roundID int64) ([]int64, error) {
		ids, err := a.Curation.MarkAnnounced(ctx, tx, roundID)
		if err != nil {
			return nil, err
		}
		r, err := a.Curation.Round(ctx, roundID)
		if err != nil {
			return nil, err
		}
		if err := audit.Record(ctx, tx, "round.announce", "round", fmt.Sprint(roundID),
			fmt.Sprintf("Hasil putaran %s diumumkan kepada %d pemohon", r.Name, len(ids)), nil, nil); err != nil {
			return nil, err
		}
		if err := a.issueAnnouncementLetter(ctx, tx, r, len(ids)); err != nil {
			return nil, err
		}
		return ids, nil
	})
}

// AnnouncementContent is what a round's announcement letter states, as issued
// at the announcement: the passed SMEs (business, regency, product, grade)
// and counts — nothing personal.
type AnnouncementContent struct {
	Number     string               `json:"number"`
	IssuedOn   string               `json:"issued_on"`
	Round      string               `json:"round"`
	Office     string               `json:"office"`
	Passed     []AnnouncementPassed `json:"passed"`
	Applicants int                  `json:"applicants"`
	NotPassed  int                  `json:"not_passed"`
}

// AnnouncementPassed is one passed product on the letter.
type AnnouncementPassed struct {
	Business string `json:"business"`
	Regency  string `json:"regency"`
	Product  string `json:"product"`
	Grade    string `json:"grade"`
}

// announcementNumber is round r's letter number: one letter per round, so
// the number is the round's (PENG-KUR-<year announced>-<round id>).
func announcementNumber(r curation.Round) string {
	return fmt.Sprintf("PENG-KUR-%d-%04d", workday.InWIB(*r.AnnouncedAt).Year(), r.ID)
}

// issueAnnouncementLetter records round r's announcement letter in the
// letters register, in the announcement's transaction, so its QR code can be
// verified and it prints again alike.
func (a *App) issueAnnouncementLetter(ctx context.Context, tx *db.Tx, r curation.Round, applicants int) error {
	r.AnnouncedAt = &tx.Now
	office, _ := a.Settings.Get(ctx, settings.OfficeName)
	if office == "" {
		office = print.DefaultOfficeName
	}
	list, err := a.Curation.Announcement(ctx, r.ID)
	if err != nil {
		return err
	}
	c := AnnouncementContent{Number: announcementNumber(r), IssuedOn: workday.DateOf(tx.Now).String(), Round: r.Name, Office: office, Applicants: applicants}
	lines := []string{c.Number, c.IssuedOn, c.Round, c.Office}
	for _, x := range list {
		if !x.Passed {
			c.NotPassed++
			continue
		}
		p := AnnouncementPassed{Business: x.Business, Regency: x.Regency, Product: x.Product, Grade: x.Grade}
		c.Passed = append(c.Passed, p)
		lines = append(lines, strings.Join([]string{p.Business, p.Regency, p.Product, p.Grade}, "|"))
	}
	lines = append(lines, fmt.Sprint(c.Applicants), fmt.Sprint(c.NotPassed))
	content, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = a.Letters.Issue(ctx, tx, letter.Letter{Number: c.Number, Kind: letter.Announcement, IssuedOn: c.IssuedOn,
		Subject: "Pengumuman Hasil Kurasi " + r.Name, Office: office, Fingerprint: letter.Fingerprint(lines...), Content: string(content)}, 0)
	return err
}

// AnnouncementLetter returns round roundID's announcement letter and what it
// states; found is false for a round not announced.
func (a *App) AnnouncementLetter(ctx context.Context, roundID int64) (l letter.Letter, c AnnouncementContent, found bool, err error) {
	r, err := a.Curation.Round(ctx, roundID)
	if err != nil || !r.Announced() {
		return letter.Letter{}, c, false, nil
	}
	l, found, err = a.Letters.Lookup(ctx, announcementNumber(r))
	if err != nil || !found {
		return letter.Letter{}, c, false, err
	}
	err = json.Unmarshal([]byte(l.Content), &c)
	return l, c, err == nil, err
}
