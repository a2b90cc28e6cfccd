package referral

import (
	"context"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/workday"
)

// Export writes the referrals u may see (a division officer: their
// division's) as an Excel workbook, newest first.
func (s *Service) Export(ctx context.Context, u account.User, w io.Writer) error {
	list, _, err := s.List(ctx, u, Filter{Limit: 5000})
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Rujukan"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 22})
	head := []any{}
	for _, h := range []string{"No. permohonan", "Usaha", "Bidang", "Alasan", "Status", "Nomor sertifikat", "Catatan", "Dirujuk pada", "Batas tanggapan"} {
		head = append(head, excelize.Cell{StyleID: bold, Value: h})
	}
	_ = sw.SetColWidth(1, 9, 22)
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for i, x := range list {
		row := []any{x.AppNumber, x.Business, DivisionName(x.Division, i18n.ID), x.Reason, StatusName(x.Status, i18n.ID), x.Certificate, x.Note,
			excelize.Cell{StyleID: dateStyle, Value: wall(x.CreatedAt)}}
		if x.DueAt != nil {
			row = append(row, excelize.Cell{StyleID: dateStyle, Value: wall(*x.DueAt)})
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// wall is t as WIB wall-clock time for Excel, which knows no time zones.
func wall(t time.Time) time.Time {
	w := workday.InWIB(t)
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, time.UTC)
}
