package docs

// Family is the layout a writ follows.
type Family string

// The families (issue 15): letters and notices after GB/T 9704-2012; enforcement
// writs (执法文书) after their own form templates (REGULATIONS.md §14.2).
const (
	FamilyLetter Family = "letter" // 通知, 提醒函, 督办通知书, 交办单, 通报
	FamilyForm   Family = "form"   // 现场检查记录, 责令限期整改指令书, 整改复查意见书, 行政处罚告知书, 决定书
)

// Field is one numbered field of an enforcement form: its label and what is
// filled in (several paragraphs when long).
type Field struct {
	Label string
	Value []string
}

// Signer is a signature box of a form: who signs (执法人员 with certificate
// number, 当事人), and the drawn signature as a PNG when there is one.
type Signer struct {
	Role        string // 执法人员 / 当事人 / 记录人
	Name        string
	Certificate string // 执法证号, for officers
	Image       []byte // PNG of the drawn signature, nil for a blank box
	Date        string // as printed: 2026年11月23日
}

// Form is an enforcement writ (执法文书): a titled form with numbered fields,
// the officers and the party signing, and a delivery receipt (送达回执) on a page
// of its own.
type Form struct {
	Issuer    string   // 执法机关: 济南市天桥区应急管理局
	Title     string   // 责令限期整改指令书
	DocNumber string   // in the form's own style: (天)应急责改〔2026〕18号
	Fields    []Field  // in order
	Basis     string   // the legal basis text printed with the fields
	Signers   []Signer // signature boxes, in order
	Receipt   bool     // print a 送达回执 page
	Party     string   // 当事人 (for the receipt)
}
