package demo

import (
	"context"
	"fmt"
	"slices"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/print"
	"github.com/etalase-id/etalase/internal/referral"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
)

// divisionOfficers are the officers of the two divisions Staff has none for.
var divisionOfficers = []account.NewUser{
	{Name: "Wahyu Hidayat", Email: "wahyu.sni@demo.etalase.id", Role: role.Bidang, Division: role.Standardisasi},
	{Name: "Lina Marlina", Email: "lina.izin@demo.etalase.id", Role: role.Bidang, Division: role.Perizinan},
}

// seedReferrals refers demo SMEs to each division, the divisions' work in
// different states, and issues the HKI recommendation letter (a letter the
// verification page confirms).
func seedReferrals(ctx context.Context, s *app.App, c *clock, clerk account.User, officers map[role.Division]account.User) error {
	steps := []struct {
		owner    string
		division role.Division
		reason   string
		records  []referral.Record
	}{
		{"sri.keripik@demo.etalase.id", role.Halal, "Keripik tempe belum bersertifikat halal; syarat produk makanan di galeri.",
			[]referral.Record{{Status: referral.Contacted}, {Status: referral.InProgress}, {Status: referral.Done, Certificate: "ID35110000123450126", Note: "Sertifikat halal terbit melalui program SEHATI."}}},
		{"dewi.brem@demo.etalase.id", role.HKI, "Merek \"Brem Madiun Bu Dewi\" belum terdaftar di DJKI.",
			[]referral.Record{{Status: referral.Contacted}, {Status: referral.InProgress, Note: "Berkas permohonan merek sedang disiapkan."}}},
		{"aminah.bandeng@demo.etalase.id", role.Standardisasi, "Bandeng presto perlu pendampingan HACCP untuk pasar modern.", nil},
		{"081937700303", role.Halal, "Produk kerupuk belum bersertifikat halal.", nil},
		{"endah.pecel@demo.etalase.id", role.Perizinan, "Sambal pecel belum memiliki P-IRT.",
			[]referral.Record{{Status: referral.Declined, Note: "Pemohon sudah mengurus P-IRT sendiri di Dinas Kesehatan Kabupaten Madiun."}}},
	}
	for i, st := range steps {
		c.at(10+i/2, 10+i, 15)
		u, err := s.Accounts.ByLogin(ctx, st.owner)
		if err != nil {
			return err
		}
		b, err := s.Applicants.ByOwner(ctx, u.ID)
		if err != nil {
			return err
		}
		apps, err := s.Applications.ByBusiness(ctx, b.ID)
		if err != nil || len(apps) == 0 {
			return fmt.Errorf("demo referral: no application of %s: %v", st.owner, err)
		}
		x, err := s.Referrals.Refer(ctx, clerk, apps[0].ID, st.division, st.reason)
		if err != nil {
			return fmt.Errorf("demo referral of %s: %w", st.owner, err)
		}
		for j, rec := range st.records {
			c.at(11+i/2, 9+j, 30)
			if _, err := s.Referrals.Update(ctx, officers[st.division], x.ID, rec); err != nil {
				return fmt.Errorf("demo referral of %s: %w", st.owner, err)
			}
		}
		if st.division == role.HKI {
			if _, _, err := s.Referrals.Recommendation(ctx, officers[role.HKI], x.ID, print.DefaultOfficeName); err != nil {
				return err
			}
		}
	}
	return closeDarmo(ctx, s, c, clerk)
}

// closeDarmo takes Pak Darmo's application past its announced result (his
// kerupuk failed at the legality gate): the expert's feedback goes out (step
// 7) and his business is referred for the BPOM permit (step 8), which closes
// the application, so that he may re-apply once he has it. The referral's
// reason is the one the form suggests from the gate's finding; the licensing
// division has not answered it, so it is late on the due list.
func closeDarmo(ctx context.Context, s *app.App, c *clock, clerk account.User) error {
	u, err := s.Accounts.ByLogin(ctx, "darmo.kerupuk@demo.etalase.id")
	if err != nil {
		return err
	}
	b, err := s.Applicants.ByOwner(ctx, u.ID)
	if err != nil {
		return err
	}
	apps, err := s.Applications.ByBusiness(ctx, b.ID)
	if err != nil || len(apps) == 0 {
		return fmt.Errorf("demo: no application of Darmo: %v", err)
	}
	id := apps[0].ID
	c.at(6, 9, 30)
	if _, err := s.Applications.Do(ctx, clerk, id, sop.SendFeedback, ""); err != nil {
		return fmt.Errorf("demo feedback to Darmo: %w", err)
	}
	// The referral as the form pre-fills it from the gate's stored finding.
	sug, err := s.Referrals.Suggest(ctx, id)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(sug, func(x referral.Suggestion) bool { return x.Division == role.Perizinan })
	if i < 0 {
		return fmt.Errorf("demo: the gate found no permit for the licensing division in Darmo's kerupuk: %v", sug)
	}
	c.at(6, 10, 0)
	if _, err := s.Referrals.Refer(ctx, clerk, id, role.Perizinan, sug[i].Reason+" Dampingi pengurusannya sebelum produk dapat dipajang."); err != nil {
		return fmt.Errorf("demo referral of Darmo: %w", err)
	}
	if _, err := s.Applications.Do(ctx, clerk, id, sop.Refer, ""); err != nil {
		return fmt.Errorf("demo: Darmo's application referred: %w", err)
	}
	return nil
}
