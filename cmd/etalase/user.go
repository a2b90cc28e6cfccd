package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/role"
)

// cmdUser is for operators at the server's terminal: creating an account or
// resetting a password when nobody can sign in as admin.
func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"user: say create or reset-password"}
	}
	var c config
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.bindCommon(fs)
	ctx = audit.WithActor(ctx, audit.Actor{Label: "operator (etalase user)"})
	switch args[0] {
	case "create":
		var r, div, email, phone, name string
		fs.StringVar(&r, "role", "", "role: "+roleList())
		fs.StringVar(&div, "division", "", "division for role bidang: halal, standardisasi, hki, perizinan")
		fs.StringVar(&email, "email", "", "e-mail to sign in with")
		fs.StringVar(&phone, "phone", "", "WhatsApp number to sign in with")
		fs.StringVar(&name, "name", "", "full name (default: the e-mail)")
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		password, err := readPassword(stdin)
		if err != nil {
			return err
		}
		if name == "" {
			name = email
			if name == "" {
				name = phone
			}
		}
		a, done, err := openApp(ctx, &c)
		if err != nil {
			return err
		}
		defer done()
		u, err := a.Accounts.Create(ctx, account.NewUser{Email: email, Phone: phone, Name: name, Role: role.Role(r), Division: role.Division(div), Password: password})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "created user %d: %s (%s)\n", u.ID, u.Login(), u.Role)
		return nil
	case "reset-password":
		var login string
		fs.StringVar(&login, "login", "", "e-mail or phone number of the account")
		if err := parseFlags(fs, args[1:]); err != nil {
			return err
		}
		if login == "" {
			return usageError{"user reset-password: --login is required"}
		}
		a, done, err := openApp(ctx, &c)
		if err != nil {
			return err
		}
		defer done()
		svc := a.Accounts
		u, err := svc.ByLogin(ctx, login)
		if err != nil {
			return explain(err)
		}
		otp, err := svc.ResetPassword(ctx, u.ID)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "one-time password for %s: %s\n(must be changed at the next sign-in; all sessions of this account were ended)\n", u.Login(), otp)
		return nil
	}
	return usageError{fmt.Sprintf("user: unknown action %q (create, reset-password)", args[0])}
}

// openApp opens the database and builds the services for a command-line tool;
// done closes the database.
func openApp(ctx context.Context, c *config) (*app.App, func(), error) {
	d, err := openForUser(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	a, err := app.New(ctx, d, c.appConfig())
	if err != nil {
		d.Close()
		return nil, nil, err
	}
	return a, func() { _ = a.Shutdown(context.WithoutCancel(ctx)); d.Close() }, nil
}

func openForUser(ctx context.Context, c *config) (*db.DB, error) {
	if err := c.validate(false); err != nil {
		return nil, usageError{err.Error()}
	}
	if err := prepareDataDir(c.Data); err != nil {
		return nil, err
	}
	d, err := openDB(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := ensureSchema(ctx, d, false, func(string, ...any) {}); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usageError{"give the password on standard input, e.g. echo 'kata sandi panjang' | etalase user create ..."}
	}
	return line, nil
}

// explain turns a user error into one English line for the terminal.
func explain(err error) error {
	e, ok := apperr.As(err)
	if !ok {
		return err
	}
	msg := e.Text.EN
	for _, f := range e.Fields {
		msg += fmt.Sprintf("\n  %s: %s", f.Name, f.Text.EN)
	}
	return fmt.Errorf("%s", msg)
}

func roleList() string {
	var s []string
	for _, r := range role.All {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}
