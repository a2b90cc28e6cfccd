package importer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/importer"
)

// benchRows is the size of a large Google Form export: the old form had a few
// hundred responses.
const benchRows = 500

// benchCSV is a form export of benchRows applicants whose WhatsApp numbers
// start at batch*benchRows, so every batch is new people.
func benchCSV(batch int) string {
	var sb strings.Builder
	sb.WriteString("Timestamp,Nama Pemilik,NIK,Nama Usaha,NIB,Alamat Usaha,Kabupaten/Kota,No. WhatsApp,Email,Kategori Produk,Nama Produk,Harga Jual,Isi Bersih/Netto,Kemasan,Masa Simpan (hari),No. P-IRT,Komposisi\n")
	regencies := []string{"Kota Surabaya", "Kabupaten Sidoarjo", "Kota Malang", "Kab. Banyuwangi", "Kabupaten Jember", "Kota Kediri", "Kab. Gresik", "Madiun (Kota)"}
	for i := range benchRows {
		k := batch*benchRows + i
		fmt.Fprintf(&sb, "2/3/2023 9:%02d:00,Pemilik %d,35780%d%02d%02d0%d%04d,Usaha Camilan %d,9120%09d,\"Jl. Rungkut Madya %d, Rungkut\",%s,0812%08d,usaha%d@contoh.id,Makanan,Keripik %d 250 g,Rp %d.000,250 g,Standing pouch,180,20635780%05d-29,\"Singkong, minyak, garam\"\n",
			i%60, k, 1+i%3, 1+i%28+40*(i%2), 1+i%12, 7+i%3, 1+k%9999, k, k, i, regencies[i%len(regencies)], k, k, k, 10+i%90, k%100000)
	}
	return sb.String()
}

// BenchmarkImport500Rows measures a 500-row import from file to database,
// against reading the file alone as the baseline in the same run.
func BenchmarkImport500Rows(b *testing.B) {
	file := benchCSV(0)
	b.Run("baseline-read-only", func(b *testing.B) {
		for b.Loop() {
			if _, err := importer.Read(strings.NewReader(file)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	for _, e := range dbtest.Engines {
		b.Run("dry-run-"+string(e), func(b *testing.B) {
			w := newWorld(b, dbtest.Open(b, e))
			tbl, _ := importer.Read(strings.NewReader(file))
			for b.Loop() {
				if rep, err := w.im.DryRun(context.Background(), w.clerk, tbl, nil); err != nil || rep.Ready != benchRows {
					b.Fatalf("%v %+v", err, rep.Problems[:min(3, len(rep.Problems))])
				}
			}
			b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
		b.Run("read-and-import-"+string(e), func(b *testing.B) {
			w := newWorld(b, dbtest.Open(b, e))
			batch := 0
			for b.Loop() {
				batch++
				tbl, err := importer.Read(strings.NewReader(benchCSV(batch)))
				if err != nil {
					b.Fatal(err)
				}
				if rep, err := w.im.Run(context.Background(), w.clerk, tbl, nil); err != nil || len(rep.Imported) != benchRows {
					b.Fatalf("%v %+v", err, rep.Problems[:min(3, len(rep.Problems))])
				}
			}
			b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
