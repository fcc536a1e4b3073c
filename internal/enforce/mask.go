package enforce

import (
	"regexp"
	"strings"
)

// Personal data on the public page is masked (个人信息保护法 Art. 28–29;
// 国办发〔2018〕118号: 公示 protects personal privacy): a person's name
// keeps its first character, an identity-card number its first 6 and last
// 4 characters, a mobile number its first 3 and last 4 digits.

var (
	idNumber = regexp.MustCompile(`\b\d{17}[\dXx]\b`)
	oldID    = regexp.MustCompile(`\b\d{15}\b`) // the first-generation card (a 注册号 of 15 digits is masked too: better too much)
	mobile   = regexp.MustCompile(`\b1[3-9]\d{9}\b`)
	landline = regexp.MustCompile(`\b0\d{2,3}-\d{7,8}\b`)
)

// MaskName masks a person's name: 张三 → 张*, 欧阳小明 → 欧***.
func MaskName(name string) string {
	r := []rune(strings.TrimSpace(name))
	if len(r) == 0 {
		return ""
	}
	return string(r[0]) + strings.Repeat("*", max(len(r)-1, 1))
}

// MaskText masks identity-card, mobile and landline numbers in a text, and
// each of the names given wherever it appears. Other people a text names
// (a worker, a victim) are not known to it: the department reads the
// preview before it publishes (Publications shows what a due record would
// publish).
func MaskText(s string, names ...string) string {
	s = idNumber.ReplaceAllStringFunc(s, func(m string) string { return m[:6] + strings.Repeat("*", 8) + m[14:] })
	s = oldID.ReplaceAllStringFunc(s, func(m string) string { return m[:6] + strings.Repeat("*", 6) + m[12:] })
	s = mobile.ReplaceAllStringFunc(s, func(m string) string { return m[:3] + "****" + m[7:] })
	s = landline.ReplaceAllStringFunc(s, func(m string) string { return m[:len(m)-4] + "****" })
	for _, n := range names {
		if n = strings.TrimSpace(n); len([]rune(n)) >= 2 {
			s = strings.ReplaceAll(s, n, MaskName(n))
		}
	}
	return s
}
