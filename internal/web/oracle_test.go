package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/role"
)

// sameAnswer fails unless two answers look alike to the one who asked: the
// same status and the same page, once what differs by design (the address
// asked for, which pages repeat) is taken out.
func sameAnswer(t *testing.T, what string, a, b *answer, pathA, pathB string) {
	t.Helper()
	if a.Status != b.Status {
		t.Errorf("%s: status %d for one that exists and is not yours, %d for one that does not exist", what, a.Status, b.Status)
		return
	}
	bodyA, bodyB := strings.ReplaceAll(a.Body, pathA, "PATH"), strings.ReplaceAll(b.Body, pathB, "PATH")
	if bodyA != bodyB {
		i := 0
		for i < len(bodyA) && i < len(bodyB) && bodyA[i] == bodyB[i] {
			i++
		}
		from := max(0, i-200)
		t.Errorf("%s: the answers differ:\nnot yours:     …%.400s\nnot existing:  …%.400s", what, bodyA[from:], bodyB[from:])
	}
}

// Another user's API token answers exactly like a token that does not exist,
// for every role but the admin; the attempt is audited.
func TestAnotherUsersTokenAnswersLikeOneThatDoesNotExist(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		owner := e.user(account.NewUser{Email: "pimpinan@contoh.id", Name: "Pimpinan", Role: role.Pimpinan})
		tok, _, err := e.accounts.CreateToken(systemCtx(), owner, "Laporan")
		if err != nil {
			t.Fatal(err)
		}
		e.user(account.NewUser{Email: "sri@keripik.id", Name: "Sri"})
		e.user(account.NewUser{Email: "clerk@contoh.id", Name: "Clerk", Role: role.StafGaleri})
		theirs, none := strconv.FormatInt(tok.ID, 10), strconv.FormatInt(tok.ID+1000, 10)
		for _, login := range []string{"sri@keripik.id", "clerk@contoh.id"} {
			b := e.signIn(login, pw)
			sameAnswer(t, login+" opening a token", b.get("/profile/tokens/"+theirs), b.get("/profile/tokens/"+none), "/profile/tokens/"+theirs, "/profile/tokens/"+none)
			sameAnswer(t, login+" revoking a token", b.post("/profile/tokens/"+theirs+"/revoke", nil), b.post("/profile/tokens/"+none+"/revoke", nil), "/profile/tokens/"+theirs, "/profile/tokens/"+none)
			if a := b.get("/profile/tokens/" + theirs); a.Status != http.StatusNotFound {
				t.Errorf("%s opening another's token: %d, want 404", login, a.Status)
			}
		}
		if _, err := e.accounts.TokenUser(systemCtx(), ""); err == nil {
			t.Fatal("the empty token works")
		}
		if ts, _ := e.accounts.Tokens(systemCtx(), owner.ID); ts[0].RevokedAt != nil {
			t.Fatal("another user revoked the token")
		}
		denied := 0
		for _, x := range e.auditEntries("access.denied") {
			if x.ObjectType == "api_token" && x.ObjectID == theirs {
				denied++
			}
		}
		if denied != 6 {
			t.Errorf("%d refusals on the token audited, want 6", denied)
		}
	})
}

