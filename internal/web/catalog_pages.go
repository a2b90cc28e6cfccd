package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // product photos may be PNG
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/image/draw"

	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/settings"
	"github.com/etalase-id/etalase/internal/stock"
)

// The public catalogue (no sign-in): what is on display, searched and
// filtered, a page at a time; the product page a price tag's QR code opens;
// photos as thumbnails made once per width.

// thumbWidths are the widths a photo is served at (srcset).
var thumbWidths = []int{160, 320, 640}

type catalogList struct {
	Items      []stock.CatalogItem
	Q          string
	Category   string
	Regency    string
	Min, Max   string
	Categories []string
	Regencies  []idn.RegencyInfo
	NextURL    string
	FirstURL   string
	Searched   bool
	Corrected  string // the words shown instead of Q, which found nothing
}

func (s *Server) catalogList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := catalogList{Q: q.Get("q"), Category: q.Get("category"), Regency: q.Get("regency"), Min: q.Get("min"), Max: q.Get("max"),
		Categories: applicant.Categories, Regencies: idn.RegenciesOf(idn.EastJava)}
	if len(d.Q) > 1000 {
		d.Q = d.Q[:1000]
	}
	d.Searched = strings.TrimSpace(d.Q) != "" || d.Category != "" || d.Regency != "" || d.Min != "" || d.Max != ""
	price := func(v string) int64 {
		n, err := idn.ParseRupiah(strings.TrimSpace(v))
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	const per = 24
	items, err := s.app.Stock.Catalog(r.Context(), stock.CatalogQuery{Words: d.Q, Category: d.Category, RegencyCode: d.Regency,
		MinPrice: price(d.Min), MaxPrice: price(d.Max), Before: before, Limit: per + 1})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(items) == 0 && before == 0 && strings.TrimSpace(d.Q) != "" {
		// Nothing found: perhaps a word mistyped. The page shows what the
		// corrected words find, and says so; its next page goes on with them.
		sug, err := s.app.Stock.Suggest(r.Context(), d.Q)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if sug != "" {
			found, err := s.app.Stock.Catalog(r.Context(), stock.CatalogQuery{Words: sug, Category: d.Category, RegencyCode: d.Regency,
				MinPrice: price(d.Min), MaxPrice: price(d.Max), Limit: per + 1})
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			if len(found) > 0 {
				items, d.Corrected = found, sug
			}
		}
	}
	if len(items) > per {
		items = items[:per]
		next := url.Values{}
		for k, v := range q {
			if k != "before" {
				next[k] = v
			}
		}
		if d.Corrected != "" {
			next.Set("q", d.Corrected)
		}
		next.Set("before", fmt.Sprint(items[per-1].ID))
		d.NextURL = "/katalog?" + next.Encode()
	}
	if before > 0 {
		first := url.Values{}
		for k, v := range q {
			if k != "before" {
				first[k] = v
			}
		}
		d.FirstURL = "/katalog?" + first.Encode()
	}
	d.Items = items
	s.render(w, r, http.StatusOK, "catalog/list", page{Title: "catalog.title", Data: d})
}

type catalogItemPage struct {
	Item     stock.CatalogItem
	Regency  string
	URL      string
	Photo    string
	WhatsApp string
}

