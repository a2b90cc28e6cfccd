package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/role"
)

// The curation pages: the clerk's round with its late and missing reviews, a
// staff reviewer and the expert scoring (blind until submitted), refusals at
// their fields, and the expert's decision with the pre-filled reasons.
func TestCurationPagesFromQueueToDecision(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newAccessWorld(t, d)
		e, ctx, a := w.e, systemCtx(), w.app
		clerk, expert := w.browsers["clerk"], w.browsers["curator"]
		rina := e.user(account.NewUser{Email: "rina.staf@galeri.id", Name: "Rina Staf", Role: role.StafGaleri})
		x, err := e.app.Curation.Assign(ctx, w.people["clerk"], a.ID, rina.ID)
		if err != nil {
			t.Fatal(err)
		}
		rd, _ := e.app.Curation.RoundOf(ctx, a.ID)
		round := clerk.get(fmt.Sprintf("/curation/rounds/%d", rd.ID)).wantStatus(http.StatusOK)
		if missing := round.text("#round-apps tbody td:last-child"); !strings.Contains(missing, w.people["curator"].Name) || !strings.Contains(missing, "Rina Staf") {
			t.Fatalf("missing reviews %q", missing)
		}
		staff := e.signIn("rina.staf@galeri.id", pw)
		q := staff.get("/curation").wantStatus(http.StatusOK)
		if q.find("#queue-table form.declare").Length() != 1 {
			t.Fatal("the staff reviewer is asked to declare first")
		}
		staff.post(fmt.Sprintf("/curation/assignments/%d/declare", x.ID), url.Values{"conflict": {"no"}}).wantStatus(http.StatusSeeOther)
		prod := fmt.Sprintf("/curation/applications/%d/products/%d", a.ID, w.prod.ID)
		page := staff.get(prod).wantStatus(http.StatusOK)
		if page.find("fieldset.criterion").Length() < 8 || page.find("fieldset.criterion legend").Length() < 8 {
			t.Fatalf("%d criteria on the form", page.find("fieldset.criterion").Length())
		}
		if strings.Contains(page.Doc().Text(), "3573054107850003") || page.find(fmt.Sprintf(`a[href="/documents/%d"]`, w.docs["ktp"])).Length() != 0 {
			t.Fatal("the scoring page shows the KTP")
		}
		r, _ := e.app.Curation.LatestRubric(ctx, curation.DefaultRubricID)
		form := url.Values{"action": {"submit"}}
		for _, c := range r.Applicable("Makanan") {
			form.Set("score_"+c.Code, "4")
		}
		bad := url.Values{"action": {"submit"}, "score_rasa": {"9"}}
		ans := staff.post(prod, bad).wantStatus(http.StatusUnprocessableEntity)
		if ans.find("#error-summary").Length() != 1 || !strings.Contains(ans.text("#e-scores\\.rasa"), "1 sampai 5") {
			t.Fatalf("a score outside the scale: %q", ans.text("#error-summary"))
		}
		staff.post(prod, form).wantStatus(http.StatusSeeOther)
		// The expert: blind before submitting.
		ep := expert.get(prod).wantStatus(http.StatusOK)
		if ep.find("#others .blind").Length() != 1 || strings.Contains(ep.text("#others"), ": 4") {
			t.Fatalf("the expert sees the staff's scores before submitting: %q", ep.text("#others"))
		}
		for _, c := range r.Applicable("Makanan") {
			form.Set("score_"+c.Code, "1")
		}
		form.Set("note_kemasan", "Plastik tipis, mudah sobek")
		expert.post(prod, form).wantStatus(http.StatusSeeOther)
		ep = expert.get(prod).wantStatus(http.StatusOK)
		if ep.find("#others .blind").Length() != 0 || ep.find("#result-table").Length() != 1 || ep.find("#decision form").Length() != 1 {
			t.Fatal("after submitting, the expert sees the result and the decision form")
		}
		// The decision: not passed with the pre-filled reasons edited.
		prefilled := ep.text("#f-reason-decision")
		if !strings.Contains(prefilled, "Plastik tipis") || ep.find("#d-no[checked]").Length() != 1 {
			t.Fatalf("the reasons are pre-filled from the criteria below target, with the notes: %q", prefilled)
		}
		reason := prefilled + "\n- Ganti kemasan dengan standing pouch berlapis."
		expert.post(prod+"/decision", url.Values{"passed": {"no"}, "reason": {""}}).wantStatus(http.StatusUnprocessableEntity)
		expert.post(prod+"/decision", url.Values{"passed": {"no"}, "reason": {reason}}).wantStatus(http.StatusSeeOther)
		got, _ := e.app.Applications.Get(ctx, a.ID)
		if got.State != "decided" {
			t.Fatalf("after deciding the only product: %s", got.State)
		}
		ds, _ := e.app.Curation.Decisions(ctx, a.ID)
		if ds[w.prod.ID].Passed || ds[w.prod.ID].Reason != strings.ReplaceAll(reason, "\r\n", "\n") {
			t.Fatalf("decision %+v", ds[w.prod.ID])
		}
		// The referral form on the application's page is pre-filled from the
		// gate's findings stored with the result: the product has no accepted
		// halal certificate, so the halal division, naming the product.
		ap := expert.get(fmt.Sprintf("/applications/%d", a.ID)).wantStatus(http.StatusOK)
		if sel := ap.text("#f-division option[selected]"); !strings.Contains(sel, "Halal") {
			t.Fatalf("the division suggested: %q (suggestions %q)", sel, ap.text("#referral-suggestions"))
		}
		if why := ap.text("#f-reason"); !strings.Contains(why, w.prod.Name+": sertifikat halal belum ada") {
			t.Fatalf("the reason pre-filled: %q", why)
		}
		// Another suggestion is one link away, with its own reason.
		ap = expert.get(fmt.Sprintf("/applications/%d?refer=hki", a.ID)).wantStatus(http.StatusOK)
		if sel, why := ap.text("#f-division option[selected]"), ap.text("#f-reason"); !strings.Contains(sel, "Kekayaan Intelektual") || !strings.Contains(why, "merek belum terdaftar") {
			t.Fatalf("the trademark suggestion chosen: %q, %q", sel, why)
		}
		// The API gives the same suggestions.
		_, secret, _ := e.accounts.CreateToken(ctx, w.people["curator"], "uji")
		req := e.browser().request("GET", fmt.Sprintf("/api/v1/applications/%d/referrals", a.ID), nil, "Authorization", "Bearer "+secret)
		if api := e.browser().do(req); api.Status != http.StatusOK || !strings.Contains(api.Body, `"division": "halal"`) || !strings.Contains(api.Body, w.prod.Name+": sertifikat halal belum ada") {
			t.Fatalf("the API's suggestions: %d %s", api.Status, api.Body)
		}
		// The curation form, blank and completed.
		for _, q := range []string{"?blank=1", ""} {
			pdf := expert.get(prod + "/form.pdf" + q).wantStatus(http.StatusOK)
			if ct := pdf.Header.Get("Content-Type"); ct != "application/pdf" {
				t.Fatalf("form.pdf%s: %s", q, ct)
			}
		}
		// Staff cannot decide; the round page now has nothing missing.
		clerk.post(prod+"/decision", url.Values{"passed": {"yes"}}).wantStatus(http.StatusForbidden)
		if missing := clerk.get(fmt.Sprintf("/curation/rounds/%d", rd.ID)).text("#round-apps tbody td:last-child"); missing != "—" {
			t.Fatalf("missing after all reviews: %q", missing)
		}
		// The round's register: each reviewer's scores and the combined row.
		xl := clerk.get(fmt.Sprintf("/curation/rounds/%d/export.xlsx", rd.ID)).wantStatus(http.StatusOK)
		xf, err := excelize.OpenReader(strings.NewReader(xl.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := xf.GetRows("Kurasi")
		if len(rows) != 4 || rows[3][4] != "Gabungan" || rows[3][len(rows[3])-2] != "Tidak lolos" || !strings.Contains(rows[3][len(rows[3])-1], "standing pouch") {
			t.Fatalf("round register %q", rows)
		}
		expert.get(fmt.Sprintf("/curation/rounds/%d/export.xlsx", rd.ID)).wantStatus(http.StatusForbidden)
		// An applicant has no curation pages.
		w.browsers["owner"].get("/curation").wantStatus(http.StatusForbidden)
	})
}

