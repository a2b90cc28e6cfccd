package idn

import (
	"strings"
	"testing"
)

func TestProvinces(t *testing.T) {
	ps := Provinces()
	if len(ps) != 38 {
		t.Fatalf("%d provinces, want 38", len(ps))
	}
	for i, p := range ps {
		if len(p.Code) != 2 || !allDigits(p.Code) || p.Name == "" {
			t.Errorf("bad province %+v", p)
		}
		if i > 0 && ps[i-1].Code >= p.Code {
			t.Errorf("provinces not in code order at %s", p.Code)
		}
		if got, ok := Province(p.Code); !ok || got != p {
			t.Errorf("Province(%q) = %+v, %v", p.Code, got, ok)
		}
	}
	ps[0].Name = "changed"
	if p, _ := Province("11"); p.Name != "Aceh" {
		t.Error("Provinces returned the package's own slice")
	}
}

func TestProvince(t *testing.T) {
	for _, c := range []struct {
		code, name string
		ok         bool
	}{
		{"11", "Aceh", true},
		{"19", "Kepulauan Bangka Belitung", true},
		{"21", "Kepulauan Riau", true},
		{"31", "DKI Jakarta", true},
		{"34", "Daerah Istimewa Yogyakarta", true},
		{"35", "Jawa Timur", true},
		{"36", "Banten", true},
		{"65", "Kalimantan Utara", true},
		{"76", "Sulawesi Barat", true},
		{"82", "Maluku Utara", true},
		{"91", "Papua", true},
		{"92", "Papua Barat", true},
		{"93", "Papua Selatan", true},
		{"94", "Papua Tengah", true},
		{"95", "Papua Pegunungan", true},
		{"96", "Papua Barat Daya", true},
		{"99", "", false},
		{"97", "", false},
		{"20", "", false},
		{"37", "", false},
		{"00", "", false},
		{"10", "", false},
		{"3", "", false},
		{"035", "", false},
		{"", "", false},
	} {
		p, ok := Province(c.code)
		if ok != c.ok || p.Name != c.name {
			t.Errorf("Province(%q) = %+v, %v; want %q, %v", c.code, p, ok, c.name, c.ok)
		}
	}
}

func TestRegency(t *testing.T) {
	for _, c := range []struct {
		code, name string
		city, ok   bool
	}{
		{"3501", "Kabupaten Pacitan", false, true},
		{"3506", "Kabupaten Kediri", false, true},
		{"3571", "Kota Kediri", true, true},
		{"3505", "Kabupaten Blitar", false, true},
		{"3572", "Kota Blitar", true, true},
		{"3507", "Kabupaten Malang", false, true},
		{"3573", "Kota Malang", true, true},
		{"3515", "Kabupaten Sidoarjo", false, true},
		{"3529", "Kabupaten Sumenep", false, true},
		{"3578", "Kota Surabaya", true, true},
		{"3579", "Kota Batu", true, true},
		{"3530", "", false, false},
		{"3570", "", false, false},
		{"3580", "", false, false},
		{"3500", "", false, false},
		{"3273", "", false, false}, // Kota Bandung: real, but outside East Java
		{"35", "", false, false},
		{"", "", false, false},
	} {
		r, ok := Regency(c.code)
		if ok != c.ok || r.Name != c.name || r.City != c.city {
			t.Errorf("Regency(%q) = %+v, %v", c.code, r, ok)
		}
	}
}

func TestRegenciesOf(t *testing.T) {
	rs := RegenciesOf("35")
	kab, kota := 0, 0
	for i, r := range rs {
		if r.ProvinceCode != "35" || !strings.HasPrefix(r.Code, "35") || len(r.Code) != 4 {
			t.Errorf("bad regency %+v", r)
		}
		if i > 0 && rs[i-1].Code >= r.Code {
			t.Errorf("not in code order at %s", r.Code)
		}
		if r.City {
			kota++
			if !strings.HasPrefix(r.Name, "Kota ") || r.Code[2] != '7' {
				t.Errorf("city %+v", r)
			}
		} else {
			kab++
			if !strings.HasPrefix(r.Name, "Kabupaten ") || r.Code[2] > '6' {
				t.Errorf("regency %+v", r)
			}
		}
	}
	if kab != 29 || kota != 9 {
		t.Errorf("%d kabupaten and %d kota, want 29 and 9", kab, kota)
	}
	for _, p := range []string{"32", "99", ""} {
		if rs := RegenciesOf(p); rs == nil || len(rs) != 0 {
			t.Errorf("RegenciesOf(%q) = %#v, want empty", p, rs)
		}
	}
	rs[0].Name = "changed"
	if r, _ := Regency("3501"); r.Name != "Kabupaten Pacitan" {
		t.Error("RegenciesOf returned the package's own slice")
	}
}
