package curation

import (
	"slices"

	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/i18n"
)

// DefaultRubric is the rubric a fresh installation starts with, version 1 and
// not yet stored (ID 0). It combines what DOMAIN.md records of practice: the
// Sidoarjo model (legality as a gate, criteria scored 1–5 against a target of
// 3, weighted; below target is an improvement note), Rumah Kurasi Kediri's
// criteria, and the label content of Peraturan BPOM 31/2018 as amended by
// 20/2021. The Office edits it; every edit is a new version.
//
// Weights sum to 100 for food and drink. A non-food product (batik, crafts,
// fashion) is scored on material and workmanship instead of taste and has no
// label, shelf-life or production-code criteria: its weights (74) are
// renormalised, so it can reach 100 like any food.
//
// The pass mark is 55, the lowest score of grade C: "adequate" (3) on every
// criterion is 50 and does not pass, so a product must be better than adequate
// somewhere. Grades: A from 85, B from 70, C from 55, else D.
func DefaultRubric() Rubric {
	food, nonFood := foodCategories()
	var cs []Criterion
	add := func(code string, weight int, only []string, name, desc i18n.Text, anchors ...i18n.Text) {
		c := Criterion{Code: code, Name: name, Description: desc, Weight: weight, Target: 3, Mandatory: true,
			AppliesTo: slices.Clone(only), Scale: Scale{Min: 1, Max: 5}}
		for i, a := range anchors {
			c.Scale.Anchors = append(c.Scale.Anchors, Anchor{Score: i + 1, Text: a})
		}
		cs = append(cs, c)
	}

	add("rasa", 20, food,
		i18n.Text{ID: "Rasa dan mutu pangan", EN: "Taste and food quality"},
		i18n.Text{ID: "Rasa, aroma, tekstur, dan kebersihan produk, dan apakah mutunya sama dari sampel ke sampel.",
			EN: "Taste, smell, texture and cleanliness of the product, and whether its quality is the same from sample to sample."},
		i18n.Text{ID: "Tidak layak: hambar, terlalu asin atau manis, tengik, atau ada tanda rusak.", EN: "Not acceptable: bland, too salty or sweet, rancid, or showing signs of spoilage."},
		i18n.Text{ID: "Kurang: ada kekurangan yang jelas pada rasa, aroma, atau tekstur, atau mutu sampel tidak sama.", EN: "Weak: clear faults in taste, smell or texture, or samples differ in quality."},
		i18n.Text{ID: "Cukup: enak dan layak jual, tanpa cacat berarti.", EN: "Adequate: pleasant and saleable, with no real faults."},
		i18n.Text{ID: "Baik: enak, aroma dan tekstur pas, mutu sama di semua sampel.", EN: "Good: tasty, with the right smell and texture, the same in every sample."},
		i18n.Text{ID: "Sangat baik: istimewa dan khas, membuat pembeli ingin membeli lagi; mutunya selalu sama.", EN: "Excellent: outstanding and distinctive, makes buyers come back; always the same quality."},
	)
	add("mutu", 20, nonFood,
		i18n.Text{ID: "Mutu bahan dan pengerjaan", EN: "Material and workmanship"},
		i18n.Text{ID: "Mutu bahan dan kerapian pengerjaan produk nonpangan (kain, jahitan, warna, anyaman, ukiran), dan apakah sama dari sampel ke sampel.",
			EN: "Quality of the material and neatness of the work of a non-food product (cloth, seams, colour, weaving, carving), and whether it is the same from sample to sample."},
		i18n.Text{ID: "Tidak layak: bahan mudah rusak atau pengerjaan kasar; jahitan lepas, warna luntur, atau cacat terlihat.", EN: "Not acceptable: fragile material or rough work; loose seams, running colours or visible defects."},
		i18n.Text{ID: "Kurang: ada beberapa cacat kecil yang terlihat, atau kerapian sampel tidak sama.", EN: "Weak: some small visible defects, or samples differ in finish."},
		i18n.Text{ID: "Cukup: bahan dan pengerjaan layak jual, tanpa cacat berarti.", EN: "Adequate: material and work fit for sale, with no real defects."},
		i18n.Text{ID: "Baik: bahan bermutu, pengerjaan rapi dan sama di semua sampel.", EN: "Good: quality material, neat work, the same in every sample."},
		i18n.Text{ID: "Sangat baik: bahan pilihan dan pengerjaan halus, setara produk galeri terbaik.", EN: "Excellent: choice material and fine work, on a par with the gallery's best."},
	)
	add("kemasan", 12, nil,
		i18n.Text{ID: "Bahan kemasan", EN: "Packaging material"},
		i18n.Text{ID: "Kekuatan dan keamanan kemasan: melindungi produk selama di rak dan dibawa pembeli; untuk pangan, bahan aman untuk pangan (food grade) dan tertutup rapat.",
			EN: "Strength and safety of the packaging: it protects the product on the shelf and on the way home; for food, food-grade material, tightly sealed."},
		i18n.Text{ID: "Tanpa kemasan, atau kemasan tidak melindungi: mudah sobek atau bocor, atau bahannya tidak aman untuk pangan.", EN: "No packaging, or packaging that does not protect: tears or leaks easily, or is not food-safe."},
		i18n.Text{ID: "Kurang: kemasan tipis atau tidak rapat, sehingga produk mudah rusak, penyok, atau melempem.", EN: "Weak: thin or poorly sealed packaging, so the product is easily damaged, dented or goes stale."},
		i18n.Text{ID: "Cukup: kemasan cukup kuat dan tertutup rapat, melindungi produk di rak.", EN: "Adequate: packaging strong enough and well sealed, protecting the product on the shelf."},
		i18n.Text{ID: "Baik: kemasan kuat dan rapat, bahannya sesuai produk (misalnya standing pouch berlapis atau botol kaca), mudah dibuka dan ditutup kembali.", EN: "Good: strong, tight packaging of a material suited to the product (e.g. a laminated stand-up pouch or a glass jar), easy to open and reclose."},
		i18n.Text{ID: "Sangat baik: kemasan kuat dan menarik, bahannya aman dan sesuai, menjaga mutu selama masa simpan, dan ramah lingkungan atau dapat dipakai ulang.", EN: "Excellent: strong and attractive packaging of a safe, suitable material that keeps the quality for the whole shelf life, and is eco-friendly or reusable."},
	)
	add("desain", 10, nil,
		i18n.Text{ID: "Desain kemasan", EN: "Packaging design"},
		i18n.Text{ID: "Tampilan kemasan dan merek: menarik, rapi, mudah dikenali di rak.", EN: "Look of the packaging and brand: attractive, neat, easy to recognise on the shelf."},
		i18n.Text{ID: "Tanpa desain: tidak ada merek atau gambar, hanya plastik polos atau tulisan tangan.", EN: "No design: no brand or picture, only plain plastic or handwriting."},
		i18n.Text{ID: "Kurang: ada merek, tetapi tampilannya kurang rapi dan warna atau hurufnya sulit dibaca.", EN: "Weak: there is a brand, but the look is untidy and the colours or letters are hard to read."},
		i18n.Text{ID: "Cukup: merek terlihat jelas, tampilan rapi, cukup menarik di rak.", EN: "Adequate: the brand is clear, the look neat, attractive enough on the shelf."},
		i18n.Text{ID: "Baik: desain menarik dan konsisten, menonjol di rak, sesuai calon pembelinya.", EN: "Good: an attractive, consistent design that stands out on the shelf and suits its buyers."},
		i18n.Text{ID: "Sangat baik: desain profesional dan khas, mudah diingat, layak menjadi oleh-oleh atau hadiah.", EN: "Excellent: a professional, distinctive design, memorable, fit to be a souvenir or a gift."},
	)
	add("label", 12, food,
		i18n.Text{ID: "Keterangan label", EN: "Label information"},
		i18n.Text{ID: "Keterangan wajib pada label pangan olahan (Peraturan BPOM 31/2018 jo. 20/2021): nama produk; daftar bahan (komposisi); berat bersih atau isi bersih; nama dan alamat produsen; logo halal bila bersertifikat; kode produksi; tanggal kedaluwarsa (tanggal, bulan, tahun); nomor izin edar (P-IRT atau BPOM MD).",
			EN: "What the label of packaged food must show (BPOM Regulation 31/2018 as amended by 20/2021): product name; ingredients; net weight or net content; producer's name and address; the halal mark if certified; production code; expiry date (day, month, year); permit number (P-IRT or BPOM MD)."},
		i18n.Text{ID: "Tanpa label, atau sebagian besar keterangan wajib tidak ada.", EN: "No label, or most of the required information is missing."},
		i18n.Text{ID: "Kurang: ada label, tetapi satu atau lebih keterangan wajib belum ada (misalnya komposisi, berat bersih, tanggal kedaluwarsa, atau nomor izin edar).", EN: "Weak: there is a label, but one or more required items are missing (e.g. ingredients, net weight, expiry date or permit number)."},
		i18n.Text{ID: "Cukup: semua keterangan wajib ada (nama produk, komposisi, berat bersih atau isi bersih, nama dan alamat produsen, kode produksi, tanggal kedaluwarsa, nomor izin edar, dan logo halal bila bersertifikat), walau tulisannya kecil atau kurang rapi.", EN: "Adequate: every required item is there (product name, ingredients, net weight or content, producer's name and address, production code, expiry date, permit number, and the halal mark if certified), even if small or untidy."},
		i18n.Text{ID: "Baik: semua keterangan wajib ada, jelas dan mudah dibaca, dalam Bahasa Indonesia.", EN: "Good: every required item is there, clear and easy to read, in Bahasa Indonesia."},
		i18n.Text{ID: "Sangat baik: keterangan wajib lengkap dan jelas, ditambah informasi yang membantu pembeli: nilai gizi, cara penyimpanan, saran penyajian, dan kontak produsen.", EN: "Excellent: every required item, clear, plus what helps buyers: nutrition facts, storage, serving suggestions and the producer's contact."},
	)
	add("masa_simpan", 8, food,
		i18n.Text{ID: "Masa simpan", EN: "Shelf life"},
		i18n.Text{ID: "Berapa lama produk tetap baik dalam kemasan tertutup, seperti tertulis di label dan terlihat pada sampel. Produk galeri dititipjualkan (konsinyasi) dan perlu waktu di rak.",
			EN: "How long the product stays good in its closed packaging, as the label says and the samples show. Gallery products are sold on consignment and need time on the shelf."},
		i18n.Text{ID: "Kurang dari 1 minggu, atau tidak diketahui.", EN: "Less than a week, or not known."},
		i18n.Text{ID: "1 minggu sampai kurang dari 1 bulan.", EN: "A week to less than a month."},
		i18n.Text{ID: "1 sampai 3 bulan.", EN: "One to three months."},
		i18n.Text{ID: "Lebih dari 3 sampai 6 bulan.", EN: "More than three and up to six months."},
		i18n.Text{ID: "Lebih dari 6 bulan, dengan tanggal kedaluwarsa yang jelas.", EN: "More than six months, with a clear expiry date."},
	)
	add("kode_produksi", 6, food,
		i18n.Text{ID: "Kode produksi", EN: "Production code"},
		i18n.Text{ID: "Kode pada setiap kemasan yang menunjukkan kapan dan dalam kelompok (batch) mana produk dibuat, sehingga produk dapat ditelusuri dan ditarik bila ada masalah.",
			EN: "A code on every pack saying when and in which batch the product was made, so it can be traced and recalled if something goes wrong."},
		i18n.Text{ID: "Tidak ada kode produksi maupun tanggal produksi.", EN: "Neither a production code nor a production date."},
		i18n.Text{ID: "Hanya tanggal produksi atau tanggal kedaluwarsa, tanpa kode produksi.", EN: "Only a production or expiry date, no production code."},
		i18n.Text{ID: "Ada kode produksi pada kemasan, tetapi belum konsisten atau tidak jelas artinya.", EN: "A production code on the pack, but not consistent or unclear in meaning."},
		i18n.Text{ID: "Kode produksi konsisten untuk setiap batch dan tercetak jelas.", EN: "A consistent production code for every batch, clearly printed."},
		i18n.Text{ID: "Kode produksi konsisten dan tercatat dalam catatan produksi, sehingga setiap kemasan dapat ditelusuri ke bahan dan tanggal pembuatannya.", EN: "A consistent production code kept in production records, so every pack can be traced to its ingredients and the day it was made."},
	)
	add("harga", 10, nil,
		i18n.Text{ID: "Harga", EN: "Price"},
		i18n.Text{ID: "Harga jual yang diusulkan dibandingkan dengan produk sejenis dan mutunya, termasuk ruang untuk bagi hasil galeri.",
			EN: "The proposed price against similar products and the product's quality, with room for the gallery's share."},
		i18n.Text{ID: "Jauh di atas harga produk sejenis tanpa alasan mutu, atau harganya belum ditentukan.", EN: "Far above similar products with no quality to justify it, or no price set."},
		i18n.Text{ID: "Lebih mahal dari produk sejenis dan belum sebanding dengan mutunya.", EN: "Dearer than similar products and not yet matched by its quality."},
		i18n.Text{ID: "Wajar: setara dengan produk sejenis.", EN: "Fair: in line with similar products."},
		i18n.Text{ID: "Bersaing: sebanding atau lebih baik dari produk sejenis untuk mutunya.", EN: "Competitive: as good as or better than similar products for its quality."},
		i18n.Text{ID: "Sangat bersaing: bernilai tinggi untuk harganya dan masih menyisakan bagi hasil yang layak untuk galeri.", EN: "Very competitive: high value for its price while leaving a fair share for the gallery."},
	)
	add("kapasitas", 10, nil,
		i18n.Text{ID: "Kapasitas produksi", EN: "Production capacity"},
		i18n.Text{ID: "Kemampuan memasok galeri secara teratur dengan mutu yang sama.", EN: "Ability to supply the gallery regularly at the same quality."},
		i18n.Text{ID: "Tidak tentu: hanya membuat bila ada pesanan, tidak dapat menjanjikan pasokan.", EN: "Uncertain: made only to order, no supply can be promised."},
		i18n.Text{ID: "Dapat memasok sesekali dalam jumlah kecil.", EN: "Can supply now and then, in small amounts."},
		i18n.Text{ID: "Dapat memasok rutin setiap bulan sebanyak yang dibutuhkan galeri.", EN: "Can supply every month as much as the gallery needs."},
		i18n.Text{ID: "Pasokan rutin dan stabil, dan dapat ditambah bila penjualan naik.", EN: "Regular, steady supply that can grow when sales rise."},
		i18n.Text{ID: "Kapasitas besar dan stabil, sanggup memenuhi pesanan besar (misalnya untuk acara atau oleh-oleh) tanpa menurunkan mutu.", EN: "Large, steady capacity, able to meet big orders (e.g. for events or souvenirs) without losing quality."},
	)
	add("keunikan", 12, nil,
		i18n.Text{ID: "Keunikan dan identitas lokal", EN: "Uniqueness and local identity"},
		i18n.Text{ID: "Ciri khas produk dan kaitannya dengan Jawa Timur: bahan lokal, resep atau motif daerah, cerita di balik produk.",
			EN: "What makes the product distinctive and how it belongs to East Java: local ingredients, regional recipes or motifs, the story behind it."},
		i18n.Text{ID: "Produk umum yang banyak di pasaran, tanpa pembeda.", EN: "A common product, found everywhere, with nothing to set it apart."},
		i18n.Text{ID: "Sedikit berbeda dari produk sejenis, tetapi belum menonjol.", EN: "A little different from similar products, but not standing out."},
		i18n.Text{ID: "Ada ciri khas yang jelas (rasa, bentuk, atau motif) yang membedakannya.", EN: "A clear character of its own (taste, shape or motif) that sets it apart."},
		i18n.Text{ID: "Khas dan terkait daerah: memakai bahan lokal atau resep atau motif khas Jawa Timur.", EN: "Distinctive and regional: local ingredients or an East Javanese recipe or motif."},
		i18n.Text{ID: "Sangat khas Jawa Timur: ikon daerah (misalnya batik motif daerah atau olahan khas kabupaten), ceritanya kuat, sulit ditemukan di tempat lain.", EN: "Unmistakably East Javanese: a regional icon (e.g. batik with a local motif or a regency's own speciality) with a strong story, hard to find elsewhere."},
	)

	return Rubric{
		Version:   1,
		Name:      i18n.Text{ID: "Rubrik kurasi produk galeri", EN: "Gallery product curation rubric"},
		Criteria:  cs,
		PassMark:  55,
		Grades:    []Grade{{"A", 85}, {"B", 70}, {"C", 55}, {"D", 0}},
		MaxSpread: 1,
		Gate:      GateSettings{Halal: Warn, Trademark: Warn},
	}
}

// foodCategories splits applicant.Categories into food and drink (IsFood, the
// same rule as the gate's and intake's) and the rest.
func foodCategories() (food, nonFood []string) {
	for _, c := range applicant.Categories {
		if applicant.IsFood(c) {
			food = append(food, c)
		} else {
			nonFood = append(nonFood, c)
		}
	}
	return food, nonFood
}
