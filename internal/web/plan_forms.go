package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/plan"
)

// The review page carries the parse being reviewed as JSON and shows every
// item's heading, its tasks' lead and support names and its obligations as
// fields; applyEdits folds what the office changed back into the parse.
// Indexes refer to the parse the page showed, so a dropped item simply
// disappears from the next round.

func fieldKey(parts ...int) string {
	var b strings.Builder
	b.WriteString("i")
	for n, p := range parts {
		if n > 0 {
			b.WriteString("_")
		}
		b.WriteString(strconv.Itoa(p))
	}
	return b.String()
}

// splitNames reads a list of unit names typed with 、，, or spaces.
func splitNames(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == '、' || r == '，' || r == ',' || r == ' ' || r == '　' || r == ';' || r == '；'
	})
	out := []string{}
	for _, x := range f {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// reviewedParse reads the parse from the form's JSON (or, from an older
// form, parses the text) and applies the edits.
func reviewedParse(f url.Values) (*plan.Parsed, error) {
	var p *plan.Parsed
	if raw := f.Get("parsed"); raw != "" {
		p = &plan.Parsed{}
		if err := json.Unmarshal([]byte(raw), p); err != nil {
			return nil, apperr.New(apperr.Invalid, "核对表单已损坏，请重新上传")
		}
		if err := checkJSON([]byte(raw), p); err != nil {
			return nil, err
		}
	} else {
		var err error
		if p, err = parseText(f.Get("text"), f.Get("year")); err != nil {
			return nil, err
		}
	}
	return p, applyEdits(p, f)
}

func applyEdits(p *plan.Parsed, f url.Values) error {
	if y := f.Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			return apperr.Field("year", "年度应为 2000-2100 之间的数字")
		}
		p.Year = &n
	}
	var items []plan.Item
	for i, it := range p.Items {
		k := fieldKey(i)
		if _, edited := f[k+"_h"]; !edited {
			items = append(items, it)
			continue
		}
		if f.Get(k+"_drop") == "1" {
			continue
		}
		if h := strings.TrimSpace(f.Get(k + "_h")); h != "" {
			it.Heading = h
		}
		for t := range it.Tasks {
			tk := fieldKey(i, t)
			if _, ok := f[tk+"_lead"]; ok {
				it.Tasks[t].Lead = splitNames(f.Get(tk + "_lead"))
				it.Tasks[t].Support = splitNames(f.Get(tk + "_support"))
			}
		}
		var obs []plan.Obligation
		for j, o := range it.Obligations {
			ok := fieldKey(i, j) + "_o"
			if f.Get(ok+"_drop") == "1" {
				continue
			}
			if err := readObligation(&o, f, ok, it.Ref); err != nil {
				return err
			}
			obs = append(obs, o)
		}
		if cue := strings.TrimSpace(f.Get(k + "_new_cue")); cue != "" {
			o := plan.Obligation{Cue: cue}
			if err := readObligation(&o, f, k+"_new", it.Ref); err != nil {
				return err
			}
			obs = append(obs, o)
		}
		it.Obligations = obs
		items = append(items, it)
	}
	if len(items) == 0 {
		return apperr.Field("items", "至少保留一个事项")
	}
	p.Items = items
	return nil
}

// readObligation reads one obligation's kind, period, times and deadline.
func readObligation(o *plan.Obligation, f url.Values, key, ref string) error {
	if _, ok := f[key+"_kind"]; !ok {
		return nil
	}
	o.Kind = f.Get(key + "_kind")
	switch o.Kind {
	case "recurring":
		o.Due = ""
		o.Period = f.Get(key + "_period")
		known := false
		for _, p := range plan.Periods {
			known = known || p.Key == o.Period
		}
		if !known {
			return apperr.Field(key+"_period", "事项 "+ref+": 请选择频次")
		}
		n, err := strconv.Atoi(strings.TrimSpace(f.Get(key + "_times")))
		if err != nil || n < 1 || n > 100 {
			return apperr.Field(key+"_times", "事项 "+ref+": 次数应为 1-100")
		}
		o.Times = &n
	case "deadline":
		o.Period, o.Times = "", nil
		o.Due = strings.TrimSpace(f.Get(key + "_due"))
		if len(o.Due) != 10 {
			return apperr.Field(key+"_due", "事项 "+ref+": 请填写期限日期 (年-月-日)")
		}
	default:
		return apperr.Field(key+"_kind", "事项 "+ref+": 请选择定期或限期")
	}
	return nil
}

// uploadedText reads the plan from an uploaded file or the pasted text.
func uploadedText(r *http.Request) (string, error) {
	if f, _, err := r.FormFile("file"); err == nil {
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, 32<<20))
		if err != nil {
			return "", err
		}
		text, err := plan.Decode(b)
		if err != nil {
			return "", apperr.Field("file", err.Error())
		}
		return text, nil
	}
	if t := r.FormValue("text"); t != "" {
		return t, nil
	}
	return "", apperr.Field("file", "请上传工作要点文件 (.txt/.html/.docx) 或粘贴全文")
}

func parseText(text, year string) (*plan.Parsed, error) {
	y, _ := strconv.Atoi(year)
	p, err := plan.Parse(text, y)
	if err != nil {
		return nil, apperr.Field("file", err.Error())
	}
	return p, nil
}

// cadenceForm reads a plan's reporting cadence (the import form's and the
// plan page's fields cadence and cadence_days).
func cadenceForm(r *http.Request) (plan.Cadence, error) {
	c := plan.Cadence{Period: r.FormValue("cadence")}
	if d := strings.TrimSpace(r.FormValue("cadence_days")); d != "" && c.Period != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			return c, apperr.Field("cadence_days", "报送期限请填写工作日天数 (整数)")
		}
		c.Days = n
	}
	return c, nil
}
