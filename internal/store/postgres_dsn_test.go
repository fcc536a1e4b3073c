package store

import (
	"strings"
	"testing"
)

// TestDSNForLogsAndPgDump: the DSN shown to the operator hides the
// password wherever it is given, and the printed pg_dump command carries
// none and only the parameters libpq takes.
func TestDSNForLogsAndPgDump(t *testing.T) {
	for _, c := range []struct{ dsn, where, dump string }{
		{"postgres://anwei:s3cret@db:5432/anwei?sslmode=disable", "postgres://anwei:***@db:5432/anwei?sslmode=disable",
			"pg_dump --format=custom --file='f.dump' 'postgres://anwei@db:5432/anwei?sslmode=disable'"},
		{"postgres://anwei@db/anwei?password=s3cret&search_path=city&sslmode=require", "postgres://anwei@db/anwei?password=%2A%2A%2A&search_path=city&sslmode=require",
			"pg_dump --format=custom --file='f.dump' 'postgres://anwei@db/anwei?sslmode=require'"},
	} {
		where := redact(c.dsn)
		if where != c.where {
			t.Errorf("redact(%q) = %q, want %q", c.dsn, where, c.where)
		}
		if got := (&DB{Where: where}).PgDumpCommand("f.dump"); got != c.dump {
			t.Errorf("PgDumpCommand of %q = %q, want %q", c.dsn, got, c.dump)
		}
	}
}

// TestGroupsFromTheDSN: anwei_groups sets a server's group loops and is
// taken out before the DSN reaches the driver; a wrong value is refused
// in Chinese, naming the parameter; opening with it runs that many loops.
func TestGroupsFromTheDSN(t *testing.T) {
	for _, c := range []struct {
		dsn, rest string
		loops     int
	}{
		{"postgres://a@db/x?sslmode=disable", "postgres://a@db/x?sslmode=disable", pgGroupLoops},
		{"postgres://a@db/x?anwei_groups=1&sslmode=disable", "postgres://a@db/x?sslmode=disable", 1},
		{"postgres://a@db/x?anwei_groups=3", "postgres://a@db/x", 3},
	} {
		rest, loops, err := pgGroups(c.dsn)
		if err != nil || rest != c.rest || loops != c.loops {
			t.Errorf("pgGroups(%q) = %q, %d, %v; want %q, %d", c.dsn, rest, loops, err, c.rest, c.loops)
		}
	}
	for _, bad := range []string{"0", "9", "two", ""} {
		if _, _, err := pgGroups("postgres://a@db/x?anwei_groups=" + bad); err == nil || !strings.Contains(err.Error(), "anwei_groups") || !strings.Contains(err.Error(), "整数") {
			t.Errorf("anwei_groups=%q: %v, want a refusal naming it", bad, err)
		}
	}
}
