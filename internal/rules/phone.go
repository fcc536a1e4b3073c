package rules

import (
	"regexp"
	"strings"
)

// Telephone numbers as Chinese offices write them (issue 16.2: any five
// digits passed):
//   - a mobile number, 11 digits from 13–19 (the MIIT numbering plan),
//     optionally written +86 or 86 before it;
//   - a fixed-line number: the area code (0 and 2–3 digits: 010, 0531)
//     and 7–8 digits not starting 0 or 1, joined by a dash, a space or
//     written (0531)…, with an extension after 转 or a dash;
//   - a local number of 7–8 digits (the caller's own area);
//   - a 400/800 service number (10 digits);
//   - a public service number (12345 政务服务, 12350 安全生产举报, 110, 119, 120, 122).
var (
	mobileRE  = regexp.MustCompile(`^(?:86)?1[3-9]\d{9}$`)
	fixedRE   = regexp.MustCompile(`^0\d{2,3}[2-9]\d{6,7}$`)
	localRE   = regexp.MustCompile(`^[2-9]\d{6,7}$`) // a number of the caller's own area
	serviceRE = regexp.MustCompile(`^[48]00\d{7}$`)
	publicRE  = regexp.MustCompile(`^(?:110|119|120|122|12345|12350)$`)
	// separators people write between the groups of a number
	phoneSeparators = strings.NewReplacer(" ", "", "-", "", "—", "", "－", "", "–", "", "(", "", ")", "", "（", "", "）", "", "+", "")
	// between several numbers in one field
	phoneLists = regexp.MustCompile(`[、，,;；/]+`)
	// an extension: 转801, ext 801, or a dash and 1–6 digits after a full number
	extensionRE = regexp.MustCompile(`(?:转|ext\.?|分机)\s*\d{1,6}$|^(0\d{2,3}[-\s]?[2-9]\d{6,7})-\d{1,6}$`)
)

// PhoneHint says how a number is written, for forms and errors.
const PhoneHint = "手机号 (11 位) 或固定电话 (区号-号码，如 0531-86012345)，多个号码用“、”分隔"

// ValidPhone reports whether s holds telephone numbers as above: one, or
// several separated by 、，; — groups written with spaces or dashes of any
// width, an area code in brackets, an extension after 转 or a dash (review
// finding: 0531-8601-2345, 138-0531-0001 and two numbers in one field were
// refused, so a record holding one could no longer be saved). The empty
// string is not a number.
func ValidPhone(s string) bool {
	parts := phoneLists.Split(strings.TrimSpace(s), -1)
	if len(parts) == 0 {
		return false
	}
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if m := extensionRE.FindStringSubmatch(p); m != nil {
			if m[1] != "" {
				p = m[1]
			} else {
				p = strings.TrimSpace(p[:len(p)-len(m[0])])
			}
		}
		d := phoneSeparators.Replace(p)
		if !(mobileRE.MatchString(d) || fixedRE.MatchString(d) || localRE.MatchString(d) || serviceRE.MatchString(d) || publicRE.MatchString(d)) {
			return false
		}
	}
	return true
}
