package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/role"
)

func TestTheStockAPIMakesItemsReceivesOnceAndServesTheCatalogue(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		owner, bizID, appID, pid := passedApplication(e)
		clerk := e.user(account.NewUser{Email: "siti@galeri.id", Name: "Siti Aminah", Role: role.StafGaleri})
		ctx := systemCtx()
		_, cs, _ := e.accounts.CreateToken(ctx, clerk, "loket")
		_, os, _ := e.accounts.CreateToken(ctx, owner, "integrasi")
		call := func(token, method, path, body string) *answer {
			b := e.browser()
			req := b.request(method, path, bytes.NewBufferString(body), "Content-Type", "application/json")
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			return b.do(req)
		}
		bad := call(cs, "POST", "/api/v1/items", fmt.Sprintf(`{"application_id": %d, "product_id": %d, "price": 25000, "barcode": "8991234567892"}`, appID, pid)).wantStatus(http.StatusUnprocessableEntity)
		if !strings.Contains(bad.Body, `"barcode"`) {
			t.Errorf("a wrong check digit: %s", bad.Body)
		}
		var it struct{ ID int64 }
		call(cs, "POST", "/api/v1/items", fmt.Sprintf(`{"application_id": %d, "product_id": %d, "price": 25000}`, appID, pid)).wantStatus(http.StatusCreated).json(&it)
		body := `{"idempotency_key": "hp-siti-0001", "lots": [{"qty": 10, "expires_on": "2099-01-01", "production_code": "A"}, {"qty": 5, "expires_on": "2099-02-01", "production_code": "B"}]}`
		var first, again struct {
			DocumentID int64 `json:"document_id"`
			Number     string
			Replayed   bool
		}
		call(cs, "POST", fmt.Sprintf("/api/v1/items/%d/receipts", it.ID), body).wantStatus(http.StatusCreated).json(&first)
		call(cs, "POST", fmt.Sprintf("/api/v1/items/%d/receipts", it.ID), body).wantStatus(http.StatusOK).json(&again)
		if !again.Replayed || again.DocumentID != first.DocumentID {
			t.Errorf("the same receipt twice: %+v then %+v", first, again)
		}
		var got struct {
			Item struct {
				OnHand int64 `json:"on_hand"`
			}
			Balances []struct{ Qty int64 }
		}
		call(os, "GET", fmt.Sprintf("/api/v1/items/%d", it.ID), "").wantStatus(http.StatusOK).json(&got)
		if got.Item.OnHand != 15 || len(got.Balances) != 2 {
			t.Errorf("the SME reads %+v", got)
		}
		call(os, "GET", "/api/v1/items", "").wantStatus(http.StatusForbidden)
		call(os, "GET", fmt.Sprintf("/api/v1/items?business_id=%d", bizID), "").wantStatus(http.StatusOK)
		call(cs, "GET", "/api/v1/movements?item_id="+fmt.Sprint(it.ID), "").wantStatus(http.StatusOK)
		call(cs, "GET", "/api/v1/lots/expiring?days=90", "").wantStatus(http.StatusOK)
		call(cs, "GET", "/api/v1/locations", "").wantStatus(http.StatusOK)
		call(cs, "POST", "/api/v1/locations", `{"code": "JTF", "name": "Jatim Fair", "kind": "event"}`).wantStatus(http.StatusCreated)
		lab := call(cs, "GET", fmt.Sprintf("/api/v1/items/%d/labels?copies=2&sheet=thermal-80", it.ID), "").wantStatus(http.StatusOK)
		if lab.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("labels: %s", lab.Header.Get("Content-Type"))
		}
		pub := call("", "GET", "/api/v1/catalog?q=keripik", "").wantStatus(http.StatusOK)
		if !strings.Contains(pub.Body, "Keripik Tempe Original") {
			t.Errorf("the catalogue: %s", pub.Body)
		}
		call("", "GET", fmt.Sprintf("/api/v1/catalog/%d", it.ID), "").wantStatus(http.StatusOK)
		var ms struct {
			Items []struct{ ID int64 }
		}
		call(cs, "GET", fmt.Sprintf("/api/v1/movements?document_id=%d", first.DocumentID), "").json(&ms)
		call(cs, "POST", fmt.Sprintf("/api/v1/movements/%d/reversal", ms.Items[0].ID), `{"reason": "salah jumlah"}`).wantStatus(http.StatusCreated)
		call(cs, "POST", fmt.Sprintf("/api/v1/movements/%d/reversal", ms.Items[0].ID), `{"reason": "lagi"}`).wantStatus(http.StatusConflict)
	})
}
