package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// The page catalogues: one flat JSON object per language, key → text. Texts may
// hold {0}, {1}... for arguments. Keys are grouped by dotted prefix (nav., login.,
// admin.users....). A test checks both catalogues have the same keys and that every
// key a template uses exists.
//
//go:embed locales/*.json
var localeFiles embed.FS

// Catalog holds the texts of every language.
type Catalog struct {
	texts map[Lang]map[string]string
}

// LoadCatalog reads the embedded catalogues.
func LoadCatalog() (*Catalog, error) {
	c := &Catalog{texts: map[Lang]map[string]string{}}
	for _, l := range Langs {
		b, err := localeFiles.ReadFile("locales/" + string(l) + ".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("locales/%s.json: %w", l, err)
		}
		c.texts[l] = m
	}
	return c, nil
}

// T returns the text for key in l, with {0}, {1}... replaced by args. A missing key
// falls back to Indonesian, then to the key itself (visible, so it gets fixed).
func (c *Catalog) T(l Lang, key string, args ...any) string {
	s, ok := c.texts[l][key]
	if !ok {
		if s, ok = c.texts[ID][key]; !ok {
			return key
		}
	}
	for i, a := range args {
		s = strings.ReplaceAll(s, fmt.Sprintf("{%d}", i), fmt.Sprint(a))
	}
	return s
}

// Has reports whether key exists in l.
func (c *Catalog) Has(l Lang, key string) bool {
	_, ok := c.texts[l][key]
	return ok
}

// Keys returns the keys of l, sorted.
func (c *Catalog) Keys(l Lang) []string {
	keys := make([]string, 0, len(c.texts[l]))
	for k := range c.texts[l] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
