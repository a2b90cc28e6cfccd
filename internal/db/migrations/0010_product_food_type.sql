-- The kind of food a product is (idn.FoodTypes: "susu", "beku"...), asked on
-- the product form because it decides the permit: the foods that may not use
-- P-IRT need BPOM MD. Empty is ordinary processed food, as every product was.
ALTER TABLE products ADD COLUMN food_type TEXT NOT NULL DEFAULT '';