// Staff type in an expert's paper scores on the expert's behalf, recorded as
// such; an expert cannot type in for someone else.
func TestStaffTypeInAnExpertsPaperScores(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newAccessWorld(t, d)
		e, ctx, a := w.e, systemCtx(), w.app
		prod := fmt.Sprintf("/curation/applications/%d/products/%d", a.ID, w.prod.ID)
		expertID := fmt.Sprint(w.people["curator"].ID)
		page := w.browsers["clerk"].get(prod).wantStatus(http.StatusOK)
		if page.find(`a[href^="?on_behalf_of=`+expertID+`"]`).Length() != 1 {
			t.Fatal("staff are offered to type in the expert's paper scores")
		}
		r, _ := e.app.Curation.LatestRubric(ctx, curation.DefaultRubricID)
		form := url.Values{"action": {"submit"}, "on_behalf_of": {expertID}}
		for _, c := range r.Applicable("Makanan") {
			form.Set("score_"+c.Code, "3")
		}
		w.browsers["curator"].post(prod, url.Values{"action": {"draft"}, "on_behalf_of": {fmt.Sprint(w.people["clerk"].ID)}}).wantStatus(http.StatusForbidden)
		w.browsers["clerk"].post(prod, form).wantRedirect(prod + "?on_behalf_of=" + expertID)
		rs, err := e.app.Curation.Reviews(ctx, w.people["clerk"], a.ID)
		if err != nil || len(rs) != 1 || rs[0].ReviewerID != w.people["curator"].ID || rs[0].EnteredByID != w.people["clerk"].ID || rs[0].Status != curation.Submitted {
			t.Fatalf("paper review %+v %v", rs, err)
		}
		if n := len(e.auditEntries("review.submit")); n != 1 || !strings.Contains(e.auditEntries("review.submit")[0].Summary, "formulir kertas") {
			t.Fatalf("the paper review's audit record: %+v", e.auditEntries("review.submit"))
		}
	})
}

