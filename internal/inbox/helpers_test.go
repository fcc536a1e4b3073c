package inbox_test

import (
	"context"
	"strconv"
	"testing"

	"anwei/internal/app"
	"anwei/internal/org"
)

func mustActor(t *testing.T, s *app.Services, name string) *org.Actor {
	t.Helper()
	a, err := s.Org.ActorByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
