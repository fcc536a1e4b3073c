package auth

import "anwei/internal/calendar"

// SetCheck replaces the password check, so tests can count the argon2id
// work a login does.
func SetCheck(s *Service, check func(pw, encoded string) (bool, error)) { s.check = check }

// SetClock replaces the service's clock, so a test can act between the
// steps of a call (each step that reads the time).
func SetClock(s *Service, c calendar.Clock) { s.clock = c }
