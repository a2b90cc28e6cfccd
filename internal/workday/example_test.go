package workday_test

import (
	"fmt"
	"time"

	"github.com/etalase-id/etalase/internal/workday"
)

func ExampleCalendar_Due() {
	cal := workday.NewDefault()
	// A step with a 1-working-day standard started on Tuesday 17 March 2026: 18 March
	// cuti bersama, 19 Nyepi, 20 cuti bersama, 21–22 weekend and Idul Fitri,
	// 23–24 cuti bersama.
	start := time.Date(2026, 3, 17, 10, 0, 0, 0, workday.WIB)
	due := cal.Due(start, 1)
	fmt.Println(due.Format("Mon 2006-01-02 15:04:05 MST"))
	fmt.Println(cal.Status(due, time.Date(2026, 3, 25, 9, 0, 0, 0, workday.WIB)))
	fmt.Println(cal.Status(due, time.Date(2026, 3, 26, 9, 0, 0, 0, workday.WIB)))
	// Output:
	// Wed 2026-03-25 23:59:59 WIB
	// due_today
	// late
}

func ExampleCalendar_MissingYearWarning() {
	cal := workday.NewDefault()
	if w, ok := cal.MissingYearWarning(time.Date(2026, 10, 1, 8, 0, 0, 0, workday.WIB)); ok {
		fmt.Println(w.ID)
	}
	// Output:
	// Kalender hari kerja 2027 belum diisi. Sampai diisi, tenggat dihitung tanpa hari libur (hanya Sabtu–Minggu). Tambahkan hari libur nasional dan cuti bersama 2027 sesuai SKB 3 Menteri.
}
