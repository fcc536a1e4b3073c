package rules

import (
	"fmt"
	"strings"
)

// CreditCodeBasis cites the check-character algorithm.
const CreditCodeBasis = "GB 32100-2015《法人和其他组织统一社会信用代码编码规则》第4.2条、附录A (校验码计算)"

// creditChars are the 31 characters a code may use, in value order (no I, O, Z, S, V).
const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are 3^(i-1) mod 31 for positions 1–17.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCheck is the outcome of checking a 统一社会信用代码.
type CreditCheck struct {
	Code     string `json:"code"`
	Valid    bool   `json:"valid"`
	Expected string `json:"expected,omitempty"` // the check character the first 17 call for
	Region   string `json:"region,omitempty"`   // 登记管理机关行政区划码 (positions 3–8)
	Error    string `json:"error,omitempty"`
	Basis    string `json:"basis"`
}

// CreditCheckChar computes the 18th character for the first 17.
func CreditCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fmt.Errorf("应为17位，实为%d位", len(first17))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditChars, first17[i])
		if v < 0 {
			return 0, fmt.Errorf("第%d位“%c”不是代码字符 (不用 I、O、Z、S、V)", i+1, first17[i])
		}
		sum += v * creditWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditChars[c], nil
}

// CheckCreditCode validates a code: length, character set and check character.
func CheckCreditCode(code string) CreditCheck {
	code = strings.ToUpper(strings.TrimSpace(code))
	r := CreditCheck{Code: code, Basis: CreditCodeBasis}
	if n := len([]rune(code)); n != 18 || len(code) != 18 {
		r.Error = fmt.Sprintf("统一社会信用代码应为18位，实为%d位", n)
		return r
	}
	want, err := CreditCheckChar(code[:17])
	if err != nil {
		r.Error = "统一社会信用代码" + err.Error()
		return r
	}
	r.Expected = string(want)
	r.Region = code[2:8]
	if code[17] != want {
		if strings.IndexByte(creditChars, code[17]) < 0 {
			r.Error = fmt.Sprintf("统一社会信用代码第18位“%c”不是代码字符", code[17])
		} else {
			r.Error = fmt.Sprintf("统一社会信用代码校验位错误 (第18位应为 %c)", want)
		}
		return r
	}
	r.Valid = true
	return r
}