// The curation API: the same rules as the pages (a score outside the scale is
// refused at its field, a retried submission is recorded once, a kurator sees
// only their assignments, blind reviews), and the decision moves the
// application.
func TestCurationAPIAppliesTheSameRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newAccessWorld(t, d)
		e, ctx, a := w.e, systemCtx(), w.app
		call := func(who, method, path, body string) *answer {
			b := e.browser()
			req := b.request(method, path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+w.tokens[who])
			req.Header.Set("Content-Type", "application/json")
			return b.do(req)
		}
		if ans := call("curator", "GET", "/api/v1/assignments", ""); ans.Status != http.StatusOK || !strings.Contains(ans.Body, a.Number) {
			t.Fatalf("the expert's queue: %d %s", ans.Status, ans.Body)
		}
		call("owner", "GET", "/api/v1/rubrics", "").wantStatus(http.StatusForbidden)
		if ans := call("curator", "GET", "/api/v1/rubrics/1/versions", ""); ans.Status != http.StatusOK || !strings.Contains(ans.Body, `"pass_mark": 55`) {
			t.Fatalf("rubric versions: %d %.200s", ans.Status, ans.Body)
		}
		r, _ := e.app.Curation.LatestRubric(ctx, curation.DefaultRubricID)
		var scores []string
		for _, c := range r.Applicable("Makanan") {
			scores = append(scores, fmt.Sprintf(`{"criterion":%q,"score":4}`, c.Code))
		}
		full := fmt.Sprintf(`{"application_id":%d,"product_id":%d,"submit":true,"scores":[%s]}`, a.ID, w.prod.ID, strings.Join(scores, ","))
		bad := fmt.Sprintf(`{"application_id":%d,"product_id":%d,"submit":false,"scores":[{"criterion":"rasa","score":0}]}`, a.ID, w.prod.ID)
		ans := call("curator", "POST", "/api/v1/reviews", bad).wantStatus(http.StatusUnprocessableEntity)
		if !strings.Contains(ans.Body, `"scores.rasa"`) {
			t.Fatalf("a score outside the scale: %s", ans.Body)
		}
		var first, second struct {
			ID int64 `json:"id"`
		}
		call("curator", "POST", "/api/v1/reviews", full).wantStatus(http.StatusOK).json(&first)
		call("curator", "POST", "/api/v1/reviews", full).wantStatus(http.StatusOK).json(&second)
		if first.ID == 0 || first.ID != second.ID {
			t.Fatalf("a retried submission: %d then %d", first.ID, second.ID)
		}
		// Only one reviewer is assigned but the settings ask for staff too: no result yet.
		call("curator", "POST", "/api/v1/decisions", fmt.Sprintf(`{"application_id":%d,"product_id":%d,"passed":true}`, a.ID, w.prod.ID)).wantStatus(http.StatusConflict)
		if err := e.app.Settings.Set(ctx, "curation.staff_reviewers", "0", 0); err != nil {
			t.Fatal(err)
		}
		rv, _ := e.app.Curation.Reviews(ctx, w.people["curator"], a.ID)
		call("curator", "POST", fmt.Sprintf("/api/v1/reviews/%d/reopen", rv[0].ID), `{"reason":"Nilai kemasan salah"}`).wantStatus(http.StatusOK)
		call("curator", "POST", "/api/v1/reviews", full).wantStatus(http.StatusOK)
		if ans := call("curator", "GET", fmt.Sprintf("/api/v1/decisions?application_id=%d", a.ID), ""); !strings.Contains(ans.Body, `"grade": "B"`) {
			t.Fatalf("result: %s", ans.Body)
		}
		call("curator", "POST", "/api/v1/decisions", fmt.Sprintf(`{"application_id":%d,"product_id":%d,"passed":true}`, a.ID, w.prod.ID)).wantStatus(http.StatusOK)
		if got, _ := e.app.Applications.Get(ctx, a.ID); got.State != "decided" {
			t.Fatalf("after the API decision: %s", got.State)
		}
		// Another kurator sees nothing of it.
		other := e.user(account.NewUser{Email: "dewi.ahli@galeri.id", Role: role.Kurator})
		_, secret, _ := e.accounts.CreateToken(ctx, other, "uji")
		w.tokens["other_expert"] = secret
		call("other_expert", "GET", fmt.Sprintf("/api/v1/reviews?application_id=%d", a.ID), "").wantStatus(http.StatusNotFound)
		call("other_expert", "GET", fmt.Sprintf("/api/v1/decisions?application_id=%d", a.ID), "").wantStatus(http.StatusNotFound)
		call("clerk", "GET", "/api/v1/rounds", "").wantStatus(http.StatusOK)
		call("curator", "GET", "/api/v1/rounds", "").wantStatus(http.StatusForbidden)
		// The announcement: per round, once; not per application.
		rd, _ := e.app.Curation.RoundOf(ctx, a.ID)
		announce := fmt.Sprintf("/api/v1/rounds/%d/announce", rd.ID)
		call("clerk", "POST", fmt.Sprintf("/api/v1/applications/%d/actions", a.ID), `{"action":"announce"}`).wantStatus(http.StatusConflict)
		call("curator", "POST", announce, "").wantStatus(http.StatusForbidden)
		var out struct {
			IDs    []int64 `json:"application_ids"`
			Letter string  `json:"letter_url"`
		}
		call("clerk", "POST", announce, "").wantStatus(http.StatusOK).json(&out)
		if len(out.IDs) != 1 || out.IDs[0] != a.ID || !strings.HasSuffix(out.Letter, fmt.Sprintf("/pengumuman/%d/surat.pdf", rd.ID)) {
			t.Fatalf("announced %+v", out)
		}
		if ans := call("clerk", "POST", announce, "").wantStatus(http.StatusConflict); !strings.Contains(ans.Body, "curation.announced") {
			t.Fatalf("announcing twice: %s", ans.Body)
		}
	})
}

