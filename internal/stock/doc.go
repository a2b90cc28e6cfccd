// Package stock is SOP step 9 and the stock that follows it: gallery items made
// from passed products, with their barcodes; the locations stock is kept in;
// the consignment terms agreed with each SME; and the stock ledger.
//
// The ledger is append-only. Every change of stock is a movement that belongs
// to a document (a handover, a return, a transfer, an adjustment; later a
// sale, a stock count, a settlement), posted with Post inside the caller's
// transaction. Post keeps a balance per lot and location, and the item's total
// on hand, in the same transaction with guarded updates: stock never goes
// below zero, and every balance equals the sum of its movements. A mistake is
// corrected by a movement that reverses it, never by changing one; the
// database refuses UPDATE and DELETE on movements.
//
// Stock arrives in lots (production code, expiry date). Stock leaving without
// a named lot is taken first-expiry-first-out; an expired lot cannot leave as
// a sale.
package stock
