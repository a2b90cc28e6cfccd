package app_test

import (
	"bufio"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The layers of Etalase, as docs/architecture.md draws them. Each internal
// package belongs to the group of its first path element under internal/ (so
// internal/db/dbtest is db's, internal/app/apptest is app's). A package named
// here is what it is listed as; every other internal package is a capability,
// so a new package is held to the capability rules until it is put on a list.
var (
	// foundation is what everything may build on: rules as plain Go, the
	// database, accounts, the audit trail. It must stay below the procedure and
	// the capabilities, or a change in one step's data would ripple into every
	// package and the import graph would knot into cycles.
	foundation = []string{
		"apperr", "i18n", "role", "idn", "workday", "sop", "db", "vault",
		"audit", "account", "settings", "calendar", "policy", "privacy",
	}
	// engine is the procedure engine. It knows the SOP but none of its steps'
	// data: capabilities plug into it through FactSource and Hook at wiring
	// time. An engine that imported a capability could not be extended without
	// being edited, and the capability could not import it back.
	engine = "application"
	// root is the composition root, which wires everything; importing it from
	// below would make a capability depend on all the others.
	root = "app"
	// web is the thin HTTP layer over the capabilities; nothing below it may
	// know about pages or requests.
	web = "web"
	// top are packages that take the whole *app.App, above the composition root
	// like the web layer: the demo data seeds every capability through it.
	top = []string{"demo"}
	// testOnly is test support that pulls in a browser driver; production code
	// importing it would put chromedp into the binary.
	testOnly = []string{"browsertest"}
)

// Who may import the composition root and the web layer, besides test files:
// only what sits above them.
var (
	mayImportApp = []string{"cmd/etalase", "cmd/etalase-load", "internal/web", "internal/demo", "internal/app/apptest"}
	mayImportWeb = []string{"cmd/etalase"}
)

// TestDependenciesPointOneWay reads the imports of every non-test Go file of
// the module (go/parser, no toolchain needed) and checks the layering. Test
// files are exempt: an external test may build the whole app to test one
// package (apptest), which is no dependency of the package itself.
func TestDependenciesPointOneWay(t *testing.T) {
	rootDir := filepath.Join("..", "..")
	module := modulePath(t, filepath.Join(rootDir, "go.mod"))
	files := importsOf(t, rootDir, module)

	// Lists naming packages that no longer exist would make the rules vacuous.
	present := map[string]bool{}
	for _, f := range files {
		present[f.pkg] = true
	}
	for _, g := range slices.Concat(foundation, []string{engine, root, web}, top, testOnly) {
		if !present["internal/"+g] {
			t.Errorf("the layer lists name internal/%s, which has no Go files: update the lists in %s", g, "internal/app/deps_test.go")
		}
	}

	for _, f := range files {
		from := group(f.pkg)
		for _, imp := range f.imports {
			if !strings.HasPrefix(imp, "internal/") {
				continue // the standard library and third-party modules
			}
			to := group(imp)
			if from == to && from != "" {
				continue // inside one group (db and db/dbtest)
			}
			var rule string
			switch {
			case from == engine && !slices.Contains(foundation, to):
				rule = "the procedure engine may import only foundation packages (" + strings.Join(foundation, ", ") + "); capabilities plug into it through FactSource and Hook in internal/app"
			case slices.Contains(foundation, from) && !slices.Contains(foundation, to):
				rule = "a foundation package may import only other foundation packages, never the engine, a capability, app or web"
			case to == root && !slices.Contains(mayImportApp, f.pkg):
				rule = "only " + strings.Join(mayImportApp, ", ") + " and test files may import the composition root"
			case to == web && !slices.Contains(mayImportWeb, f.pkg):
				rule = "only " + strings.Join(mayImportWeb, ", ") + " may import the web layer"
			case isCapability(from) && slices.Contains(top, to):
				rule = "a capability may not import internal/" + to + ", which sits above the composition root"
			case slices.Contains(testOnly, to):
				rule = "internal/" + to + " is test support: only _test.go files may import it"
			}
			if rule != "" {
				t.Errorf("%s imports %s: %s", f.file, imp, rule)
			}
		}
	}
}

// group is the layer a package belongs to: its first path element under
// internal/, or "" outside internal (cmd/etalase).
func group(pkg string) string {
	rest, ok := strings.CutPrefix(pkg, "internal/")
	if !ok {
		return ""
	}
	g, _, _ := strings.Cut(rest, "/")
	return g
}

func isCapability(g string) bool {
	return g != "" && g != engine && g != root && g != web &&
		!slices.Contains(foundation, g) && !slices.Contains(top, g) && !slices.Contains(testOnly, g)
}

type goFile struct {
	file    string   // path from the module root
	pkg     string   // package path without the module prefix
	imports []string // same; standard and third-party paths as they are
}

// importsOf parses the imports of every non-test .go file under dir. Files
// behind build constraints count too: the layering holds on every platform.
func importsOf(t *testing.T, dir, module string) []goFile {
	t.Helper()
	var out []goFile
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		af, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		g := goFile{file: rel, pkg: path.Dir(rel)}
		for _, is := range af.Imports {
			imp, err := strconv.Unquote(is.Path.Value)
			if err != nil {
				return err
			}
			if local, ok := strings.CutPrefix(imp, module+"/"); ok {
				imp = local
			}
			g.imports = append(g.imports, imp)
		}
		out = append(out, g)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no Go files found under %s", dir)
	}
	return out
}

func modulePath(t *testing.T, gomod string) string {
	t.Helper()
	f, err := os.Open(gomod)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(m), `"`)
		}
	}
	t.Fatalf("%s has no module line", gomod)
	return ""
}
