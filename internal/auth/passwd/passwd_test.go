package passwd

import "testing"

func TestHashAndCheck(t *testing.T) {
	h, err := HashWith("Anquan2026", Params{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := Check("Anquan2026", h); !ok || err != nil {
		t.Fatalf("right password rejected: %v", err)
	}
	if ok, err := Check("anquan2026", h); ok || err != nil {
		t.Fatalf("wrong password: ok %v, err %v (want false, nil)", ok, err)
	}
	if _, err := Check("x", "$bcrypt$whatever"); err != ErrMalformed {
		t.Fatalf("malformed hash: err = %v", err)
	}
}

func TestValidate(t *testing.T) {
	for pw, ok := range map[string]bool{"short1": false, "longenough": false, "12345678": false, "Anquan2026": true} {
		if got := Validate(pw) == ""; got != ok {
			t.Errorf("Validate(%q) ok=%v, want %v", pw, got, ok)
		}
	}
}

// FuzzCheck: a stored hash of any shape is refused or checked, never a panic.
func FuzzCheck(f *testing.F) {
	f.Add("pw", "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g")
	f.Add("pw", "$argon2id$v=19$m=0,t=0,p=0$$")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, pw, encoded string) {
		ok, err := Check(pw, encoded)
		if ok && err != nil {
			t.Fatal("ok with an error")
		}
	})
}
