package web_test

import (
	"strconv"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/org"
)

func orgFilter(q string) org.UnitFilter { return org.UnitFilter{Q: q} }

func fmtID(id int64) string { return strconv.FormatInt(id, 10) }

// eachDB runs fn on a demo app over SQLite and, when ANWEI_TEST_PG is set,
// over PostgreSQL.
func eachDB(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, newEnvOn(t, apptest.Postgres)) })
}