func (s *Server) catalogItem(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	c, err := s.app.Stock.CatalogEntry(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := catalogItemPage{Item: c, URL: s.absURL(r, fmt.Sprintf("/katalog/%d", c.ID))}
	if reg, ok := idn.Regency(c.RegencyCode); ok {
		d.Regency = reg.Name
	}
	if c.PhotoID != 0 {
		d.Photo = s.absURL(r, fmt.Sprintf("/katalog/foto/%d/640", c.PhotoID))
	}
	text := fmt.Sprintf("Halo Galeri, saya ingin bertanya tentang %s (%s): %s", c.Name, idn.FormatRupiah(c.Price), d.URL)
	if contact, _ := s.settings.Get(r.Context(), settings.GalleryContact); contact != "" {
		if p, err := idn.ParsePhone(contact); err == nil {
			d.WhatsApp = "https://wa.me/" + p.WhatsApp() + "?text=" + url.QueryEscape(text)
		}
	}
	if d.WhatsApp == "" {
		d.WhatsApp = "https://wa.me/?text=" + url.QueryEscape(text)
	}
	s.render(w, r, http.StatusOK, "catalog/item", page{Title: c.Name, Data: d})
}

// catalogPhoto serves a product photo on display at one of thumbWidths,
// made once and kept in the database.
func (s *Server) catalogPhoto(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	width, err := strconv.Atoi(r.PathValue("w"))
	if !ok || err != nil || !containsInt(thumbWidths, width) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	ctx := r.Context()
	data, have, err := s.app.Stock.Thumbnail(ctx, id, width)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !have {
		key, _, err := s.app.Stock.PublicPhoto(ctx, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f, err := s.app.Files.Open(key)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		data, err = thumbnail(f, width)
		_ = f.Close()
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if err := s.app.Stock.SaveThumbnail(ctx, id, width, data); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	etag := fmt.Sprintf(`"t%d-%d"`, id, width)
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(data)
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// thumbnail scales an image to width (never up) as a JPEG.
func thumbnail(r io.Reader, width int) ([]byte, error) {
	src, _, err := image.Decode(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	if b.Dx() < width {
		width = b.Dx()
	}
	h := max(1, b.Dy()*width/max(1, b.Dx()))
	dst := image.NewRGBA(image.Rect(0, 0, width, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Over, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 82}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cached answers a public page with an ETag (a 304 when the browser has it)
// and gzip when the browser takes it. For a visitor who is not signed in
// (nothing on the page is theirs) the page made for one request serves the
// same address and language for pageTTL: a micro-cache in this process, which
// no other process needs, so a burst of visitors costs one rendering.
// Changes show within pageTTL.
func (s *Server) cached(h http.HandlerFunc) http.HandlerFunc {
	pc := pageCache{now: s.db.Now}
	return func(w http.ResponseWriter, r *http.Request) {
		st := reqFrom(r.Context())
		key := ""
		if _, err := r.Cookie(flashCookie); st.user == nil && err != nil {
			key = string(st.lang) + " " + r.URL.RequestURI()
		}
		rec, ok := pc.get(key)
		if !ok {
			rec = &recorder{header: http.Header{}, status: http.StatusOK}
			h(rec, r)
			if key != "" && rec.status == http.StatusOK {
				pc.put(key, rec)
			}
		}
		for k, v := range rec.header {
			w.Header()[k] = slices.Clone(v)
		}
		if rec.status != http.StatusOK {
			w.WriteHeader(rec.status)
			_, _ = w.Write(rec.body.Bytes())
			return
		}
		etag := rec.etag
		if etag == "" {
			etag = etagOf(rec.body.Bytes())
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Add("Vary", "Accept-Encoding")
		if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") && rec.body.Len() > 512 {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Del("Content-Length")
			w.WriteHeader(http.StatusOK)
			if rec.gz != nil {
				_, _ = w.Write(rec.gz) // compressed once, when cached
				return
			}
			zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
			_, _ = zw.Write(rec.body.Bytes())
			_ = zw.Close()
			return
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(rec.body.Bytes())
	}
}

// pageTTL is how long a page made for an anonymous visitor serves others.
const pageTTL = 2 * time.Second

// pageCache holds recent anonymous pages, at most 512, forgotten after pageTTL.
type pageCache struct {
	now func() time.Time // the database's clock, which tests set
	mu  sync.Mutex
	m   map[string]cachedPage
}

type cachedPage struct {
	rec *recorder
	at  time.Time
}

func (c *pageCache) get(key string) (*recorder, bool) {
	if key == "" {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[key]
	if !ok || c.now().Sub(p.at) > pageTTL {
		return nil, false
	}
	return p.rec, true
}

func (c *pageCache) put(key string, rec *recorder) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= 512 {
		c.m = map[string]cachedPage{}
	}
	rec.etag = etagOf(rec.body.Bytes())
	if rec.body.Len() > 512 {
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
		_, _ = zw.Write(rec.body.Bytes())
		_ = zw.Close()
		rec.gz = gz.Bytes()
	}
	c.m[key] = cachedPage{rec: rec, at: c.now()}
}

func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

type recorder struct {
	etag   string // once cached
	gz     []byte // the body gzipped, once cached
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(code int)        { r.status = code }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
