package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
)

// staticAssets serves the embedded files under /static/ with a content hash in the
// URL (style.css?v=1a2b3c4d), so browsers may cache them for a year and still get
// a new file the moment it changes.
type staticAssets struct {
	files fs.FS
	hash  map[string]string
}

func loadStatic() (staticAssets, error) {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return staticAssets{}, err
	}
	a := staticAssets{files: sub, hash: map[string]string{}}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.hash[p] = hex.EncodeToString(sum[:4])
		return nil
	})
	return a, err
}

// URL returns the cache-busting URL of a static file.
func (a staticAssets) URL(name string) string {
	return "/static/" + name + "?v=" + a.hash[name]
}

func (a staticAssets) handler() http.Handler {
	files := http.StripPrefix("/static/", http.FileServerFS(a.files))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if _, ok := a.hash[name]; !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("v") == a.hash[name] {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}
