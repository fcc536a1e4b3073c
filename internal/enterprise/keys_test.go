package enterprise

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestKeysSpeakSnakeCase: a change request's fields go out snake_case, and
// a request stored with Go's field names still reads.
func TestKeysSpeakSnakeCase(t *testing.T) {
	k := keys{Name: "济南泺口精细化工有限公司", CreditCode: "91370105MA3C1TQ8XL", RegionCode: "370105015", Categories: "hazchem"}
	b, err := json.Marshal(k)
	if err != nil || !strings.Contains(string(b), `"credit_code":"91370105MA3C1TQ8XL"`) || strings.Contains(string(b), "CreditCode") {
		t.Fatalf("marshalled: %s %v", b, err)
	}
	for _, stored := range []string{string(b), `{"Name":"济南泺口精细化工有限公司","CreditCode":"91370105MA3C1TQ8XL","RegionCode":"370105015","IndustryCode":"","Categories":"hazchem","Scale":"","Status":""}`} {
		var got keys
		want := k
		want.stdLevelUnknown = !strings.Contains(stored, "std_level") // stored before it was a key field
		if err := json.Unmarshal([]byte(stored), &got); err != nil || got != want {
			t.Errorf("%s read as %+v (%v)", stored, got, err)
		}
	}
}
