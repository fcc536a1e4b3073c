package risk

import (
	"anwei/internal/docs"
)

var rgb = map[string][3]uint8{"red": {200, 30, 30}, "orange": {230, 110, 20}, "yellow": {214, 170, 0}, "blue": {30, 90, 200}}

// Card is the 风险告知卡 of a point: what the risk is, what may happen,
// how it is controlled, who answers for it and what to do in an
// emergency, on a band of the risk's colour. phone is the enterprise's
// safety contact.
func (p Point) Card(phone string) docs.Card {
	rows := [][2]string{
		{"风险点", p.Name}, {"作业活动/设备设施", p.Activity}, {"风险等级", p.Level + "（" + ColourName(p.Colour) + "色）"},
		{"评价方法", map[string]string{"lec": "作业条件危险性评价法 LEC", "ls": "风险矩阵法 LS"}[p.Method] + "：" + p.Inputs + "，" + map[string]string{"lec": "D", "ls": "R"}[p.Method] + " = " + num(p.Value)},
		{"危险有害因素", p.Factors}, {"可能导致的事故类型", p.Accidents}, {"管控措施", p.Measures},
		{"管控层级", ControlLevelName(p.ControlLevel)}, {"责任人", p.Responsible},
	}
	if p.Emergency != "" {
		rows = append(rows, [2]string{"应急处置措施", p.Emergency})
	}
	if phone != "" {
		rows = append(rows, [2]string{"报告电话", phone + "　　火警 119　急救 120"})
	}
	return docs.Card{Title: "安全风险告知卡", Colour: rgb[p.Colour], Banner: p.Level + "　·　" + ColourName(p.Colour) + "色",
		Rows: rows, Footer: p.Enterprise + "　评估日期：" + docs.ChineseDate(p.AssessedOn)}
}
