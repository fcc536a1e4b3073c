package enterprise_test

import (
	"context"
	"strings"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/enterprise"
	"anwei/internal/rules"
)

// TestTextsHaveLimits: every free-text field of the registry is refused
// past its limit, naming the field and its limit, and nothing is stored —
// a record's, an installation's, a certificate's, a licence's, a credit
// listing's, a key-list change's (issue 14.5).
func TestTextsHaveLimits(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		e, err := w.ents.Get(ctx, w.ent, w.ent.Unit.ID)
		if err != nil {
			t.Fatal(err)
		}
		long := func(field string) string { return strings.Repeat("长", enterprise.Limits[field]+1) }
		in := enterprise.Input{Name: e.Name, CreditCode: e.CreditCode, RegionCode: e.RegionCode, IndustryCode: e.IndustryCode,
			Categories: enterprise.ListText(strings.Join(e.Categories, "、")), Scale: e.Scale, StdLevel: e.StdLevel, Status: e.Status}
		for _, field := range []string{"address", "grid", "legal_rep", "principal", "principal_phone", "safety_manager", "safety_phone", "insurer", "policy_no"} {
			bad := in
			switch field {
			case "address":
				bad.Address = long(field)
			case "grid":
				bad.Grid = long(field)
			case "legal_rep":
				bad.LegalRep = long(field)
			case "principal":
				bad.Principal = long(field)
			case "principal_phone":
				bad.PrincipalPhone = long(field)
			case "safety_manager":
				bad.SafetyManager = long(field)
			case "safety_phone":
				bad.SafetyPhone = long(field)
			case "insurer":
				bad.Insurer = long(field)
			case "policy_no":
				bad.PolicyNo = long(field)
			}
			_, _, err := w.ents.Update(ctx, w.office, e.UnitID, bad)
			if apperr.FieldOf(err) != field || !strings.Contains(err.Error(), "不能超过") {
				t.Errorf("a %s one character too long: %v", field, err)
			}
		}
		if after, _ := w.ents.Get(ctx, w.ent, e.UnitID); after.Address != e.Address || after.Grid != e.Grid {
			t.Errorf("a refused record was stored: %q %q", after.Address, after.Grid)
		}
		ok := in
		ok.Grid = strings.Repeat("网", enterprise.Limits["grid"])
		if _, _, err := w.ents.Update(ctx, w.office, e.UnitID, ok); err != nil {
			t.Errorf("a grid of exactly its limit: %v", err)
		}
		papers, err := w.ents.GetPapers(ctx, w.ent, e.UnitID)
		if err != nil {
			t.Fatal(err)
		}
		checks := []struct {
			field string
			err   error
		}{
			{"record_no", func() error {
				_, err := w.ents.SaveInstallation(ctx, w.member, e.UnitID, 0, enterprise.InstallationInput{Name: "液氯储罐区", Kind: "storage",
					RecordNo: long("record_no"), Holdings: []rules.Holding{{Chemical: "液氯", Tonnes: 1}}})
				return err
			}()},
			{"person", func() error {
				_, err := w.ents.AddCertificate(ctx, w.ent, e.UnitID, enterprise.CertificateInput{Person: long("person"), Post: "principal",
					Number: "X1", IssuedOn: "2025-01-01"})
				return err
			}()},
			{"issuer", func() error {
				_, err := w.ents.AddLicence(ctx, w.ent, e.UnitID, enterprise.Licence{Kind: "安全生产许可证", Number: "X1", Issuer: long("issuer"),
					IssuedOn: "2025-01-01", ExpiresOn: "2028-01-01"})
				return err
			}()},
			{"basis", func() error {
				_, err := w.ents.AddToBlacklist(ctx, w.member, e.UnitID, enterprise.ListingInput{Reason: "事故", Basis: long("basis"), ListedOn: "2026-02-01"})
				return err
			}()},
			{"reason", w.ents.SetKeyList(ctx, w.member, e.UnitID, true, long("reason"))},
		}
		for _, c := range checks {
			if apperr.FieldOf(c.err) != c.field || !strings.Contains(c.err.Error(), "不能超过") {
				t.Errorf("a %s one character too long: %v", c.field, c.err)
			}
		}
		if p, err := w.ents.GetPapers(ctx, w.ent, e.UnitID); err != nil || len(p.Certificates) != len(papers.Certificates) || len(p.Licences) != len(papers.Licences) {
			t.Errorf("refused papers stored: %d certificates (%d before), %d licences (%d before), %v", len(p.Certificates), len(papers.Certificates),
				len(p.Licences), len(papers.Licences), err)
		}
	})
}