// Uploading to a business that is not yours answers like uploading to one
// that does not exist, on the page and in the API.
func TestAnUploadToABusinessNotYoursAnswersLikeOneThatDoesNotExist(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		owner := e.user(account.NewUser{Email: "sri@keripik.id", Name: "Sri"})
		biz, _, err := e.app.Applicants.Save(systemCtx(), owner, owner.ID, applicant.BusinessInput{Name: "Keripik Sanan"})
		if err != nil {
			t.Fatal(err)
		}
		other := e.user(account.NewUser{Email: "yanti@keripik.id", Name: "Yanti"})
		_, secret, err := e.accounts.CreateToken(systemCtx(), other, "Unggah")
		if err != nil {
			t.Fatal(err)
		}
		b := e.signIn("yanti@keripik.id", pw)
		img := make([]byte, pngReader(t).Size())
		_, _ = pngReader(t).Read(img)
		upload := func(path string, headers ...string) *answer {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			_ = mw.WriteField("kind", "foto_produk")
			fw, _ := mw.CreateFormFile("file", "foto.png")
			_, _ = fw.Write(img)
			mw.Close()
			req := b.request("POST", path, &buf, headers...)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return b.do(req)
		}
		theirs, none := strconv.FormatInt(biz.ID, 10), strconv.FormatInt(biz.ID+1000, 10)
		pageA, pageB := upload("/businesses/"+theirs+"/documents"), upload("/businesses/"+none+"/documents")
		sameAnswer(t, "the page", pageA, pageB, "/businesses/"+theirs, "/businesses/"+none)
		apiA := upload("/api/v1/businesses/"+theirs+"/documents", "Authorization", "Bearer "+secret)
		apiB := upload("/api/v1/businesses/"+none+"/documents", "Authorization", "Bearer "+secret)
		sameAnswer(t, "the API", apiA, apiB, "/businesses/"+theirs, "/businesses/"+none)
		if pageA.Status != http.StatusNotFound || apiA.Status != http.StatusNotFound {
			t.Errorf("statuses %d and %d, want 404", pageA.Status, apiA.Status)
		}
		if docs, _ := e.app.Documents.Current(systemCtx(), biz.ID); len(docs) != 0 {
			t.Fatalf("%d documents stored on a business by someone else", len(docs))
		}
		// Both are audited: the same work either way, and a record of the probing.
		probes := map[string]int{}
		for _, x := range e.auditEntries("access.denied") {
			if x.ObjectType == "business" && x.ActorID == other.ID {
				probes[x.ObjectID]++
			}
		}
		if probes[theirs] != 2 || probes[none] != 2 {
			t.Errorf("audited probes %v, want 2 on each id (page and API)", probes)
		}
	})
}

// A NIK already on file for another business is not announced to whoever
// types it; the gallery staff see it on the business's page.
func TestTheDuplicateNIKWarningIsShownToStaffNotToWhoeverTypesANIK(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		sri := e.user(account.NewUser{Email: "sri@keripik.id", Name: "Sri"})
		if _, _, err := e.app.Applicants.Save(systemCtx(), sri, sri.ID, applicant.BusinessInput{Name: "Keripik Sanan", NIK: "3573054107850003"}); err != nil {
			t.Fatal(err)
		}
		e.user(account.NewUser{Email: "prober@contoh.id", Name: "Penebak"})
		e.user(account.NewUser{Email: "clerk@contoh.id", Name: "Clerk", Role: role.StafGaleri})
		prober := e.signIn("prober@contoh.id", pw)
		typed := func(nik string) *answer {
			return prober.post("/apply/business", url.Values{"name": {"Usaha Coba"}, "nik": {nik}})
		}
		a := typed("3573054107850003")
		if a.Status != http.StatusSeeOther {
			t.Fatalf("saving a NIK that is on file: %d, want the same redirect as any save; notice %q", a.Status, a.text(".notice"))
		}
		page := prober.follow(a)
		if page.find("#nik-shared").Length() != 0 || strings.Contains(page.Body, "usaha lain") {
			t.Error("the applicant's page says the NIK is on another business")
		}
		bizPath := a.location()
		clerk := e.signIn("clerk@contoh.id", pw)
		if got := clerk.get(bizPath).wantStatus(http.StatusOK).text("#nik-shared"); !strings.Contains(got, "1 usaha lain") {
			t.Errorf("the clerk's view of the business says %q, want the NIK on 1 other business", got)
		}
		if got := clerk.get(fmt.Sprintf("/businesses/%d", mustBusiness(t, e, sri.ID))).text("#nik-shared"); got == "" {
			t.Error("the first business does not show the shared NIK to the clerk")
		}
	})
}

func mustBusiness(t *testing.T, e *env, ownerID int64) int64 {
	t.Helper()
	b, err := e.app.Applicants.ByOwner(systemCtx(), ownerID)
	if err != nil {
		t.Fatal(err)
	}
	return b.ID
}