// The admin edits the rubric: a new version; the round keeps its own, and its
// pages say so. A bad value is refused at its field and makes no version.
func TestAdminRubricEditMakesANewVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newAccessWorld(t, d)
		e, ctx := w.e, systemCtx()
		adm := w.browsers["admin"]
		form := rubricForm(adm)
		form.Set("pass_mark", "160")
		if ans := adm.post("/admin/rubric", form).wantStatus(http.StatusUnprocessableEntity); ans.find("#error-summary").Length() != 1 {
			t.Fatal("a pass mark of 160 is refused with a summary")
		}
		form.Set("pass_mark", "60")
		form.Set("gate.halal", "require")
		adm.post("/admin/rubric", form).wantRedirect("/admin/rubric")
		vs, _ := e.app.Curation.RubricVersions(ctx, curation.DefaultRubricID)
		if len(vs) != 2 || vs[0].PassMark != 60 || vs[0].Gate.Halal != curation.Require || vs[1].PassMark != 55 {
			t.Fatalf("versions after the edit: %d, v%d pass %d", len(vs), vs[0].Version, vs[0].PassMark)
		}
		prod := fmt.Sprintf("/curation/applications/%d/products/%d", w.app.ID, w.prod.ID)
		if n := w.browsers["curator"].get(prod).find(".notice").Length(); n == 0 {
			t.Fatal("the scoring page of a round on version 1 says the rubric has changed")
		}
		w.browsers["clerk"].get("/admin/rubric").wantStatus(http.StatusForbidden)
	})
}

