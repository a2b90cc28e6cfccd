package db

import "testing"

func TestRebindNumbersPlaceholdersOutsideQuotesForPostgres(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2"},
		{"SELECT '?' , \"we?ird\" FROM t WHERE a = ?", "SELECT '?' , \"we?ird\" FROM t WHERE a = $1"},
		{"INSERT INTO t (a,b,c) VALUES (?,?,?)", "INSERT INTO t (a,b,c) VALUES ($1,$2,$3)"},
		{"SELECT 'it''s ?' WHERE x=?", "SELECT 'it''s ?' WHERE x=$1"},
	}
	for _, c := range cases {
		if got := rebind(Postgres, c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := rebind(SQLite, c.in); got != c.in {
			t.Errorf("SQLite must keep %q as written, got %q", c.in, got)
		}
	}
}
