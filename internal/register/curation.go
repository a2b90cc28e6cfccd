package register

import (
	"context"
	"io"
	"strings"

	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
)

// CurationRound writes the register of a curation round as .xlsx to w: per
// product, one row for each reviewer's submitted review (their score on every
// criterion and their own weighted score) and one row for the combined result
// (the means, the combined score, the grade, the gate, the decision and its
// reasons). It reads in one snapshot (db.ReadTx) and streams the sheet.
func CurationRound(ctx context.Context, w io.Writer, d *db.DB, c *curation.Service, roundID int64) error {
	return d.ReadTx(ctx, func(ctx context.Context, _ db.Reader) error {
		rd, err := c.Round(ctx, roundID)
		if err != nil {
			return err
		}
		rub, err := c.RubricVersion(ctx, rd.RubricID, rd.RubricVersion)
		if err != nil {
			return err
		}
		cols := []column{{"Nomor permohonan", 17}, {"Nama usaha", 30}, {"Produk", 30}, {"Kategori", 14}, {"Baris", 12}, {"Penilai", 24}}
		for _, cr := range rub.Criteria {
			cols = append(cols, column{cr.Name.ID, 11})
		}
		cols = append(cols, column{"Nilai (0-100)", 11}, column{"Tingkat", 8}, column{"Legalitas", 30}, column{"Keputusan", 12}, column{"Alasan", 60})
		b, err := newBook("Kurasi", cols)
		if err != nil {
			return err
		}
		apps, err := c.RoundApplications(ctx, roundID)
		if err != nil {
			return b.close(err)
		}
		for _, a := range apps {
			ids, err := c.Applications.ProductIDs(ctx, a.ID)
			if err != nil {
				return b.close(err)
			}
			products, err := c.Applicants.ProductsByID(ctx, a.BusinessID, ids)
			if err != nil {
				return b.close(err)
			}
			reviews, err := c.AllReviews(ctx, a.ID)
			if err != nil {
				return b.close(err)
			}
			decisions, err := c.Decisions(ctx, a.ID)
			if err != nil {
				return b.close(err)
			}
			for _, p := range products {
				lead := []any{a.Number, a.BusinessName, p.Name, p.Category}
				for _, rv := range reviews {
					if rv.ProductID != p.ID || rv.Status != curation.Submitted {
						continue
					}
					who := rv.ReviewerName
					if rv.EnteredBy != "" {
						who += " (dimasukkan " + rv.EnteredBy + ")"
					}
					row := append(append([]any{}, lead...), map[string]string{curation.KindStaff: "Staf galeri", curation.KindExpert: "Tenaga ahli"}[rv.Kind], who)
					for _, cr := range rub.Criteria {
						var v any
						for _, sc := range rv.Scores {
							if sc.Criterion == cr.Code {
								v = sc.Score
							}
						}
						row = append(row, v)
					}
					var score any
					if t, err := curation.ReviewScore(rub, p.Category, rv.Review); err == nil {
						score = float64(t) / 10
					}
					row = append(row, score, nil, nil, nil, nil)
					if err := b.add(row); err != nil {
						return b.close(err)
					}
				}
				res, err := c.Result(ctx, a.ID, p.ID)
				if err != nil {
					continue // no combined result yet: its reviews are listed above
				}
				row := append(append([]any{}, lead...), "Gabungan", "")
				for _, cr := range rub.Criteria {
					var v any
					if x, ok := res.Combined.Result(cr.Code); ok && x.Scored() {
						v = float64(x.Mean) / 10
					}
					row = append(row, v)
				}
				gate := "lengkap"
				if !res.Gate.Passed {
					var fs []string
					for _, f := range res.Gate.Failures {
						fs = append(fs, f.Text.In(i18n.ID))
					}
					gate = "tidak lolos: " + strings.Join(fs, " ")
				}
				decision, reason := "belum", ""
				if dd, ok := decisions[p.ID]; ok {
					decision, reason = map[bool]string{true: "Lolos", false: "Tidak lolos"}[dd.Passed], dd.Reason
				}
				row = append(row, float64(res.Outcome.Score)/10, res.Outcome.Grade, gate, decision, reason)
				if err := b.add(row); err != nil {
					return b.close(err)
				}
			}
		}
		return b.finish(w)
	})
}
