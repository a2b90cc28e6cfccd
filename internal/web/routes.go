package web

import (
	"net/http"

	"github.com/etalase-id/etalase/internal/register"
	"github.com/etalase-id/etalase/internal/role"
)

// routes lists every URL of the app. Handlers are named by capability and verb.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	anyone := s.requireUser()
	admin := s.requireUser(role.Admin)

	mux.Handle("GET /static/", s.static.handler())
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.metricsHandler())

	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /privacy", s.privacy)
	mux.HandleFunc("POST /lang", s.setLang)

	// Accounts: sign in and out, self-registration of applicants, own password.
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", anyone(s.logout))
	mux.HandleFunc("GET /resume", anyone(s.resumeForm))
	mux.HandleFunc("GET /session/keepalive", anyone(s.keepAlive))
	mux.HandleFunc("GET /register", s.registerForm)
	mux.HandleFunc("POST /register", s.register)
	mux.HandleFunc("GET /password", anyone(s.passwordForm))
	mux.HandleFunc("POST /password", anyone(s.changePassword))

	// Own profile and personal API tokens.
	mux.HandleFunc("GET /profile", anyone(s.profile))
	mux.HandleFunc("POST /profile/tokens", anyone(s.tokenCreate))
	mux.HandleFunc("GET /profile/tokens/{id}", anyone(s.tokenShow))
	mux.HandleFunc("POST /profile/tokens/{id}/revoke", anyone(s.tokenRevoke))

	// The desk: a new one-time password for an applicant who forgot theirs.
	mux.HandleFunc("GET /desk/password", s.requireUser(role.StafGaleri)(s.deskPasswordForm))
	mux.HandleFunc("POST /desk/password", s.requireUser(role.StafGaleri)(s.deskPasswordReset))

	// Administration.
	mux.HandleFunc("GET /admin/users", admin(s.adminUsers))
	mux.HandleFunc("GET /admin/users/new", admin(s.adminUserNewForm))
	mux.HandleFunc("POST /admin/users", admin(s.adminUserCreate))
	mux.HandleFunc("GET /admin/users/{id}", admin(s.adminUserShow))
	mux.HandleFunc("POST /admin/users/{id}/role", admin(s.adminUserRole))
	mux.HandleFunc("POST /admin/users/{id}/active", admin(s.adminUserActive))
	mux.HandleFunc("POST /admin/users/{id}/reset-password", admin(s.adminUserResetPassword))
	mux.HandleFunc("GET /admin/audit", admin(s.adminAudit))
	mux.HandleFunc("GET /admin/settings", admin(s.adminSettingsForm))
	mux.HandleFunc("POST /admin/settings", admin(s.adminSettingsSave))

	// SOP steps 1–3: the applicant's form, the clerk's desk, the application.
	applicantOrClerk := s.requireUser(role.Pemohon, role.StafGaleri)
	staff := s.requireUser(role.StafGaleri, role.Kurator, role.Pimpinan)
	clerk := s.requireUser(role.StafGaleri)
	mux.HandleFunc("GET /apply", s.requireUser(role.Pemohon)(s.apply))
	mux.HandleFunc("POST /apply/business", s.requireUser(role.Pemohon)(s.applySave))
	mux.HandleFunc("GET /profile/my-data.zip", s.requireUser(role.Pemohon)(s.myData))
	mux.HandleFunc("GET /desk/applicants/new", clerk(s.deskNewForm))
	mux.HandleFunc("POST /desk/applicants", clerk(s.deskCreate))
	mux.HandleFunc("GET /businesses/{id}", applicantOrClerk(s.businessPage))
	mux.HandleFunc("GET /businesses/{id}/profile", applicantOrClerk(s.businessProfileForm))
	mux.HandleFunc("POST /businesses/{id}/profile", applicantOrClerk(s.businessProfileSave))
	mux.HandleFunc("GET /businesses/{id}/products/new", applicantOrClerk(s.productNewForm))
	mux.HandleFunc("GET /businesses/{id}/products/fields", applicantOrClerk(s.productFields))
	mux.HandleFunc("POST /businesses/{id}/products", applicantOrClerk(s.productSave))
	mux.HandleFunc("GET /businesses/{id}/products/{pid}", applicantOrClerk(s.productForm))
	mux.HandleFunc("POST /businesses/{id}/products/{pid}", applicantOrClerk(s.productSave))
	mux.HandleFunc("POST /businesses/{id}/documents", applicantOrClerk(s.documentUpload))
	mux.HandleFunc("POST /businesses/{id}/products/{pid}/delete", applicantOrClerk(s.productDelete))
	mux.HandleFunc("POST /businesses/{id}/documents/{doc}/delete", applicantOrClerk(s.documentDelete))
	mux.HandleFunc("POST /businesses/{id}/submit", applicantOrClerk(s.applicationSubmit))
	mux.HandleFunc("GET /documents/{id}", anyone(s.documentDownload))
	mux.HandleFunc("GET /applications", staff(s.applicationList))
	mux.HandleFunc("GET /applications/{id}", anyone(s.applicationShow))
	mux.HandleFunc("POST /applications/{id}/do", anyone(s.applicationDo))
	mux.HandleFunc("POST /applications/{id}/reapply", anyone(s.applicationReapply))
	mux.HandleFunc("GET /applications/{id}/form.pdf", anyone(s.applicationFormPDF))
	mux.HandleFunc("GET /applications/{id}/receipt.pdf", anyone(s.applicationReceiptPDF))
	mux.HandleFunc("POST /applications/{id}/check", clerk(s.applicationCheck))
	mux.HandleFunc("POST /applications/{id}/samples", clerk(s.applicationSamples))
	mux.HandleFunc("GET /due", staff(s.dueList))
	mux.HandleFunc("GET /applications/export.xlsx", staff(s.applicationsExport))
	mux.HandleFunc("GET /applications/export.csv", staff(s.applicationsExportCSV))
	mux.HandleFunc("GET /applicants/export.xlsx", clerk(s.applicantsExport))
	mux.HandleFunc("GET /desk/import", clerk(s.importForm))
	mux.HandleFunc("POST /desk/import", clerk(s.importRun))
	mux.HandleFunc("GET /desk/import/template.csv", clerk(s.importTemplate("csv")))
	mux.HandleFunc("GET /desk/import/template.xlsx", clerk(s.importTemplate("xlsx")))
	mux.HandleFunc("GET /desk/import/batches/{id}", clerk(s.importBatchShow))
	mux.HandleFunc("POST /desk/import/batches/{id}/next", clerk(s.importBatchNext))
	mux.HandleFunc("POST /desk/import/batches/{id}/undo", clerk(s.importBatchUndo))
	mux.HandleFunc("GET /admin/calendar", admin(s.adminCalendar))
	mux.HandleFunc("POST /admin/calendar/years", admin(s.adminCalendarYear))
	mux.HandleFunc("POST /admin/calendar/holidays", admin(s.adminCalendarHoliday))
	mux.HandleFunc("POST /admin/calendar/holidays/{day}/delete", admin(s.adminCalendarHolidayDelete))

	// SOP step 9 and the stock: items, handovers, returns, labels, locations;
	// the SME's own view. The public catalogue needs no sign-in.
	mux.HandleFunc("GET /stock", clerk(s.stockHome))
	mux.HandleFunc("GET /stock/items/new", clerk(s.itemNewForm))
	mux.HandleFunc("POST /stock/items", clerk(s.itemCreate))
	mux.HandleFunc("GET /stock/items/{id}", staff(s.itemShow))
	mux.HandleFunc("POST /stock/items/{id}/receive", clerk(s.itemReceive))
	mux.HandleFunc("POST /stock/items/{id}/return", clerk(s.itemReturn))
	mux.HandleFunc("POST /stock/items/{id}/status", clerk(s.itemStatus))
	mux.HandleFunc("GET /stock/items/{id}/labels.pdf", clerk(s.itemLabels))
	mux.HandleFunc("GET /stock/documents/{id}", anyone(s.stockDocShow))
	mux.HandleFunc("GET /stock/documents/{id}/paper.pdf", anyone(s.stockDocPDF))
	mux.HandleFunc("GET /stock/documents/{id}/labels.pdf", clerk(s.stockDocLabels))
	mux.HandleFunc("GET /stock/items.xlsx", staff(s.stockRegister("barang", register.Items)))
	mux.HandleFunc("GET /stock/on-hand.xlsx", staff(s.stockRegister("stok", register.StockOnHand)))
	mux.HandleFunc("GET /stock/movements.xlsx", staff(s.stockRegister("gerakan-stok", register.Movements)))
	mux.HandleFunc("GET /stock/import", clerk(s.stockImportForm))
	mux.HandleFunc("POST /stock/import", clerk(s.stockImport))
	mux.HandleFunc("GET /stock/locations", clerk(s.stockLocations))
	mux.HandleFunc("POST /stock/locations", clerk(s.stockLocationCreate))
	mux.HandleFunc("GET /businesses/{id}/stock", applicantOrClerk(s.businessStock))
	mux.HandleFunc("GET /katalog", s.cached(s.catalogList))
	mux.HandleFunc("GET /katalog/{id}", s.cached(s.catalogItem))
	mux.HandleFunc("GET /katalog/foto/{id}/{w}", s.catalogPhoto)
	// SOP step 4: curation (curation_pages.go).
	s.curationRoutes(mux)
	s.announcementRoutes(mux)
	// Messages (issue 10): the log, the clerk's manual queue, providers and
	// templates for the admin, the WhatsApp webhook (signed; no session).
	msgStaff := s.requireUser(role.StafGaleri, role.Admin)
	mux.HandleFunc("GET /messages", msgStaff(s.messageList))
	mux.HandleFunc("GET /messages/manual", msgStaff(s.messageManual))
	mux.HandleFunc("POST /messages/{id}/sent", msgStaff(s.messageSentByHand))
	mux.HandleFunc("POST /messages/{id}/retry", msgStaff(s.messageRetry))
	mux.HandleFunc("GET /admin/messages", admin(s.messageSettingsForm))
	mux.HandleFunc("POST /admin/messages", admin(s.messageSettingsSave))
	mux.HandleFunc("POST /admin/messages/test", admin(s.messageTest))
	mux.HandleFunc("GET /admin/messages/templates", admin(s.messageTemplates))
	mux.HandleFunc("GET /admin/messages/templates/{id}", admin(s.messageTemplateForm))
	mux.HandleFunc("POST /admin/messages/templates/{id}", admin(s.messageTemplateSave))
	mux.HandleFunc("GET /webhooks/whatsapp", s.whatsappVerify)
	mux.HandleFunc("POST /webhooks/whatsapp", s.whatsappWebhook)
	mux.HandleFunc("GET /password/forgot", s.forgotForm)
	mux.HandleFunc("POST /password/forgot", s.forgotSend)
	mux.HandleFunc("GET /password/link/{token}", s.linkForm)
	mux.HandleFunc("POST /password/link/{token}", s.linkUse)
	mux.HandleFunc("POST /messages/activations", msgStaff(s.messageActivations))

	// Referrals to the other divisions (SOP step 8) and the letters anyone can
	// verify.
	referrers := s.requireUser(role.StafGaleri, role.Kurator)
	referralReaders := s.requireUser(role.StafGaleri, role.Kurator, role.Pimpinan, role.Admin, role.Bidang)
	mux.HandleFunc("POST /applications/{id}/referrals", referrers(s.referralCreate))
	mux.HandleFunc("GET /referrals", referralReaders(s.referralList))
	mux.HandleFunc("GET /referrals/export.xlsx", referralReaders(s.referralExport))
	mux.HandleFunc("GET /referrals/{id}", referralReaders(s.referralShow))
	mux.HandleFunc("POST /referrals/{id}", s.requireUser(role.Bidang)(s.referralRecord))
	mux.HandleFunc("GET /referrals/{id}/letter.pdf", anyone(s.referralLetterPDF))
	mux.HandleFunc("GET /verify", s.verify)

	// JSON API.
	s.apiRoutes(mux)

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.errorPage(w, r, http.StatusNotFound) })

	// Cross-origin protection refuses state-changing requests a browser sends from
	// another site (it reads Sec-Fetch-Site / Origin): CSRF without tokens in forms.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("cross-origin request refused", "path", r.URL.Path, "origin", r.Header.Get("Origin"))
		s.errorPage(w, r, http.StatusForbidden)
	}))
	var h http.Handler = routeRecorder(mux)
	h = s.forcePasswordChange(h)
	h = s.identify(h)
	h = cop.Handler(h)
	h = securityHeaders(s.secure, h)
	h = s.observe(h)
	return h
}
