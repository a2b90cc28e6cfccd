// Package web is Etalase's HTTP face: pages rendered on the server from embedded
// templates, the JSON API under /api/v1, health and metrics. It is thin: it reads
// forms, calls the capabilities (account, audit, settings...) and renders what
// they answer. It never holds business rules and never keeps state in memory that
// another server process would need.
package web

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/calendar"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/settings"
)

//go:embed templates
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Config is what the web layer needs from the outside.
type Config struct {
	App         *app.App // every service, built once by the composition root
	Log         *slog.Logger
	BaseURL     string    // e.g. https://galeri.example.go.id; "" for local use
	DefaultLang i18n.Lang // language for visitors who have not chosen one
	Version     string
	// TrustedProxies are the load balancers whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// Registry receives the HTTP metrics; nil makes a private one (tests).
	Registry *prometheus.Registry
}

// Server serves Etalase over HTTP.
type Server struct {
	cfg          Config
	app          *app.App
	db           *db.DB
	accounts     *account.Service
	applications *application.Service
	applicants   *applicant.Service
	documents    *document.Service
	intake       *intake.Service
	calendar     calendar.Store
	settings     settings.Store
	log          *slog.Logger
	cat          *i18n.Catalog
	pages        map[string]*template.Template
	static       staticAssets
	metrics      *httpMetrics
	registry     *prometheus.Registry
	secure       bool // cookies marked Secure (behind https)
	handler      http.Handler
	// damaged holds the last integrity check's failure, if it failed: /readyz
	// reports it.
	damaged atomic.Pointer[string]
}

// sweepFiles removes what a crash left in the document store: temporary files
// of uploads cut off, and stored files whose row never committed. A day's age
// keeps every upload still on its way.
func (s *Server) sweepFiles(ctx context.Context) {
	n, err := s.app.Files.Sweep(24*time.Hour, func(keys []string) (map[string]bool, error) { return s.documents.Referenced(ctx, keys) })
	if err != nil && ctx.Err() == nil {
		s.log.Warn("sweep the document store", "err", err)
	} else if n > 0 {
		s.log.Info("swept the document store", "removed", n)
	}
}

// checkIntegrity runs the database's integrity check and remembers a failure.
func (s *Server) checkIntegrity(ctx context.Context) {
	if err := s.db.QuickCheck(ctx); err != nil && ctx.Err() == nil {
		msg := err.Error()
		s.damaged.Store(&msg)
		s.log.Error("database integrity check failed", "err", err)
	}
}

// New parses every template and builds the routes, so a broken template stops the
// server at start-up, not on a user's first visit.
func New(cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.DefaultLang == "" {
		cfg.DefaultLang = i18n.ID
	}
	cat, err := i18n.LoadCatalog()
	if err != nil {
		return nil, err
	}
	a := cfg.App
	s := &Server{
		cfg: cfg, app: a, db: a.DB, accounts: a.Accounts, applications: a.Applications, applicants: a.Applicants,
		documents: a.Documents, intake: a.Intake, calendar: a.Calendar, settings: a.Settings,
		log: cfg.Log, cat: cat, secure: strings.HasPrefix(cfg.BaseURL, "https://"),
	}
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	s.registry = cfg.Registry
	if s.registry == nil {
		s.registry = prometheus.NewRegistry()
	}
	s.metrics = newHTTPMetrics(s.registry)
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// HTTPServer returns an *http.Server with timeouts fit for the open internet: a
// slow client cannot hold a connection forever.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		// A 25 MB camera photo over a 1 Mbit/s phone link takes more than three
		// minutes; a slow client holds only its own goroutine (uploads wait on
		// disk, and only decoding is bounded), so the limit can be generous.
		ReadTimeout:    5 * time.Minute,
		WriteTimeout:   5 * time.Minute, // a streamed register or data export on a slow link
		IdleTimeout:    120 * time.Second,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// Maintain runs housekeeping until ctx ends, hourly: expired sessions,
// sign-in failures too old to matter and expired import files are purged; and once a day the database's integrity is checked again (at start
// serve refuses a damaged one), so /readyz stops reporting ready when the file
// is found damaged.
func (s *Server) Maintain(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	lastCheck := time.Now()
	for {
		if n, err := s.accounts.PurgeExpiredSessions(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("purge sessions", "err", err)
		} else if n > 0 {
			s.log.Info("purged expired sessions", "count", n)
		}
		if n, err := s.accounts.PurgeLoginFailures(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("purge sign-in failures", "err", err)
		} else if n > 0 {
			s.log.Info("purged old sign-in failures", "count", n)
		}
		if n, err := s.app.Importer.PurgeFiles(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("purge import files", "err", err)
		} else if n > 0 {
			s.log.Info("purged expired import files", "count", n)
		}
		if time.Since(lastCheck) >= 24*time.Hour {
			lastCheck = time.Now()
			s.checkIntegrity(ctx)
			s.sweepFiles(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
