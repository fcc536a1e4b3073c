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
//   - a 400/800 service number (10 digits);
//   - a public service number (12345 政务服务, 12350 安全生产举报, 110, 119, 120, 122).
var (
	mobileRE  = regexp.MustCompile(`^(?:\+?86)?1[3-9]\d{9}$`)
	fixedRE   = regexp.MustCompile(`^(?:\(0\d{2,3}\)|0\d{2,3}-?)[2-9]\d{6,7}(?:(?:-|转)\d{1,6})?$`)
	serviceRE = regexp.MustCompile(`^[48]00-?\d{3}-?\d{4}$`)
	publicRE  = regexp.MustCompile(`^(?:110|119|120|122|12345|12350)$`)
)

// PhoneHint says how a number is written, for forms and errors.
const PhoneHint = "手机号 (11 位) 或固定电话 (区号-号码，如 0531-86012345)"

// ValidPhone reports whether s is a telephone number as above (spaces are
// ignored; the empty string is not a number).
func ValidPhone(s string) bool {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	s = strings.ReplaceAll(s, "（", "(")
	s = strings.ReplaceAll(s, "）", ")")
	return mobileRE.MatchString(s) || fixedRE.MatchString(s) || serviceRE.MatchString(s) || publicRE.MatchString(s)
}