// rubricForm is the admin's rubric form as the page fills it in.
func rubricForm(adm *browser) url.Values {
	page := adm.get("/admin/rubric").wantStatus(http.StatusOK)
	form := url.Values{}
	page.find("form[action='/admin/rubric'] input, form[action='/admin/rubric'] select, form[action='/admin/rubric'] textarea").Each(func(_ int, sel *goquery.Selection) {
		name, _ := sel.Attr("name")
		if typ, _ := sel.Attr("type"); typ == "checkbox" {
			if _, on := sel.Attr("checked"); !on {
				return
			}
		}
		v, _ := sel.Attr("value")
		switch {
		case sel.Is("select"):
			v, _ = sel.Find("option[selected]").Attr("value")
		case sel.Is("textarea"):
			v = sel.Text()
		}
		form.Set(name, v)
	})
	return form
}

// The admin renames a criterion, rewrites what a score means, changes the
// grade bands, removes a criterion and adds one; the new version has all of
// it, and the scoring page of a round opened on it shows the new words. A
// new criterion without its score descriptions is refused at the field.
func TestAdminRubricEditsTextsGradesAndCriteria(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newAccessWorld(t, d)
		e, ctx := w.e, systemCtx()
		adm := w.browsers["admin"]
		form := rubricForm(adm)
		if form.Get("anchor_kemasan_3") == "" || form.Get("grade_name_0") != "A" {
			t.Fatalf("the form does not show the anchors and grades of the version in use: %v", form)
		}
		form.Set("name_id_kemasan", "Bahan dan kekuatan kemasan")
		form.Set("anchor_kemasan_5", "Kemasan kuat, kedap udara, dan dapat ditutup ulang.")
		form.Set("grade_name_0", "Istimewa")
		form.Set("grade_min_0", "90")
		form.Set("grade_name_3", "")
		form.Set("grade_min_3", "")
		form.Set("grade_min_2", "0")
		form.Set("remove_kode_produksi", "yes")
		form.Set("new_name_id", "Daya tarik oleh-oleh")
		form.Set("new_weight", "5")
		form.Set("new_target", "3")
		form.Set("new_anchor_1", "Tidak cocok sebagai oleh-oleh.")
		ans := adm.post("/admin/rubric", form).wantStatus(http.StatusUnprocessableEntity)
		if ans.find("#e-new_anchor_1").Length() != 1 || ans.find(`#error-summary a[href="#f-new_anchor_1"]`).Length() != 1 {
			t.Fatalf("a new criterion with one score described is not refused at its first score:\n%s", ans.find("#error-summary").Text())
		}
		if v, _ := ans.find("#f-name_id_kemasan").Attr("value"); v != "Bahan dan kekuatan kemasan" {
			t.Fatalf("the refused form lost the rename: %q", v)
		}
		for k, a := range []string{"Tidak cocok sebagai oleh-oleh.", "Kurang menarik.", "Cukup menarik.", "Menarik dan khas daerah.", "Sangat khas, dicari wisatawan."} {
			form.Set(fmt.Sprintf("new_anchor_%d", k+1), a)
		}
		adm.post("/admin/rubric", form).wantRedirect("/admin/rubric")

		rb, err := e.app.Curation.LatestRubric(ctx, curation.DefaultRubricID)
		if err != nil {
			t.Fatal(err)
		}
		kemasan, _ := rb.Criterion("kemasan")
		added, ok := rb.Criterion("daya_tarik_oleh_oleh")
		_, kept := rb.Criterion("kode_produksi")
		switch {
		case rb.Version != 2 || kemasan.Name.ID != "Bahan dan kekuatan kemasan" || kemasan.Scale.Anchor(5).ID != "Kemasan kuat, kedap udara, dan dapat ditutup ulang.":
			t.Fatalf("v%d kemasan %+v", rb.Version, kemasan)
		case len(rb.Grades) != 3 || rb.Grades[0] != (curation.Grade{Name: "Istimewa", Min: 90}) || rb.Grades[2].Min != 0:
			t.Fatalf("grades %+v", rb.Grades)
		case kept:
			t.Fatal("the removed criterion is still in the new version")
		case !ok || added.Weight != 5 || added.Scale.Anchor(4).ID != "Menarik dan khas daerah.":
			t.Fatalf("the added criterion: %+v", added)
		}
		old, _ := e.app.Curation.RubricVersions(ctx, curation.DefaultRubricID)
		if _, ok := old[1].Criterion("kode_produksi"); !ok {
			t.Fatal("version 1 lost the criterion removed from version 2")
		}
	})
}

