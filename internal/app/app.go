// Package app is the composition root: it builds every service of Etalase once,
// on one database, and plugs the capabilities into the procedure engine. The
// server, the command-line tools, the demo data and the tests all get their
// services here, so they cannot drift apart in how they are wired.
//
// Adding a capability means: build its service in New, register it with the
// engine (AddFactSource for the facts it owns, AddHook if it must act inside
// transitions) and with the personal-data export (Privacy.Add) if it holds
// personal data, and give it a field on App.
package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/calendar"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/importer"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/letter"
	"github.com/etalase-id/etalase/internal/message"
	"github.com/etalase-id/etalase/internal/privacy"
	"github.com/etalase-id/etalase/internal/referral"
	"github.com/etalase-id/etalase/internal/settings"
	"github.com/etalase-id/etalase/internal/stock"
	"github.com/etalase-id/etalase/internal/vault"
)

// Config is what the services need from outside the database.
type Config struct {
	// DataDir holds the generated data key (keys/) and the uploaded documents
	// (documents/).
	DataDir string
	// DataKey is the base64 master key protecting NIKs; empty means the key file
	// in DataDir, generated on first start.
	DataKey string
	// MaxUploadBytes is the largest document stored; 0 means the store's default.
	MaxUploadBytes int64
	// SessionIdle ends sessions unused for this long; 0 keeps the default.
	SessionIdle time.Duration
	// Hasher hashes passwords; nil means the production parameters (tests pass
	// cheap ones).
	Hasher *account.Hasher
	// RegistrationsPerHour caps applicants' registrations from one address; 0
	// keeps the default.
	RegistrationsPerHour int
	// Queue tunes the job queue behind messages (workers, retries, periodic
	// jobs); the zero value is the server's.
	Queue message.QueueConfig
}

// App is every service of Etalase, built once.
type App struct {
	DB       *db.DB
	Vault    *vault.Vault
	Files    *document.Store
	Calendar calendar.Store
	Settings settings.Store

	Accounts     *account.Service
	Applications *application.Service // the procedure engine
	Applicants   *applicant.Service
	Documents    *document.Service
	Intake       *intake.Service
	Curation     *curation.Service
	Importer     *importer.Importer
	Privacy      *privacy.Exporter
	Stock        *stock.Service    // items, locations, the stock ledger (step 9)
	Messages     *message.Service  // WhatsApp and e-mail through the job queue
	Letters      letter.Register   // every letter issued, for the public verification page
	Referrals    *referral.Service // SOP step 8: referrals to the other divisions
}

// New builds the services on d, which must carry the current schema, and
// prepares what they need at start (the working-day calendar's defaults).
func New(ctx context.Context, d *db.DB, c Config) (*App, error) {
	v, err := loadVault(ctx, d, c)
	if err != nil {
		return nil, err
	}
	files, err := document.NewStore(filepath.Join(c.DataDir, "documents"), c.MaxUploadBytes)
	if err != nil {
		return nil, fmt.Errorf("document store: %w", err)
	}
	a := &App{DB: d, Vault: v, Files: files, Calendar: calendar.New(d), Settings: settings.Store{DB: d}}
	if err := a.Calendar.EnsureDefaults(ctx); err != nil {
		return nil, fmt.Errorf("working-day calendar: %w", err)
	}

	a.Accounts = account.New(d)
	if c.SessionIdle > 0 {
		a.Accounts.SessionIdle = c.SessionIdle
	}
	if c.Hasher != nil {
		a.Accounts.Hasher = *c.Hasher
	}
	if c.RegistrationsPerHour > 0 {
		a.Accounts.RegistrationsPerHour = c.RegistrationsPerHour
	}
	a.Applications = application.New(d, a.Calendar)
	a.Applicants = &applicant.Service{DB: d, Vault: v, Applications: a.Applications}
	a.Documents = &document.Service{DB: d, Files: files, Applications: a.Applications}
	a.Intake = &intake.Service{DB: d, Accounts: a.Accounts, Applications: a.Applications, Applicants: a.Applicants, Documents: a.Documents}
	a.Curation = &curation.Service{DB: d, Applications: a.Applications, Applicants: a.Applicants, Documents: a.Documents, Intake: a.Intake, Settings: a.Settings}
	a.Importer = importer.New(d, a.Accounts, a.Applicants, a.Applications, processName())

	a.Messages = &message.Service{DB: d, Settings: a.Settings, Vault: v, Accounts: a.Accounts, Applications: a.Applications, Calendar: a.Calendar}
	if err := a.Messages.SetQueue(c.Queue); err != nil {
		return nil, fmt.Errorf("message queue: %w", err)
	}

	// The procedure's plug-ins: who supplies which facts, who acts in transitions.
	a.Applications.AddFactSource(a.Intake)
	a.Applications.AddHook(a.Intake)
	a.Stock = &stock.Service{DB: d, Applications: a.Applications, Accounts: a.Accounts}
	if err := a.Stock.EnsureDefaults(ctx); err != nil {
		return nil, fmt.Errorf("stock locations: %w", err)
	}
	a.Applications.AddFactSource(a.Stock)
	a.Applications.AddFactSource(a.Curation)
	a.Applications.AddViewRule(a.Curation)

	if err := a.Curation.EnsureDefaultRubric(ctx); err != nil {
		return nil, fmt.Errorf("default curation rubric: %w", err)
	}
	a.Applications.AddHook(a.Messages)
	a.Messages.AddNoticeSource(a.Stock)
	a.Letters = letter.Register{DB: d}
	a.Referrals = &referral.Service{DB: d, Applications: a.Applications, Messages: a.Messages, Accounts: a.Accounts, Calendar: a.Calendar, Letters: a.Letters}
	a.Applications.AddFactSource(a.Referrals)
	a.Applications.AddDueSource(a.Referrals)

	// What the personal-data export asks, in the order it appears in data.json.
	a.Privacy = &privacy.Exporter{DB: d}
	a.Privacy.Add(a.Applicants)
	a.Privacy.Add(a.Documents)
	a.Privacy.Add(a.Applications)
	a.Privacy.Add(a.Intake)

	if err := a.recordKeyCheck(ctx, c); err != nil {
		return nil, err
	}
	return a, nil
}

