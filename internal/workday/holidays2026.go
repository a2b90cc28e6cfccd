package workday

import "time"

// Decree2026 names the decree the 2026 calendar comes from.
const Decree2026 = "SKB 3 Menteri tentang Hari Libur Nasional dan Cuti Bersama Tahun 2026"

// default2026 is the 2026 calendar: 17 national holidays and 8 collective leave days.
var default2026 = []struct {
	month time.Month
	day   int
	kind  Kind
	name  string
}{
	{1, 1, NationalHoliday, "Tahun Baru 2026 Masehi"},
	{1, 16, NationalHoliday, "Isra Mikraj Nabi Muhammad SAW"},
	{2, 16, CutiBersama, "Cuti Bersama Tahun Baru Imlek 2577 Kongzili"},
	{2, 17, NationalHoliday, "Tahun Baru Imlek 2577 Kongzili"},
	{3, 18, CutiBersama, "Cuti Bersama Hari Suci Nyepi Tahun Baru Saka 1948"},
	{3, 19, NationalHoliday, "Hari Suci Nyepi Tahun Baru Saka 1948"},
	{3, 20, CutiBersama, "Cuti Bersama Idul Fitri 1447 Hijriah"},
	{3, 21, NationalHoliday, "Idul Fitri 1447 Hijriah"},
	{3, 22, NationalHoliday, "Idul Fitri 1447 Hijriah"},
	{3, 23, CutiBersama, "Cuti Bersama Idul Fitri 1447 Hijriah"},
	{3, 24, CutiBersama, "Cuti Bersama Idul Fitri 1447 Hijriah"},
	{4, 3, NationalHoliday, "Wafat Yesus Kristus"},
	{4, 5, NationalHoliday, "Kebangkitan Yesus Kristus (Paskah)"},
	{5, 1, NationalHoliday, "Hari Buruh Internasional"},
	{5, 14, NationalHoliday, "Kenaikan Yesus Kristus"},
	{5, 15, CutiBersama, "Cuti Bersama Kenaikan Yesus Kristus"},
	{5, 27, NationalHoliday, "Idul Adha 1447 Hijriah"},
	{5, 28, CutiBersama, "Cuti Bersama Idul Adha 1447 Hijriah"},
	{5, 31, NationalHoliday, "Hari Raya Waisak 2570 BE"},
	{6, 1, NationalHoliday, "Hari Lahir Pancasila"},
	{6, 16, NationalHoliday, "1 Muharam Tahun Baru Islam 1448 Hijriah"},
	{8, 17, NationalHoliday, "Hari Proklamasi Kemerdekaan Republik Indonesia"},
	{8, 25, NationalHoliday, "Maulid Nabi Muhammad SAW"},
	{12, 24, CutiBersama, "Cuti Bersama Kelahiran Yesus Kristus"},
	{12, 25, NationalHoliday, "Kelahiran Yesus Kristus"},
}

// Default2026 returns the 2026 national holidays and collective leave days of the
// SKB 3 Menteri, in date order. Each call returns a fresh slice the caller may
// change.
func Default2026() []Holiday {
	hs := make([]Holiday, len(default2026))
	for i, h := range default2026 {
		hs[i] = Holiday{
			Date:   Date{2026, h.month, h.day},
			Name:   h.name,
			Kind:   h.kind,
			Decree: Decree2026,
		}
	}
	return hs
}
