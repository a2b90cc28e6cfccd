package curation

import (
	"fmt"
	"math/big"

	"github.com/etalase-id/etalase/internal/i18n"
)

// Tenths is a number in tenths: 705 is 70.5. Scores on 0–100 and the mean of
// reviewers' scores on a criterion's scale are Tenths, rounded half up from the
// exact value once. The rounded number is the one people read, and it is the
// one compared with the pass mark, the grade bands and the targets, so what is
// shown always agrees with what was decided. Being an integer it stores and
// compares exactly: no floating-point tie at the pass mark.
type Tenths int

// Format writes t with one decimal, dropped when it is zero: "70", "70,5" in
// Bahasa Indonesia, "70.5" in English.
func (t Tenths) Format(l i18n.Lang) string {
	sign := ""
	if t < 0 {
		sign, t = "-", -t
	}
	if t%10 == 0 {
		return fmt.Sprintf("%s%d", sign, t/10)
	}
	sep := ","
	if l == i18n.EN {
		sep = "."
	}
	return fmt.Sprintf("%s%d%s%d", sign, t/10, sep, t%10)
}

// String is the English form, for logs.
func (t Tenths) String() string { return t.Format(i18n.EN) }

// roundTenths rounds a non-negative exact value to tenths, half up:
// floor(10x + ½) = floor((20·num + den) / (2·den)).
func roundTenths(x *big.Rat) Tenths {
	num := new(big.Int).Mul(x.Num(), big.NewInt(20))
	num.Add(num, x.Denom())
	den := new(big.Int).Mul(x.Denom(), big.NewInt(2))
	return Tenths(num.Div(num, den).Int64())
}

// meanTenths is the mean of n integer scores summing to sum, rounded half up to
// tenths, in integers: floor((20·sum + n) / (2n)).
func meanTenths(sum, n int) Tenths {
	return Tenths((20*sum + n) / (2 * n))
}
