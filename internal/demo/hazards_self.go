package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"anwei/internal/files"
	"anwei/internal/hazard"
	"anwei/internal/org"
)

// selfHazards are 泺口化工's own general hazards as a safety manager
// handles them (《安全生产事故隐患排查治理暂行规定》第十五条): two fixed on
// the spot at its daily checks (即查即改, photos before and after), one it
// rectified over a fortnight and accepted itself, and one it is rectifying
// now (自行整改). The department sees them in its list, figures and ledger.
func selfHazards(ctx context.Context, ent *org.Actor, at func(int) *hazard.Service, date func(int) string) error {
	for _, f := range []struct {
		day                                int
		place, what, measures, responsible string
	}{
		{-52, "机修车间", "砂轮机防护罩缺失，托架与砂轮间隙约6毫米", "加装防护罩，托架间隙调整为2毫米", "机修班长 周明"},
		{-9, "中控室", "应急照明灯2盏不亮", "更换应急照明灯具并试验，转换时间合格", "电工班长 钱进"},
	} {
		if _, err := at(f.day).Report(ctx, ent, hazard.ReportInput{EnterpriseID: ent.Unit.ID, Place: f.place, Description: f.what,
			Handling: "fix", Measures: f.measures, Responsible: f.responsible,
			Photos: shot(f.place+"-整改前.png", 190, 60), AfterPhotos: shot(f.place+"-整改后.png", 40, 150)}); err != nil {
			return fmt.Errorf("演示即查即改 %s: %w", f.place, err)
		}
	}
	done, err := at(-33).Report(ctx, ent, hazard.ReportInput{EnterpriseID: ent.Unit.ID, Place: "成品仓库", Description: "货架层板变形，货架未与墙体固定",
		Handling: "self", Deadline: date(-19), Measures: "更换变形层板，货架与墙体膨胀螺栓固定，张贴限载标识", Responsible: "仓储主管 刘洋", Funds: 4800,
		Photos: shot("货架-整改前.png", 170, 90)})
	if err != nil {
		return fmt.Errorf("演示自行整改: %w", err)
	}
	if _, err := at(-21).Act(ctx, ent, done.ID, hazard.Step{Action: hazard.Accept, Evidence: "层板已更换，货架已固定并张贴限载标识，经安全科验收合格",
		Photos: shot("货架-验收.png", 50, 140)}); err != nil {
		return fmt.Errorf("演示自行验收: %w", err)
	}
	if _, err := at(-4).Report(ctx, ent, hazard.ReportInput{EnterpriseID: ent.Unit.ID, Place: "循环水泵房", Description: "泵房排风扇损坏，地沟盖板缺失2块",
		Handling: "self", Deadline: date(10), Measures: "更换防爆排风扇，补齐地沟盖板", Responsible: "设备主管 孙涛", Funds: 2600}); err != nil {
		return fmt.Errorf("演示自行整改: %w", err)
	}
	return nil
}

// shot is a small picture standing in for a site photo.
func shot(name string, red, green uint8) []files.Upload {
	img := image.NewRGBA(image.Rect(0, 0, 96, 64))
	for x := range 96 {
		for y := range 64 {
			img.Set(x, y, color.RGBA{red, green, uint8(y * 3), 255})
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return []files.Upload{{Name: name, ContentType: "image/png", Body: &b}}
}
