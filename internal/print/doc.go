// Package print makes the Office's printed papers as PDF: the offline
// application form of SOP step 2 (OfflineForm) and the numbered sample receipt
// of step 3 (SampleReceipt), and the QR codes on them (QRPNG for other uses).
//
// The papers are official Indonesian office documents, so they are written in
// Bahasa Indonesia only. Every time is shown in WIB (UTC+7), dates with
// Indonesian month names ("28 November 2026"), money as "Rp 25.000".
//
// The package knows nothing of the database or the web: callers fill plain
// structs and get a PDF written to an io.Writer. Text is printed in the Go
// fonts (embedded TrueType, full Latin coverage), so names such as "Café Ñ" or
// "Kripik Tempe — Sanan" print as typed; characters the font cannot draw (emoji)
// are left out rather than printed as empty boxes.
//
// Layout: A4 portrait, 15 mm side margins, the Office's letterhead and the
// document number at the top of every page, "Dicetak oleh Etalase · halaman X
// dari Y" at the foot. Tables wrap long text inside their cells and repeat
// their header row on each new page; a row, a signature block or a statement
// is never split across pages.
package print
