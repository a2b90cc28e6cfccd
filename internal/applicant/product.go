package applicant

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/sop"
)

// Product is one product of a business.
type Product struct {
	ID               int64     `json:"id"`
	BusinessID       int64     `json:"business_id"`
	Name             string    `json:"name"`
	Category         string    `json:"category"`
	FoodType         string    `json:"food_type,omitempty"` // idn.FoodTypes code for food and drink; "" is ordinary processed food
	Description      string    `json:"description,omitempty"`
	Composition      string    `json:"composition,omitempty"`
	NetContent       string    `json:"net_content,omitempty"`
	Packaging        string    `json:"packaging,omitempty"`
	ShelfLifeDays    int       `json:"shelf_life_days,omitempty"`
	Price            int64     `json:"price,omitempty"` // Rupiah to consumers; 0 = not given
	CapacityPerMonth int       `json:"capacity_per_month,omitempty"`
	PIRT             string    `json:"pirt,omitempty"`
	Halal            string    `json:"halal,omitempty"`
	BPOM             string    `json:"bpom,omitempty"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// ProductInput is a product as typed on the form.
type ProductInput struct {
	Name, Category, FoodType, Description, Composition, NetContent, Packaging string
	ShelfLifeDays, Price, CapacityPerMonth                                    string
	PIRT, Halal, BPOM                                                         string
	// Reason is why gallery staff change a product of an application under
	// review (written into its history).
	Reason string
}

// ErrProductNotFound hides products that are not the asker's.
var ErrProductNotFound = apperr.New(apperr.NotFound, "product.not_found", "Produk tidak ditemukan.", "Product not found.")

const productColumns = `id, business_id, name, category, food_type, description, composition, net_content, packaging,
	COALESCE(shelf_life_days, 0), COALESCE(price, 0), COALESCE(capacity_per_month, 0), pirt, halal, bpom, created_at, updated_at`

func scanProduct(row interface{ Scan(...any) error }) (Product, error) {
	var p Product
	err := row.Scan(&p.ID, &p.BusinessID, &p.Name, &p.Category, &p.FoodType, &p.Description, &p.Composition, &p.NetContent, &p.Packaging,
		&p.ShelfLifeDays, &p.Price, &p.CapacityPerMonth, &p.PIRT, &p.Halal, &p.BPOM, &p.CreatedAt, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Product{}, ErrProductNotFound
	}
	return p, err
}

// Products lists the business's current products by name.
func (s *Service) Products(ctx context.Context, businessID int64) ([]Product, error) {
	return s.products(ctx, "SELECT "+productColumns+" FROM products WHERE business_id = ? AND archived = FALSE ORDER BY lower(name), id", businessID)
}

// products runs q and reads its rows as products.
func (s *Service) products(ctx context.Context, q string, args ...any) ([]Product, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Product
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Product returns one product of the business.
func (s *Service) Product(ctx context.Context, businessID, id int64) (Product, error) {
	return scanProduct(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+productColumns+" FROM products WHERE id = ? AND business_id = ?", id, businessID))
}

// ProductsByID returns the products of the business with the given ids, by
// name (archived ones too: an application keeps the products it was made with).
func (s *Service) ProductsByID(ctx context.Context, businessID int64, ids []int64) ([]Product, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	args := []any{businessID}
	for _, id := range ids {
		args = append(args, id)
	}
	return s.products(ctx, "SELECT "+productColumns+" FROM products WHERE business_id = ? AND id IN ("+marks+") ORDER BY lower(name), id", args...)
}

// ProductsOfApplication lists the products of business businessID that
// application appID is for, in one query (the application's page reads them on
// every view).
func (s *Service) ProductsOfApplication(ctx context.Context, businessID, appID int64) ([]Product, error) {
	return s.products(ctx, "SELECT "+productColumns+` FROM products
		WHERE business_id = ? AND id IN (SELECT product_id FROM application_products WHERE application_id = ?) ORDER BY lower(name), id`, businessID, appID)
}

type productChecked struct {
	in                  ProductInput
	shelf, price, capty any
}

func (s *Service) checkProduct(ctx context.Context, in ProductInput) (productChecked, []idn.Problem, error) {
	var f apperr.Form
	var warnings []idn.Problem
	for _, x := range []struct {
		p     *string
		max   int
		field string
	}{{&in.Name, 200, "name"}, {&in.Category, 100, "category"}, {&in.Description, 2000, "description"}, {&in.Composition, 2000, "composition"},
		{&in.NetContent, 50, "net_content"}, {&in.Packaging, 200, "packaging"}} {
		*x.p = strings.TrimSpace(*x.p)
		if len([]rune(*x.p)) > x.max {
			f.Addf(x.field, fmt.Sprintf("Terlalu panjang (maksimal %d karakter).", x.max), fmt.Sprintf("Too long (%d characters at most).", x.max))
		}
	}
	if in.Name == "" {
		f.Addf("name", "Nama produk wajib diisi.", "The product needs a name.")
	}
	in.FoodType = strings.TrimSpace(in.FoodType)
	if !IsFood(in.Category) {
		in.FoodType = "" // a food type is asked of food and drink only
	} else if ft, ok := idn.FoodTypeByCode(in.FoodType); !ok {
		f.Addf("food_type", "Pilih jenis pangan dari daftar.", "Choose the food type from the list.")
	} else if ft.RequiresBPOM && strings.TrimSpace(in.BPOM) == "" {
		// Said now, not first at curation: this product cannot go on a P-IRT.
		warnings = append(warnings, idn.Problem{Code: "product.bpom_required", Text: i18n.Text{
			ID: fmt.Sprintf("Produk jenis %s tidak boleh memakai P-IRT; perlu izin edar BPOM MD. Isi nomornya bila sudah ada.", strings.ToLower(ft.Name.ID)),
			EN: fmt.Sprintf("Products of the type %s may not use a P-IRT; they need a BPOM MD registration. Enter its number if you have one.", strings.ToLower(ft.Name.EN))}})
	}
	c := productChecked{in: in}
	positive := func(v, field, id, en string) any {
		v = strings.TrimSpace(v)
		if v == "" {
			return nil
		}
		n, err := strconv.Atoi(strings.ReplaceAll(v, ".", ""))
		if err != nil || n < 0 || n > 1_000_000_000 {
			f.Addf(field, id, en)
			return nil
		}
		return n
	}
	c.shelf = positive(in.ShelfLifeDays, "shelf_life_days", "Masa simpan dalam hari, angka saja (misalnya 180).", "Shelf life in days, digits only (e.g. 180).")
	if c.shelf == 0 {
		f.Addf("shelf_life_days", "Masa simpan minimal 1 hari.", "Shelf life is at least 1 day.")
	}
	c.capty = positive(in.CapacityPerMonth, "capacity_per_month", "Kapasitas produksi per bulan, angka saja (misalnya 500).", "Production capacity per month, digits only (e.g. 500).")
	if v := strings.TrimSpace(in.Price); v != "" {
		n, err := idn.ParseRupiah(v)
		if t, ok := problemText(err); ok {
			f.Add("price", t)
		} else if err == nil {
			c.price = n
		}
	}
	for _, x := range []struct {
		kind  idn.Kind
		field string
		value *string
	}{{idn.KindPIRT, "pirt", &c.in.PIRT}, {idn.KindHalal, "halal", &c.in.Halal}, {idn.KindBPOM, "bpom", &c.in.BPOM}} {
		v := strings.TrimSpace(*x.value)
		if v == "" {
			continue
		}
		ck, err := idn.Check(x.kind, v, s.now(ctx))
		if t, ok := problemText(err); ok {
			f.Add(x.field, t)
		} else if err == nil {
			*x.value, warnings = ck.Normal, append(warnings, ck.Warnings...)
		}
	}
	return c, warnings, f.Err()
}

// SaveProduct adds, as u, a product to the business (id 0) or changes one of
// its products. A product in an application under review is fixed for the
// applicant; gallery staff must give a reason to change it.
func (s *Service) SaveProduct(ctx context.Context, u account.User, businessID, id int64, in ProductInput) (Product, []idn.Problem, error) {
	if _, err := s.ForEdit(ctx, u, businessID); err != nil {
		return Product{}, nil, err
	}
	c, warnings, err := s.checkProduct(ctx, in)
	if err != nil {
		return Product{}, nil, err
	}
	var p Product
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var before any
		if id != 0 {
			if err := s.amendProduct(ctx, tx, u, businessID, id, in.Reason); err != nil {
				return err
			}
		}
		if id == 0 {
			// A second tap on "Simpan" (or a retried request) arrives as a second
			// new product with the same name moments later: it is the same product.
			dup, err := s.recentTwin(ctx, tx, businessID, c.in.Name)
			if err != nil {
				return err
			}
			if dup != 0 {
				p, err = s.Product(ctx, businessID, dup)
				return err
			}
			if err := tx.QueryRowContext(ctx, "INSERT INTO products (business_id, name, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id",
				businessID, c.in.Name, tx.Now, tx.Now).Scan(&id); err != nil {
				return err
			}
		} else {
			old, err := s.Product(ctx, businessID, id)
			if err != nil {
				return err
			}
			before = productSummary(old)
		}
		in := c.in
		if _, err := tx.ExecContext(ctx, `UPDATE products SET name = ?, category = ?, food_type = ?, description = ?, composition = ?, net_content = ?, packaging = ?,
			shelf_life_days = ?, price = ?, capacity_per_month = ?, pirt = ?, halal = ?, bpom = ?, updated_at = ? WHERE id = ? AND business_id = ?`,
			in.Name, in.Category, in.FoodType, in.Description, in.Composition, in.NetContent, in.Packaging, c.shelf, c.price, c.capty,
			in.PIRT, in.Halal, in.BPOM, tx.Now, id, businessID); err != nil {
			return err
		}
		var err error
		if p, err = s.Product(ctx, businessID, id); err != nil {
			return err
		}
		action := "product.update"
		if before == nil {
			action = "product.create"
		}
		return audit.Record(ctx, tx, action, "product", fmt.Sprint(id), "Produk disimpan: "+p.Name, before, productSummary(p))
	})
	return p, warnings, err
}

// twinWindow is how long after a product is added a new one of the same name
// counts as the same submission sent twice.
const twinWindow = 2 * time.Minute

// recentTwin returns a product of the business with this name added within
// twinWindow, or 0. On PostgreSQL the business row is locked first, so two
// taps arriving together queue here and the second finds the first's product
// (SQLite's one writer queues them already).
func (s *Service) recentTwin(ctx context.Context, tx *db.Tx, businessID int64, name string) (int64, error) {
	if tx.Engine() == db.Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT id FROM businesses WHERE id = ? FOR UPDATE", businessID); err != nil {
			return 0, err
		}
	}
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM products WHERE business_id = ? AND lower(name) = lower(?) AND archived = FALSE AND created_at > ? ORDER BY id DESC LIMIT 1",
		businessID, name, tx.Now.Add(-twinWindow)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// amendProduct asks the engine before a product changes: a product in an
// application under review is what it is judged on.
func (s *Service) amendProduct(ctx context.Context, tx *db.Tx, u account.User, businessID, id int64, reason string) error {
	p, err := s.Product(ctx, businessID, id)
	if err != nil {
		return err
	}
	return s.Applications.Amend(ctx, tx, u, application.Change{BusinessID: businessID, ProductID: id,
		What: i18n.Text{ID: "produk " + p.Name, EN: "product " + p.Name}, Reason: reason})
}

// ArchiveProduct removes, as u, a product from the business's list; it stays
// in past applications.
func (s *Service) ArchiveProduct(ctx context.Context, u account.User, businessID, id int64, reason string) error {
	if _, err := s.ForEdit(ctx, u, businessID); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		p, err := s.Product(ctx, businessID, id)
		if err != nil {
			return err
		}
		if err := s.amendProduct(ctx, tx, u, businessID, id, reason); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE products SET archived = TRUE, updated_at = ? WHERE id = ?", tx.Now, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "product.archive", "product", fmt.Sprint(id), "Produk dihapus dari daftar: "+p.Name, productSummary(p), nil)
	})
}

func productSummary(p Product) map[string]any {
	return map[string]any{"name": p.Name, "category": p.Category, "food_type": p.FoodType, "price": p.Price, "net_content": p.NetContent, "pirt": p.PIRT, "halal": p.Halal, "bpom": p.BPOM}
}

// ProductFields names a product's fields as the form labels them.
var ProductFields = map[string]i18n.Text{
	"category":        {ID: "kategori", EN: "category"},
	"net_content":     {ID: "isi bersih", EN: "net content"},
	"packaging":       {ID: "kemasan", EN: "packaging"},
	"shelf_life_days": {ID: "masa simpan", EN: "shelf life"},
	"price":           {ID: "harga jual", EN: "selling price"},
	"composition":     {ID: "komposisi", EN: "ingredients"},
}

// FoodFields are asked only of food and drink: a batik cloth has no shelf
// life, composition or P-IRT.
var FoodFields = []string{"food_type", "shelf_life_days", "composition", "pirt"}

// ProductCompleteness lists the fields a product still lacks for a
// submission, by their form names. What is asked follows the category: shelf
// life and composition only for food and drink.
func ProductCompleteness(p Product) []string {
	var missing []string
	food := IsFood(p.Category)
	for _, f := range []struct {
		name string
		ok   bool
	}{{"category", p.Category != ""}, {"net_content", p.NetContent != ""}, {"packaging", p.Packaging != ""},
		{"shelf_life_days", !food || p.ShelfLifeDays > 0}, {"price", p.Price > 0}, {"composition", !food || p.Composition != ""}} {
		if !f.ok {
			missing = append(missing, f.name)
		}
	}
	return missing
}

// Missing is what product p lacks for a submission, as one item naming the
// product and its missing fields ("Jamu Kunyit Asam 250 ml: kemasan, masa
// simpan"), or false when it is complete.
func (p Product) Missing() (sop.Missing, bool) {
	fields := ProductCompleteness(p)
	if len(fields) == 0 {
		return sop.Missing{}, false
	}
	ids, ens := make([]string, len(fields)), make([]string, len(fields))
	for i, f := range fields {
		ids[i], ens[i] = ProductFields[f].ID, ProductFields[f].EN
	}
	return sop.Missing{Field: fmt.Sprintf("product.%d", p.ID), Name: i18n.Text{
		ID: fmt.Sprintf("produk %s (%s)", p.Name, strings.Join(ids, ", ")),
		EN: fmt.Sprintf("product %s (%s)", p.Name, strings.Join(ens, ", ")),
	}}, true
}
