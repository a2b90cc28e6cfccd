package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/message"
)

// config is everything a subcommand may be told, from flags or ETALASE_*
// environment variables (a flag wins over the variable).
type config struct {
	Addr           string
	Data           string
	DB             string
	BaseURL        string
	Lang           string
	Migrate        bool
	Demo           bool
	LogFormat      string
	SQLiteSync     string
	SessionIdle    time.Duration
	sessionIdle    string // as typed; parsed by validate
	TrustedProxies []netip.Prefix
	trustedProxies string // as typed; parsed by validate
	DataKey        string // base64 master key for personal data; empty = generated in the data directory
	MaxUploadBytes int64
	maxUploadMB    int
	// RegistrationsPerHour is how many applicants may register from one address
	// in an hour (0 for the default).
	RegistrationsPerHour int
}

// bindCommon registers the flags shared by the subcommands that open the database.
func (c *config) bindCommon(fs *flag.FlagSet) {
	fs.StringVar(&c.Data, "data", env("ETALASE_DATA", "./etalase-data"), "data directory: SQLite database, keys, uploaded documents (env ETALASE_DATA)")
	fs.StringVar(&c.DB, "db", env("ETALASE_DB", ""), "database: empty for SQLite in the data directory, or a postgres:// URL (env ETALASE_DB)")
	fs.StringVar(&c.SQLiteSync, "sqlite-synchronous", env("ETALASE_SQLITE_SYNCHRONOUS", "FULL"), "SQLite durability: FULL (safe for money, default) or NORMAL (env ETALASE_SQLITE_SYNCHRONOUS)")
	fs.StringVar(&c.DataKey, "data-key", env("ETALASE_DATA_KEY", ""), "base64 of 32 random bytes protecting NIKs at rest; empty: generated once into DATA/keys (env ETALASE_DATA_KEY; required when several servers share PostgreSQL)")
	fs.IntVar(&c.maxUploadMB, "max-upload-mb", envInt("ETALASE_MAX_UPLOAD_MB", 5), "largest document upload in MB (env ETALASE_MAX_UPLOAD_MB)")
	fs.StringVar(&c.LogFormat, "log-format", env("ETALASE_LOG_FORMAT", "text"), "log format: text or json (env ETALASE_LOG_FORMAT)")
}

// bindServe registers the flags of `serve`.
func (c *config) bindServe(fs *flag.FlagSet) {
	c.bindCommon(fs)
	fs.StringVar(&c.Addr, "addr", env("ETALASE_ADDR", "127.0.0.1:8080"), "address to listen on; port 0 picks a free port (env ETALASE_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", env("ETALASE_BASE_URL", ""), "public URL of the site, e.g. https://galeri.diskopukm.jatimprov.go.id; used in links sent out (env ETALASE_BASE_URL)")
	fs.StringVar(&c.Lang, "lang", env("ETALASE_LANG", "id"), "default language of the pages: id or en (env ETALASE_LANG)")
	fs.StringVar(&c.trustedProxies, "trusted-proxies", env("ETALASE_TRUSTED_PROXIES", ""), "comma-separated addresses or CIDRs of load balancers whose X-Forwarded-For is believed, e.g. 10.0.0.0/8 (env ETALASE_TRUSTED_PROXIES)")
	fs.BoolVar(&c.Migrate, "migrate", envBool("ETALASE_MIGRATE"), "upgrade an older database schema before serving (env ETALASE_MIGRATE=1)")
	fs.BoolVar(&c.Demo, "demo", envBool("ETALASE_DEMO"), "fill an empty database with demo data and demo accounts (env ETALASE_DEMO=1)")
	fs.StringVar(&c.sessionIdle, "session-idle", env("ETALASE_SESSION_IDLE", "2h"), "sign a user out after this long without activity, e.g. 2h or 90m (env ETALASE_SESSION_IDLE)")
	fs.IntVar(&c.RegistrationsPerHour, "registrations-per-hour", envInt("ETALASE_REGISTRATIONS_PER_HOUR", 60), "applicant registrations accepted from one address in an hour; raise it when many register at a gallery event behind one Wi-Fi (env ETALASE_REGISTRATIONS_PER_HOUR)")
}