// Shutdown stops the background work of the services (imports in progress,
// which mark themselves interrupted), waiting for it until ctx ends.
func (a *App) Shutdown(ctx context.Context) error {
	return errors.Join(a.Messages.Stop(ctx), a.Importer.Shutdown(ctx))
}

// processName names this process in the work it does in the background
// (import batches): host, pid and a random tag, since a restarted process may
// get the pid of one that died.
func processName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), rand.Text()[:6])
}

// keyCheckSetting holds the data key's check value (vault.CheckValue), stored
// at the first start, so a later start with another key is refused instead of
// sealing new NIKs under a second key.
const keyCheckSetting = "vault.key_check"

// loadVault loads the data key and makes sure it is the one the database's
// NIKs are sealed with. It refuses, each time with one line that says what to
// do: a key file that went missing while the database holds sealed NIKs (a new
// key would be generated, and every NIK found unreadable later), and a key
// whose check value is not the one stored.
func loadVault(ctx context.Context, d *db.DB, c Config) (*vault.Vault, error) {
	st := settings.Store{DB: d}
	stored, err := st.Get(ctx, keyCheckSetting)
	if err != nil {
		return nil, err
	}
	var sealed int
	if err := d.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM businesses WHERE nik_sealed IS NOT NULL LIMIT 1) x").Scan(&sealed); err != nil {
		return nil, err
	}
	keyFile := filepath.Join(c.DataDir, vault.KeyFile)
	if c.DataKey == "" && !vault.KeyFileExists(c.DataDir) && (stored != "" || sealed > 0) {
		return nil, fmt.Errorf("the data key %s is missing, but the database holds NIKs sealed with a key: restore the key file from its backup, or give the key with --data-key / ETALASE_DATA_KEY", keyFile)
	}
	v, err := vault.Load(c.DataDir, c.DataKey)
	if err != nil {
		return nil, err
	}
	if stored != "" && stored != v.CheckValue() {
		return nil, fmt.Errorf("the data key (%s) is not the one this database's NIKs are sealed with (key check %s, expected %s): give the right key with --data-key / ETALASE_DATA_KEY, or restore %s", keySource(c), v.CheckValue(), stored, keyFile)
	}
	return v, nil
}

// recordKeyCheck stores the key's check value at the first start, after
// making sure, in a database sealed before check values were kept, that the
// key opens its NIKs.
func (a *App) recordKeyCheck(ctx context.Context, c Config) error {
	stored, err := a.Settings.Get(ctx, keyCheckSetting)
	if err != nil || stored != "" {
		return err
	}
	if err := a.Applicants.CheckKey(ctx); err != nil {
		return fmt.Errorf("the data key (%s) cannot open the NIKs in this database: give the right key with --data-key / ETALASE_DATA_KEY, or restore %s", keySource(c), filepath.Join(c.DataDir, vault.KeyFile))
	}
	// Written beside the admin's settings but audited as what it is: the system
	// recording its key, not an admin changing a setting.
	return a.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`,
			keyCheckSetting, a.Vault.CheckValue(), tx.Now); err != nil {
			return err
		}
		return audit.Record(audit.WithActor(ctx, audit.System), tx, "vault.key_recorded", "setting", keyCheckSetting,
			"Sidik kunci data dicatat: "+a.Vault.CheckValue(), nil, nil)
	})
}

func keySource(c Config) string {
	if c.DataKey != "" {
		return "from --data-key / ETALASE_DATA_KEY"
	}
	return filepath.Join(c.DataDir, vault.KeyFile)
}
