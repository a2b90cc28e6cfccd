package idn

import (
	"slices"

	"github.com/etalase-id/etalase/internal/i18n"
)

// FoodType is a kind of food that matters to its permits. The product form asks
// for it (most products are the first, "umum"); the curation gate reads it.
type FoodType struct {
	Code         string    `json:"code"`
	Name         i18n.Text `json:"name"`
	Examples     i18n.Text `json:"examples"`
	RequiresBPOM bool      `json:"requires_bpom"` // may not use P-IRT: needs BPOM MD
	RequiresSNI  bool      `json:"requires_sni"`  // under a mandatory SNI: needs an SNI certificate
	NonHalal     bool      `json:"non_halal"`     // cannot be halal, so no certificate is asked for
}

// foodTypes follow Perka BPOM 22/2018 on what may not use P-IRT (DOMAIN.md). The
// mandatory-SNI foods listed are those commonly named (check): the list is data,
// meant to be edited as the rules change.
var foodTypes = []FoodType{
	{Code: "umum", Name: i18n.Text{ID: "Pangan olahan umum", EN: "Ordinary processed food"},
		Examples: i18n.Text{ID: "keripik, kue kering, sambal, kopi bubuk, minuman serbuk", EN: "chips, biscuits, sambal, ground coffee, powdered drinks"}},
	{Code: "susu", Name: i18n.Text{ID: "Susu dan hasil olahannya", EN: "Milk and milk products"},
		Examples: i18n.Text{ID: "susu pasteurisasi, yoghurt, keju, es krim", EN: "pasteurised milk, yoghurt, cheese, ice cream"}, RequiresBPOM: true},
	{Code: "beku", Name: i18n.Text{ID: "Daging, ikan, atau unggas beku", EN: "Frozen meat, fish or poultry"},
		Examples: i18n.Text{ID: "nugget, bakso, atau dimsum yang dijual beku", EN: "nuggets, meatballs or dim sum sold frozen"}, RequiresBPOM: true},
	{Code: "kaleng", Name: i18n.Text{ID: "Pangan kaleng berasam rendah", EN: "Low-acid canned food"},
		Examples: i18n.Text{ID: "rendang, gudeg, atau ikan dalam kaleng", EN: "canned rendang, gudeg or fish"}, RequiresBPOM: true},
	{Code: "bayi", Name: i18n.Text{ID: "Makanan bayi", EN: "Baby food"},
		Examples: i18n.Text{ID: "bubur bayi, biskuit bayi", EN: "baby porridge, baby biscuits"}, RequiresBPOM: true},
	{Code: "alkohol", Name: i18n.Text{ID: "Minuman beralkohol", EN: "Alcoholic drinks"},
		Examples: i18n.Text{ID: "tuak, arak, anggur buah", EN: "palm wine, arrack, fruit wine"}, RequiresBPOM: true, NonHalal: true},
	{Code: "amdk", Name: i18n.Text{ID: "Air minum dalam kemasan", EN: "Bottled drinking water"},
		Examples: i18n.Text{ID: "air mineral, air demineral dalam botol atau gelas", EN: "mineral or demineralised water in bottles or cups"}, RequiresBPOM: true, RequiresSNI: true},
	{Code: "sni_wajib", Name: i18n.Text{ID: "Pangan yang wajib SNI", EN: "Food under a mandatory SNI"},
		Examples: i18n.Text{ID: "garam beryodium, tepung terigu, gula kristal putih, minyak goreng sawit, kopi instan, kakao bubuk", EN: "iodised salt, wheat flour, white sugar, palm cooking oil, instant coffee, cocoa powder"}, RequiresBPOM: true, RequiresSNI: true},
}

// FoodTypes lists the food types, "umum" first. The slice is a copy.
func FoodTypes() []FoodType { return slices.Clone(foodTypes) }

// FoodTypeByCode returns the food type with code; "" is "umum".
func FoodTypeByCode(code string) (FoodType, bool) {
	if code == "" {
		return foodTypes[0], true
	}
	for _, ft := range foodTypes {
		if ft.Code == code {
			return ft, true
		}
	}
	return FoodType{}, false
}
