package enterprise

import (
	"strings"

	"anwei/internal/rules"
)

// industryOf reads an industry written as its GB/T 4754 code, its name
// (化学原料和化学制品制造业), or both (C26 化学原料和化学制品制造业), as an
// import sheet or a form may carry it (issue 16.3: imports accept the code
// or the name). A name that several codes share is not read.
func industryOf(v string) (string, bool) {
	if code, _, ok := strings.Cut(v, " "); ok {
		if i, ok := rules.IndustryByCode(strings.ToUpper(code)); ok {
			return i.Code, true
		}
	}
	if i, ok := rules.IndustryByCode(strings.ToUpper(v)); ok {
		return i.Code, true
	}
	found := ""
	for _, i := range rules.Industries() {
		if i.Name == v {
			if found != "" {
				return "", false
			}
			found = i.Code
		}
	}
	return found, found != ""
}
