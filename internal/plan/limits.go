package plan

import (
	"fmt"
	"strings"

	"anwei/internal/apperr"
)

// Limits are the most characters each free-text field of the plan
// mechanism holds (issue 14.5), stated in the forms (web's planMax) and
// checked by the services. The imported texts leave room over the longest
// seen in real plans (an item of 694 characters, a task of 656, a heading
// of 31, a printed unit name of 17, a cue of 25); a design choice, not a
// figure of the rules.
var Limits = map[string]int{
	"title": 200, "issuer": 100, "doc_number": 50, // the plan
	"heading": 200, "item_text": 5000, "task_text": 5000, "names": 500, "cue": 200, // an item, its tasks' units, its obligations
	"text": 5000, "reason": 500, "evidence": 2000, "answer": 5000, "doc_prefix": 12, // reports, decisions, duties, notices
	"printed":   100,    // a printed unit name the office creates a unit for
	"plan_text": 200000, // a whole plan, pasted or uploaded (the longest seen: 8,477 characters)
}

// text is field's value with its label and limit, for apperr.Lengths.
func text(field, label, value string) apperr.Text {
	return apperr.Text{Field: field, Label: label, Max: Limits[field], Value: value}
}

// checkParsedLengths refuses a plan whose texts exceed their limits, naming
// the item.
func checkParsedLengths(p *Parsed) error {
	if err := apperr.Lengths(text("title", "标题", p.Title), text("issuer", "发文单位", strOf(p.Issuer)),
		text("doc_number", "文号", strOf(p.DocNumber))); err != nil {
		return err
	}
	for _, it := range p.Items {
		ts := []apperr.Text{text("heading", "事项标题", it.Heading), text("item_text", "事项原文", it.Text)}
		for _, t := range it.Tasks {
			ts = append(ts, text("task_text", "任务原文", t.Text), text("names", "牵头单位", strings.Join(t.Lead, "、")),
				text("names", "配合单位", strings.Join(t.Support, "、")))
		}
		for _, o := range it.Obligations {
			ts = append(ts, text("cue", "时限要求", o.Cue))
		}
		if err := apperr.Lengths(ts...); err != nil {
			if e, ok := err.(*apperr.Error); ok {
				e.Message = fmt.Sprintf("事项 %s: %s", it.Ref, e.Message)
			}
			return err
		}
	}
	return nil
}
