package perf

import (
	"fmt"
	"strings"
)

// FormExport is a Google Form export of n new applicants, as the Office's old
// form wrote it (every column the import reads, valid NIKs and permits),
// whose WhatsApp numbers start at 0812 followed by from: two exports with
// different from name different people.
func FormExport(n, from int) string {
	var sb strings.Builder
	sb.WriteString("Timestamp,Nama Pemilik,NIK,Nama Usaha,NIB,Alamat Usaha,Kabupaten/Kota,No. WhatsApp,Email,Kategori Produk,Nama Produk,Harga Jual,Isi Bersih/Netto,Kemasan,Masa Simpan (hari),No. P-IRT,Komposisi\n")
	regencies := []string{"Kota Surabaya", "Kabupaten Sidoarjo", "Kota Malang", "Kab. Banyuwangi", "Kabupaten Jember", "Kota Kediri", "Kab. Gresik", "Madiun (Kota)"}
	for i := range n {
		k := from + i
		fmt.Fprintf(&sb, "2/3/2023 9:%02d:00,Pemilik %d,35780%d%02d%02d0%d%04d,Usaha Camilan %d,9120%09d,\"Jl. Rungkut Madya %d, Rungkut\",%s,0812%08d,usaha%d@contoh.id,Makanan,Keripik %d 250 g,Rp %d.000,250 g,Standing pouch,180,20635780%05d-29,\"Singkong, minyak, garam\"\n",
			i%60, k, 1+i%3, 1+i%28+40*(i%2), 1+i%12, 7+i%3, 1+k%9999, k, k, i, regencies[i%len(regencies)], k, k, k, 10+i%90, k%100000)
	}
	return sb.String()
}