// validate checks everything at once and says what is wrong and how to fix it.
func (c *config) validate(serving bool) error {
	var errs []error
	if c.Data == "" {
		errs = append(errs, errors.New("--data: give a data directory, e.g. --data ./etalase-data"))
	}
	if c.DB != "" && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") && !strings.HasPrefix(c.DB, "sqlite:") {
		errs = append(errs, errors.New("--db: leave empty for SQLite, or give sqlite:PATH or a postgres://user@host:5432/dbname URL"))
	}
	if s := strings.ToUpper(c.SQLiteSync); s != "FULL" && s != "NORMAL" && s != "EXTRA" {
		errs = append(errs, fmt.Errorf("--sqlite-synchronous %q: use FULL (default) or NORMAL", c.SQLiteSync))
	}
	if c.maxUploadMB < 1 || c.maxUploadMB > 50 {
		errs = append(errs, fmt.Errorf("--max-upload-mb %d: use 1 to 50", c.maxUploadMB))
	}
	c.MaxUploadBytes = int64(c.maxUploadMB) << 20
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("--log-format %q: use text or json", c.LogFormat))
	}
	if serving {
		if _, _, err := net.SplitHostPort(c.Addr); err != nil {
			errs = append(errs, fmt.Errorf("--addr %q: use host:port, e.g. 127.0.0.1:8080 or :8080", c.Addr))
		}
		if c.BaseURL != "" {
			u, err := url.Parse(c.BaseURL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				errs = append(errs, fmt.Errorf("--base-url %q: give the full address, e.g. https://galeri.example.go.id", c.BaseURL))
			}
		}
		if c.Lang != "id" && c.Lang != "en" {
			errs = append(errs, fmt.Errorf("--lang %q: use id or en", c.Lang))
		}
		d, err := time.ParseDuration(c.sessionIdle)
		if err != nil || d < time.Minute || d > 24*time.Hour {
			errs = append(errs, fmt.Errorf("--session-idle %q: use a duration between 1m and 24h, e.g. 2h", c.sessionIdle))
		}
		c.SessionIdle = d
		if c.RegistrationsPerHour < 1 || c.RegistrationsPerHour > 100000 {
			errs = append(errs, fmt.Errorf("--registrations-per-hour %d: use 1 to 100000", c.RegistrationsPerHour))
		}
		for _, p := range strings.Split(c.trustedProxies, ",") {
			if p = strings.TrimSpace(p); p == "" {
				continue
			}
			if !strings.Contains(p, "/") {
				if a, err := netip.ParseAddr(p); err == nil {
					p = netip.PrefixFrom(a, a.BitLen()).String()
				}
			}
			pfx, err := netip.ParsePrefix(p)
			if err != nil {
				errs = append(errs, fmt.Errorf("--trusted-proxies %q: give addresses or CIDRs, e.g. 10.0.0.5 or 10.0.0.0/8", p))
				continue
			}
			c.TrustedProxies = append(c.TrustedProxies, pfx.Masked())
		}
	}
	return errors.Join(errs...)
}

// prepareDataDir creates the data directory and checks it is writable, so that a
// wrong path fails at start with one clear line rather than at the first upload.
func prepareDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data directory %s cannot be created: %v", dir, unwrapPath(err))
	}
	probe, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return fmt.Errorf("data directory %s is not writable: %v", dir, unwrapPath(err))
	}
	probe.Close()
	return os.Remove(probe.Name())
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (c *config) lang() i18n.Lang { return i18n.Parse(c.Lang) }

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

func envInt(key string, def int) int {
	if v := os.Getenv(key); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
		return -1 // reported by validate
	}
	return def
}

func envBool(key string) bool {
	v := strings.ToLower(os.Getenv(key))
	return v == "1" || v == "true" || v == "yes"
}

// appConfig is what the services need of the configuration.
func (c *config) appConfig() app.Config {
	return app.Config{DataDir: c.Data, DataKey: c.DataKey, MaxUploadBytes: c.MaxUploadBytes, SessionIdle: c.SessionIdle,
		RegistrationsPerHour: c.RegistrationsPerHour, Queue: message.QueueConfig{Periodic: true}}
}
