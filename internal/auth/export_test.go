package auth

// SetCheck replaces the password check, so tests can count the argon2id
// work a login does.
func SetCheck(s *Service, check func(pw, encoded string) (bool, error)) { s.check = check }
