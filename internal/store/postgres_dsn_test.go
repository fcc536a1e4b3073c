package store

import "testing"

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