// A reviewer keeps a photo taken at curation; it shows on the scoring page,
// the expert may open it, and it is audited. A PDF is not a photo.
func TestReviewerKeepsAPhotoTakenAtCuration(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newAccessWorld(t, d)
		e, a := w.e, w.app
		prod := fmt.Sprintf("/curation/applications/%d/products/%d", a.ID, w.prod.ID)
		send := func(name string, content io.Reader) *answer {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, _ := mw.CreateFormFile("file", name)
			_, _ = io.Copy(fw, content)
			mw.Close()
			b := w.browsers["curator"]
			req := b.request(http.MethodPost, prod+"/photos", &buf, "Content-Type", mw.FormDataContentType())
			return b.do(req)
		}
		if ans := send("form.pdf", strings.NewReader("%PDF-1.4\n%%EOF\n")); ans.Status != http.StatusUnprocessableEntity {
			t.Fatalf("a PDF as a curation photo: %d", ans.Status)
		}
		send("kurasi.png", pngReader(t)).wantStatus(http.StatusSeeOther)
		page := w.browsers["curator"].get(prod).wantStatus(http.StatusOK)
		links := page.find("#photos a")
		var photo string
		links.Each(func(_ int, s *goquery.Selection) {
			if strings.Contains(s.Text(), "Foto produk") {
				photo, _ = s.Attr("href")
			}
		})
		if photo == "" {
			t.Fatalf("the photo is not on the scoring page: %q", page.text("#photos"))
		}
		w.browsers["curator"].get(photo).wantStatus(http.StatusOK)
		if n := len(e.auditEntries("photo.add")); n != 1 {
			t.Fatalf("%d photo records in the audit trail", n)
		}
	})
}
