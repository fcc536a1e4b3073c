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
	if ok, _ := Check("anquan2026", h); ok {
		t.Fatal("wrong password accepted")
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
