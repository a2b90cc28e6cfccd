package db

import (
	"fmt"
	"time"
)

// NullTime scans a time that may be NULL from a column SQLite does not know
// as a timestamp: the result of an expression (MIN(at), a scalar subquery),
// which modernc's driver returns as the text it stored, while PostgreSQL
// returns a time.
type NullTime struct {
	Time  time.Time
	Valid bool
}

// sqliteLayouts are the ways modernc's driver writes a time (_time_format=sqlite),
// with and without fractions and zone.
var sqliteLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", time.RFC3339Nano}

// Scan implements sql.Scanner.
func (n *NullTime) Scan(v any) error {
	switch t := v.(type) {
	case nil:
		*n = NullTime{}
		return nil
	case time.Time:
		*n = NullTime{Time: t, Valid: true}
		return nil
	case []byte:
		return n.parse(string(t))
	case string:
		return n.parse(t)
	}
	return fmt.Errorf("db.NullTime: cannot scan %T", v)
}

func (n *NullTime) parse(s string) error {
	for _, l := range sqliteLayouts {
		if t, err := time.Parse(l, s); err == nil {
			*n = NullTime{Time: t, Valid: true}
			return nil
		}
	}
	return fmt.Errorf("db.NullTime: cannot read %q as a time", s)
}
