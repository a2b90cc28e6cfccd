package register_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/register"
)

// BenchmarkApplicationsRegister writes the register of 300 applications,
// against listing them (one query) as the baseline in the same run.
func BenchmarkApplicationsRegister(b *testing.B) {
	const n = 300
	w := newWorld(b, dbtest.Open(b, db.SQLite))
	for i := range n {
		w.draft(fmt.Sprintf("ukm%d@contoh.id", i), applicant.BusinessInput{Name: fmt.Sprintf("Usaha %d", i), OwnerName: "Pemilik",
			ProvinceCode: "35", RegencyCode: "3578", WhatsApp: fmt.Sprintf("0812%08d", i)})
	}
	b.Run("baseline-list", func(b *testing.B) {
		for b.Loop() {
			if apps, err := w.app.Applications.List(w.ctx, application.Filter{Limit: application.MaxPageSize}); err != nil || len(apps.Items) != application.MaxPageSize {
				b.Fatal(len(apps.Items), err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("register", func(b *testing.B) {
		for b.Loop() {
			if err := register.Applications(w.ctx, io.Discard, w.src, application.Filter{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
