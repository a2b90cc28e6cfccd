package db

import (
	"fmt"
	"time"
)

// NullTime scans a time that may be NULL from a column SQLite does not know
// as a timestamp: the result of an expression (MIN(at), a scalar subquery,
// TimeText), which modernc's driver returns as the text it stored, while
// PostgreSQL returns a time.
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
	if t, ok := parseStored(s); ok {
		*n = NullTime{Time: t, Valid: true}
		return nil
	}
	for _, l := range sqliteLayouts {
		if t, err := time.Parse(l, s); err == nil {
			*n = NullTime{Time: t, Valid: true}
			return nil
		}
	}
	return fmt.Errorf("db.NullTime: cannot read %q as a time", s)
}

// TimeText is the SQL that reads the time column expr for NullTime: on SQLite
// as its stored text (an expression, so the driver does not parse it), which
// NullTime reads in a tenth of the time modernc's driver takes (it tries
// layouts with time.Parse; a page of fifty applications has 250 times); on
// PostgreSQL expr itself.
func (d *DB) TimeText(expr string) string {
	if d.Engine == SQLite {
		return "(" + expr + " || '')"
	}
	return expr
}

// parseStored reads the one layout modernc's driver writes times in
// (_time_format=sqlite): "2006-01-02 15:04:05.999999999-07:00", the fraction
// optional, the zone "Z" or ±hh:mm. It reports false for anything else.
func parseStored(s string) (time.Time, bool) {
	if len(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 2)
	d, ok3 := num(8, 2)
	h, ok4 := num(11, 2)
	mi, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return time.Time{}, false
	}
	rest, nsec := s[19:], 0
	if rest != "" && rest[0] == '.' {
		i := 1
		for ; i < len(rest) && rest[i] >= '0' && rest[i] <= '9'; i++ {
			if i <= 9 {
				nsec = nsec*10 + int(rest[i]-'0')
			}
		}
		if i == 1 {
			return time.Time{}, false
		}
		for k := i; k <= 9; k++ {
			nsec *= 10
		}
		rest = rest[i:]
	}
	var off int
	switch {
	case rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := num(len(s)-5, 2)
		om, ok2 := num(len(s)-2, 2)
		if !ok1 || !ok2 {
			return time.Time{}, false
		}
		off = oh*3600 + om*60
		if rest[0] == '-' {
			off = -off
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, nsec, time.UTC).Add(-time.Duration(off) * time.Second)
	if off != 0 {
		t = t.In(time.FixedZone("", off))
	}
	return t, true
}
