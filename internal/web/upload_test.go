package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
)

// An upload that is stored but worth a look (an expired certificate) says so as
// a notice; a file that is not a PDF/JPG/PNG is refused at the file field and
// nothing is stored.
func TestUploadSaysWhatIsWrongAndKeepsNothingRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		owner := e.user(account.NewUser{Email: "sri@keripik.id", Name: "Sri"})
		biz, _, err := e.app.Applicants.Save(systemCtx(), owner, owner.ID, applicant.BusinessInput{Name: "Keripik Sanan"})
		if err != nil {
			t.Fatal(err)
		}
		b := e.signIn("sri@keripik.id", pw)
		upload := func(kind, expires, name string, content []byte) *answer {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			_ = mw.WriteField("form", "other") // the "other documents" form of the page
			_ = mw.WriteField("kind", kind)
			_ = mw.WriteField("expires_on", expires)
			fw, _ := mw.CreateFormFile("file", name)
			_, _ = fw.Write(content)
			mw.Close()
			req := b.request("POST", fmt.Sprintf("/businesses/%d/documents", biz.ID), &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return b.do(req)
		}
		img := make([]byte, pngReader(t).Size())
		_, _ = pngReader(t).Read(img)
		ans := upload("halal", "2025-01-31", "halal.png", img).wantStatus(http.StatusCreated)
		if got := ans.text("main .notice"); !strings.Contains(got, "masa berlaku") {
			t.Fatalf("an expired certificate should be noted: %q", got)
		}
		if ans.find("main .error").Length() != 0 {
			t.Fatal("a stored document with a note is shown as an error")
		}
		ans = upload("sni", "", "sni.pdf", []byte("MZ\x90\x00 this is a program"))
		if ans.Status != http.StatusUnprocessableEntity || ans.fieldError("file-other") == "" {
			t.Fatalf("a program renamed .pdf: %d, file field says %q", ans.Status, ans.fieldError("file-other"))
		}
		if docs, _ := e.app.Documents.Current(systemCtx(), biz.ID); len(docs) != 1 {
			t.Fatalf("%d documents stored, want only the halal certificate", len(docs))
		}
	})
}

// Two clients sending their uploads a byte at a time hold no upload slot:
// a third applicant's upload goes through while they are still sending.
func TestSlowUploadsDoNotHoldUpOthers(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		owner := e.user(account.NewUser{Email: "sri@keripik.id", Name: "Sri"})
		biz, _, err := e.app.Applicants.Save(systemCtx(), owner, owner.ID, applicant.BusinessInput{Name: "Keripik Sanan"})
		if err != nil {
			t.Fatal(err)
		}
		b := e.signIn("sri@keripik.id", pw)
		path := fmt.Sprintf("/businesses/%d/documents", biz.ID)
		var slow []*io.PipeWriter
		done := make(chan int, 2)
		for range 2 {
			pr, pw := io.Pipe()
			slow = append(slow, pw)
			req := b.request("POST", path, pr)
			req.Header.Set("Content-Type", "multipart/form-data; boundary=X")
			go func() {
				// b.do would fail the test from this goroutine: the client's own
				// error is expected when the sender gives up.
				res, err := b.client.Do(req)
				if err != nil {
					done <- -1
					return
				}
				res.Body.Close()
				done <- res.StatusCode
			}()
			go func() {
				_, _ = pw.Write([]byte("--X\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nhalal\r\n"))
			}()
		}
		// The third, ordinary upload.
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("kind", "ktp")
		fw, _ := mw.CreateFormFile("file", "ktp.png")
		_, _ = io.Copy(fw, pngReader(t))
		mw.Close()
		// Were the slow uploads holding a slot, this one would wait for them
		// for ever: a generous deadline turns that into a failure, not a hang.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		req := b.request("POST", path, &buf).WithContext(ctx)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if got := b.do(req).Status; got != http.StatusSeeOther {
			t.Fatalf("the ordinary upload beside two slow ones: %d, want 303", got)
		}
		select {
		case s := <-done:
			t.Fatalf("a slow upload finished (%d) before its sender did", s)
		default:
		}
		for _, pw := range slow {
			pw.CloseWithError(io.ErrUnexpectedEOF)
		}
		<-done
		<-done
	})
}
